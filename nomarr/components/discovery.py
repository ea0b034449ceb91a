"""Walk a library directory and list its audio files with their size and mtime.

Paths are reported relative to the library root, POSIX style (``"Artist/Album/01 Song.flac"``),
so a library keeps its file keys when its root moves. Rules of the walk:

- hidden files and directories (a leading ``.``) are skipped;
- symbolic links to directories are not followed (no loops, no library counted twice);
- a file reached twice (a symlink or hard link to a file already seen) is counted once: under
  its real path when one of the paths is not a symlink, else under the first in sorted order;
  the others are listed in :attr:`Discovery.duplicates`;
- the walk keeps its own stack, so a tree of any depth is walked (no recursion limit);
- an entry that cannot be read (permission denied, dangling link, link loop, vanished while
  walking) is reported in :attr:`Discovery.problems` with its reason and never aborts the walk;
  a directory that cannot be read is also listed in :attr:`Discovery.unreadable_dirs`, so the
  caller keeps what it stored below it;
- a name that is not valid UTF-8 is reported escaped (``caf\\xe9.mp3``) in ``rel_path``, and the
  exact name on disk is kept in :attr:`DiscoveredFile.raw_path` (lossless).
"""

from __future__ import annotations

import base64
import errno
import os
import stat as stat_mode
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

__all__ = [
    "AUDIO_EXTENSIONS",
    "DiscoveredFile",
    "Discovery",
    "decode_raw_path",
    "discover",
    "display_name",
    "encode_raw_path",
]

AUDIO_EXTENSIONS = frozenset(
    {".mp3", ".flac", ".ogg", ".oga", ".opus", ".wav", ".aif", ".aiff", ".m4a", ".mp4", ".aac",
     ".wma", ".wv", ".ape", ".mpc", ".tta", ".dsf"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DiscoveredFile:
    """One audio file found on disk.

    Attributes:
        rel_path: path relative to the library root, with ``/`` separators; bytes that are not
            UTF-8 appear as ``\\xNN`` escapes.
        size: size in bytes.
        mtime_ms: modification time in milliseconds.
        raw_path: the exact relative path on disk (surrogate-escaped ``str``) when it differs
            from ``rel_path`` because the name is not UTF-8, else None.
    """

    rel_path: str
    size: int
    mtime_ms: int
    raw_path: str | None = None

    @property
    def folder(self) -> str:
        """The relative folder holding the file (``"."`` for the library root)."""
        return str(PurePosixPath(self.rel_path).parent)

    @property
    def disk_path(self) -> str:
        """The relative path to open on disk."""
        return self.raw_path if self.raw_path is not None else self.rel_path


@dataclass(slots=True)
class Discovery:
    """What a walk found.

    Attributes:
        files: audio files, sorted by relative path.
        folders: relative folders that hold at least one audio file, sorted.
        problems: ``(relative path, reason)`` of entries that could not be read.
        unreadable_dirs: relative directories whose content could not be listed.
        duplicates: ``(relative path, path of the same file already counted)``.
    """

    files: list[DiscoveredFile] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    unreadable_dirs: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)


def display_name(raw: str) -> str:
    """Return ``raw`` (a surrogate-escaped file system name) with undecodable bytes as ``\\xNN``."""
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(raw).decode("utf-8", "backslashreplace")
    return raw


def encode_raw_path(raw: str) -> str:
    """Return the bytes of the surrogate-escaped path ``raw`` as base64 text (JSON-safe)."""
    return base64.b64encode(os.fsencode(raw)).decode("ascii")


def decode_raw_path(text: str) -> str:
    """Inverse of :func:`encode_raw_path`: the surrogate-escaped path to open on disk."""
    return os.fsdecode(base64.b64decode(text.encode("ascii")))


def discover(root: Path) -> Discovery:
    """Return every audio file under ``root`` (which must be a readable directory)."""
    found = Discovery()
    candidates: list[tuple[DiscoveredFile, tuple[int, int], bool]] = []
    stack: list[tuple[str, str]] = [(str(root), "")]  # (directory on disk, raw relative path)
    while stack:
        directory, rel = stack.pop()
        for entry in _children(directory, rel, found):
            child = f"{rel}/{entry.name}" if rel else entry.name
            if _visit(entry, child, found, candidates):
                stack.append((entry.path, child))
    found.files = _unique(candidates, found)
    found.folders = sorted({f.folder for f in found.files})
    found.problems.sort()
    return found


def _unique(candidates: list[tuple[DiscoveredFile, tuple[int, int], bool]], found: Discovery) -> list[DiscoveredFile]:
    """Keep one path per file on disk: the real one first, then the first in sorted order."""
    candidates.sort(key=lambda item: (item[2], item[0].rel_path))  # real paths before links
    kept: dict[tuple[int, int], DiscoveredFile] = {}
    for file, identity, _is_link in candidates:
        first = kept.get(identity)
        if first is None:
            kept[identity] = file
        else:
            found.duplicates.append((file.rel_path, first.rel_path))
    found.duplicates.sort()
    return sorted(kept.values(), key=lambda f: f.rel_path)


def _children(directory: str, rel: str, found: Discovery) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as entries:
            children = sorted(entries, key=lambda e: e.name, reverse=True)
    except OSError as exc:
        shown = display_name(rel) or "."
        found.problems.append((shown, _reason(exc)))
        found.unreadable_dirs.append(shown)
        return []
    return [entry for entry in children if not entry.name.startswith(".")]


def _visit(
    entry: os.DirEntry[str], rel: str, found: Discovery, candidates: list[tuple[DiscoveredFile, tuple[int, int], bool]]
) -> bool:
    """Record a file entry; return True when ``entry`` is a directory to walk into."""
    shown = display_name(rel)
    try:
        if entry.is_dir(follow_symlinks=False):
            return True
        if os.path.splitext(entry.name)[1].lower() not in AUDIO_EXTENSIONS:
            return False
        info = entry.stat()  # follows a symlink: ELOOP / ENOENT for loops and dangling links
        is_link = entry.is_symlink()
    except OSError as exc:
        found.problems.append((shown, _reason(exc)))
        return False
    if not stat_mode.S_ISREG(info.st_mode):
        if not stat_mode.S_ISDIR(info.st_mode):  # a symlink to a directory is simply not followed
            found.problems.append((shown, "not a regular file"))
        return False
    raw = rel if shown != rel else None
    file = DiscoveredFile(shown, info.st_size, info.st_mtime_ns // 1_000_000, raw)
    candidates.append((file, (info.st_dev, info.st_ino), is_link))
    return False


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT:
        return "vanished or dangling symbolic link"
    return exc.strerror.lower() if exc.strerror else type(exc).__name__
