"""The tagger of ``nomarr work``: tags derived from a file's embedded metadata.

It re-reads the file under the worker's claim (the file may have changed since the scan), then
normalises its fields (:func:`~nomarr.components.tag_normalize.normalize_tags`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nomarr.components.discovery import decode_raw_path
from nomarr.components.tag_normalize import normalize_tags
from nomarr.components.tagreader import read_track
from nomarr.components.timing import PhaseTimer
from nomarr.helpers.dto import LibraryFile, TagValue
from nomarr.workflows.claim_and_tag import Tagger

__all__ = ["embedded_tagger"]


def embedded_tagger(
    root: Path,
    timer: PhaseTimer | None = None,
    *,
    delay_s: float = 0.0,
    pause: Callable[[float], object] | None = None,
) -> Tagger:
    """Return a tagger for the files of the library rooted at ``root``.

    Args:
        root: the library's root directory.
        timer: adds the time spent reading files to its ``read`` phase.
        delay_s: wait this long before reading each file (a test hook that keeps a claim held).
        pause: how to wait (e.g. a stop event's ``wait``, so a stop request cuts it short).

    The tagger raises :class:`~nomarr.helpers.errors.UnreadableFileError` for a file that can
    no longer be read; the claim-and-tag step then marks it ``error``.
    """
    clock = timer or PhaseTimer()

    def tagger(file: LibraryFile) -> list[TagValue]:
        if delay_s > 0 and pause is not None:
            pause(delay_s)
        with clock.phase("read"):
            raw = file.metadata.get("raw_path_b64")
            track = read_track(root / (decode_raw_path(raw) if isinstance(raw, str) else file.path))
        return normalize_tags(track.tags)

    return tagger
