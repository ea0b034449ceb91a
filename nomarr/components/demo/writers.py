"""Write short sine tones as real audio files and embed tags with mutagen.

WAV is written with the standard library's :mod:`wave`; FLAC, Ogg Vorbis and MP3 with soundfile
(libsndfile ships inside its wheel, so nothing is downloaded or compiled). Tags: ID3v2.4 frames
for WAV and MP3, Vorbis comments for FLAC and Ogg.
"""

from __future__ import annotations

import math
import struct
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mutagen
from mutagen import id3

from nomarr.components.demo.catalogue import TrackSpec

__all__ = ["SAMPLE_RATE", "write_track"]

SAMPLE_RATE = 22_050
_AMPLITUDE = 0.3
_SOUNDFILE_FORMATS = {"flac": ("FLAC", "PCM_16"), "ogg": ("OGG", "VORBIS"), "mp3": ("MP3", "MPEG_LAYER_III")}
_ID3_FRAMES: dict[str, Callable[..., id3.Frame]] = {
    "artist": id3.TPE1,
    "album": id3.TALB,
    "title": id3.TIT2,
    "genre": id3.TCON,
    "mood": id3.TMOO,
    "bpm": id3.TBPM,
    "date": id3.TDRC,
}


def write_track(root: Path, spec: TrackSpec, duration_s: float) -> Path:
    """Write ``spec`` below ``root`` as ``duration_s`` seconds of tone, tagged; return its path."""
    path = root / spec.rel_path
    path.parent.mkdir(parents=True, exist_ok=True)
    samples = _tone(spec.frequency, duration_s)
    if spec.format == "wav":
        _write_wav(path, samples)
    else:
        _write_soundfile(path, samples, spec.format)
    _tag(path, spec)
    return path


def _tone(frequency: float, duration_s: float) -> list[float]:
    count = max(1, int(SAMPLE_RATE * duration_s))
    step = 2 * math.pi * frequency / SAMPLE_RATE
    return [_AMPLITUDE * math.sin(step * n) for n in range(count)]


def _write_wav(path: Path, samples: list[float]) -> None:
    frames = struct.pack(f"<{len(samples)}h", *(int(s * 32767) for s in samples))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(frames)


def _write_soundfile(path: Path, samples: list[float], fmt: str) -> None:
    import numpy as np  # numpy and soundfile load only when a compressed file is written
    import soundfile

    container, subtype = _SOUNDFILE_FORMATS[fmt]
    soundfile.write(str(path), np.asarray(samples, dtype="float32"), SAMPLE_RATE, format=container, subtype=subtype)


def _values(value: str | list[str]) -> list[str]:
    return list(value) if isinstance(value, list) else [value]


def _tag(path: Path, spec: TrackSpec) -> None:
    audio = mutagen.File(path)
    if audio is None:
        raise ValueError(f"{path}: mutagen cannot open the file it just wrote")
    if spec.format in ("wav", "mp3"):
        _tag_id3(audio, spec)
    else:
        for name, value in spec.tags.items():
            audio[name] = _values(value)
    audio.save()


def _tag_id3(audio: mutagen.FileType, spec: TrackSpec) -> None:
    if audio.tags is None:
        audio.add_tags()
    tags: Any = audio.tags
    for name, value in spec.tags.items():
        tags.add(_ID3_FRAMES[name](encoding=id3.Encoding.UTF8, text=_values(value)))
