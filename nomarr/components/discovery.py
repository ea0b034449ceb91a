"""Walk a library directory and list its audio files with their size and mtime.

Paths are reported relative to the library root, POSIX style (``"Artist/Album/01 Song.flac"``),
so a library keeps its file keys when its root moves. Hidden files and directories (a leading
``.``) are skipped, symbolic links to directories are not followed (no loops), and a directory
that cannot be read is reported in :attr:`Discovery.problems` instead of aborting the walk.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

__all__ = ["AUDIO_EXTENSIONS", "DiscoveredFile", "Discovery", "discover"]

AUDIO_EXTENSIONS = frozenset(
    {".mp3", ".flac", ".ogg", ".oga", ".opus", ".wav", ".aif", ".aiff", ".m4a", ".mp4", ".aac",
     ".wma", ".wv", ".ape", ".mpc", ".tta", ".dsf"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DiscoveredFile:
    """One audio file found on disk.

    Attributes:
        rel_path: path relative to the library root, with ``/`` separators.
        size: size in bytes.
        mtime_ms: modification time in milliseconds.
    """

    rel_path: str
    size: int
    mtime_ms: int

    @property
    def folder(self) -> str:
        """The relative folder holding the file (``"."`` for the library root)."""
        return str(PurePosixPath(self.rel_path).parent)


@dataclass(slots=True)
class Discovery:
    """What a walk found.

    Attributes:
        files: audio files, sorted by relative path.
        folders: relative folders that hold at least one audio file, sorted.
        problems: ``(relative path, reason)`` of entries that could not be read.
    """

    files: list[DiscoveredFile] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


def discover(root: Path) -> Discovery:
    """Return every audio file under ``root`` (which must be a readable directory)."""
    found = Discovery()
    _walk(root, "", found)
    found.files.sort(key=lambda f: f.rel_path)
    found.folders = sorted({f.folder for f in found.files})
    return found


def _walk(directory: Path, rel: str, found: Discovery) -> None:
    try:
        with os.scandir(directory) as entries:
            children = sorted(entries, key=lambda e: e.name)
    except OSError as exc:
        found.problems.append((rel or ".", _reason(exc)))
        return
    for entry in children:
        if entry.name.startswith("."):
            continue
        child = f"{rel}/{entry.name}" if rel else entry.name
        _visit(entry, child, found)


def _visit(entry: os.DirEntry[str], rel: str, found: Discovery) -> None:
    try:
        if entry.is_dir(follow_symlinks=False):
            _walk(Path(entry.path), rel, found)
        elif os.path.splitext(entry.name)[1].lower() in AUDIO_EXTENSIONS and entry.is_file():
            stat = entry.stat()
            found.files.append(DiscoveredFile(rel, stat.st_size, stat.st_mtime_ns // 1_000_000))
    except OSError as exc:
        found.problems.append((rel, _reason(exc)))


def _reason(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else type(exc).__name__
