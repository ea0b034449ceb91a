"""Read an audio file's embedded tags and stream facts with mutagen.

::

    track = read_track(Path("song.flac"))
    track.duration_s, track.tags["genre"]       # 182.4, ["Jazz", "Blues"]

Every container mutagen knows is read the same way: tags come back under canonical lowercase
field names (``artist``, ``album``, ``title``, ``genre``, ``mood``, ``bpm``, ``date``), each a list
of the raw strings as stored (multi-valued fields keep every value). ID3 (MP3, WAV, AIFF), Vorbis
comments (FLAC, Ogg Vorbis, Opus) and MP4 atoms are mapped; other fields are ignored. Values are
*not* normalised here: see :mod:`nomarr.components.tag_normalize`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mutagen
from mutagen.id3 import ID3
from mutagen.mp4 import MP4Tags

from nomarr.helpers.errors import UnreadableFileError

__all__ = ["FIELDS", "TrackInfo", "read_track"]

FIELDS = ("artist", "album", "title", "genre", "mood", "bpm", "date")
"""Canonical field names the reader returns."""

_ID3_FRAMES = {
    "TPE1": "artist",
    "TALB": "album",
    "TIT2": "title",
    "TCON": "genre",
    "TMOO": "mood",
    "TBPM": "bpm",
    "TDRC": "date",
    "TYER": "date",
    "TXXX:MOOD": "mood",
}
_MP4_ATOMS = {
    "\xa9ART": "artist",
    "\xa9alb": "album",
    "\xa9nam": "title",
    "\xa9gen": "genre",
    "tmpo": "bpm",
    "\xa9day": "date",
    "----:com.apple.iTunes:MOOD": "mood",
}


@dataclass(frozen=True, slots=True)
class TrackInfo:
    """What one audio file says about itself.

    Attributes:
        format: the container, lowercase (``"flac"``, ``"mp3"``, ``"oggvorbis"``, ``"wave"``...).
        duration_s: length in seconds (0.0 when the stream does not say).
        sample_rate: samples per second, when known.
        channels: number of channels, when known.
        bitrate: bits per second, when known.
        tags: canonical field name to the raw values stored in the file.
    """

    format: str
    duration_s: float
    sample_rate: int | None = None
    channels: int | None = None
    bitrate: int | None = None
    tags: dict[str, list[str]] = field(default_factory=dict)

    def metadata(self) -> dict[str, Any]:
        """Return the facts as a JSON-ready dict (stored as a library file's ``metadata``)."""
        return {
            "format": self.format,
            "duration_s": round(self.duration_s, 3),
            "sample_rate": self.sample_rate,
            "channels": self.channels,
            "bitrate": self.bitrate,
            "tags": self.tags,
        }


def read_track(path: Path) -> TrackInfo:
    """Open ``path`` with mutagen and return its stream facts and tags.

    Raises:
        UnreadableFileError: the file is missing, not readable, not a known audio format, or
            damaged. The message names the file and the reason.
    """
    try:
        audio = mutagen.File(path)
    except (OSError, mutagen.MutagenError) as exc:
        raise UnreadableFileError(f"{path}: {_reason(exc)}") from exc
    if audio is None or audio.info is None:
        raise UnreadableFileError(f"{path}: not a recognised audio format")
    info = audio.info
    return TrackInfo(
        format=type(audio).__name__.lower(),
        duration_s=float(getattr(info, "length", 0.0) or 0.0),
        sample_rate=_int_or_none(getattr(info, "sample_rate", None)),
        channels=_int_or_none(getattr(info, "channels", None)),
        bitrate=_int_or_none(getattr(info, "bitrate", None)),
        tags=_canonical_tags(audio.tags),
    )


def _canonical_tags(tags: Any) -> dict[str, list[str]]:
    if tags is None:
        return {}
    if isinstance(tags, ID3):
        pairs = _id3_pairs(tags)
    elif isinstance(tags, MP4Tags):
        pairs = _mapped_pairs(tags, _MP4_ATOMS)
    else:  # Vorbis comments and other case-insensitive key/value tags
        pairs = ((key.lower(), values) for key, values in _items(tags) if key.lower() in FIELDS)
    found: dict[str, list[str]] = {}
    for name, values in pairs:
        found.setdefault(name, []).extend(_texts(values))
    return {name: values for name, values in found.items() if values}


def _id3_pairs(tags: ID3) -> Iterable[tuple[str, Any]]:
    frames: Any = tags  # mutagen's ID3 mapping is untyped
    for frame in frames.values():
        name = _ID3_FRAMES.get(frame.HashKey.upper()) or _ID3_FRAMES.get(frame.FrameID)
        if name is not None and hasattr(frame, "text"):
            yield name, frame.text


def _mapped_pairs(tags: Any, names: Mapping[str, str]) -> Iterable[tuple[str, Any]]:
    for key, values in tags.items():
        if key in names:
            yield names[key], values


def _items(tags: Any) -> Iterable[tuple[str, Any]]:
    try:
        return list(tags.items())
    except (AttributeError, TypeError):
        return []


def _texts(values: Any) -> list[str]:
    if not isinstance(values, list | tuple):
        values = [values]
    texts = []
    for value in values:
        raw = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        if raw.strip():
            texts.append(raw)
    return texts


def _int_or_none(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and value else None


def _reason(exc: BaseException) -> str:
    wrapped = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc.__cause__ or exc.__context__
    if isinstance(wrapped, OSError):  # mutagen wraps the OS error it met
        exc = wrapped
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
