"""Generate a small library of real, tagged audio files, with no downloads.

::

    library = generate_library(Path("demo-music"))            # the fixed dozen + one broken file
    library = generate_library(Path("bench"), count=10_000)   # same vocabulary, any size

Used by ``nomarr demo``, the end-to-end tests and the benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nomarr.components.demo.catalogue import (
    BROKEN_FILE,
    DEMO_TRACKS,
    FORMATS,
    TrackSpec,
    generated_tracks,
)
from nomarr.components.demo.writers import write_track

__all__ = ["BROKEN_FILE", "DEMO_TRACKS", "FORMATS", "GeneratedLibrary", "TrackSpec", "generate_library"]

DEFAULT_DURATION_S = 0.5
_BROKEN_BYTES = b"fLaC this is not really audio, on purpose\n" * 4


@dataclass(frozen=True, slots=True)
class GeneratedLibrary:
    """What :func:`generate_library` wrote.

    Attributes:
        root: the library directory.
        tracks: the specs of the audio files written (readable ones).
        broken: relative paths of files written to be unreadable.
    """

    root: Path
    tracks: tuple[TrackSpec, ...]
    broken: tuple[str, ...]


def generate_library(
    root: Path,
    count: int | None = None,
    *,
    duration_s: float = DEFAULT_DURATION_S,
    include_broken: bool = True,
    formats: tuple[str, ...] = FORMATS,
) -> GeneratedLibrary:
    """Write a tagged library below ``root`` (created if needed).

    Args:
        root: target directory.
        count: None for the demo dozen, else that many generated tracks.
        duration_s: length of each tone.
        include_broken: also write :data:`BROKEN_FILE`, which no reader can parse.
        formats: formats to cycle through for generated tracks.
    """
    root.mkdir(parents=True, exist_ok=True)
    tracks = DEMO_TRACKS if count is None else tuple(generated_tracks(count, formats=formats))
    for spec in tracks:
        write_track(root, spec, duration_s)
    broken: tuple[str, ...] = ()
    if include_broken:
        target = root / BROKEN_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_BROKEN_BYTES)
        broken = (BROKEN_FILE,)
    return GeneratedLibrary(root, tracks, broken)
