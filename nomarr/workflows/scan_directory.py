"""Scan a directory into a library: discover, read tags, store in batches, forget what vanished.

::

    report = scan_directory(db, Path("/music"), library_name="Music", holder="scanner-1")

Steps, under the library's scan lock (:func:`nomarr.workflows.scan.scan_lock`):

1. find or create the library (by name, else by root path); a known name with a new root is
   moved only with ``allow_move``; duplicate and overlapping roots are refused;
2. read what is stored (relative path, size, mtime, status) and walk the directory;
3. refuse to forget all or most of the library's files unless ``confirm`` agrees
   (:mod:`.scan_guard`); files below a folder that could not be read are kept;
4. for each file: same size and mtime as stored means unchanged (its tags are not read again);
   otherwise read tags and duration. A file that cannot be read is stored with status
   ``unreadable`` and the reason, and loses its tags; it is read again at every scan;
5. store files in batches, each batch with its ``tag_files`` job in one unit of work;
6. delete files and folders that are no longer on disk, then refresh the library's statistics;
7. remove tag documents no file carries any more (left by removed, unreadable or re-tagged
   files), unless ``prune_tags`` is False (the caller knows a worker may be adding tags);
8. record the run (counts, and the folders that could not be read) in ``scan_runs``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nomarr.components.discovery import DiscoveredFile, Discovery, discover, encode_raw_path
from nomarr.components.tagreader import TrackInfo, read_track
from nomarr.components.timing import PhaseTimer
from nomarr.helpers.dto import Library, LibraryFileCreate
from nomarr.helpers.errors import LibraryPathError, UnreadableFileError
from nomarr.helpers.keys import file_key, folder_key
from nomarr.helpers.progress import ProgressCallback
from nomarr.persistence import Database
from nomarr.workflows.libraries import ensure_library
from nomarr.workflows.scan import BatchResult, scan_lock, store_batch
from nomarr.workflows.scan_guard import Confirm, check_removals, forget_legacy_folder_problems
from nomarr.workflows.scan_runs import recorded_scan

__all__ = ["SCAN_BATCH_SIZE", "UNREADABLE", "DirectoryScanReport", "ProgressCallback", "scan_directory"]

SCAN_BATCH_SIZE = 500
UNREADABLE = "unreadable"
"""Status of a file the last scan could not read (its ``problem`` says why)."""
_LIST_PAGE = 1000

Reader = Callable[[Path], TrackInfo]


@dataclass(slots=True)
class DirectoryScanReport:
    """What a directory scan did.

    Attributes:
        library: the scanned library.
        found: audio files found on disk.
        new: files stored for the first time.
        modified: files whose size or mtime changed (tags re-read, queued again).
        unchanged: files skipped because size and mtime did not change.
        removed: stored files no longer on disk (deleted with their tags).
        unreadable: ``(relative path, reason)`` of files or folders that could not be read.
        duplicates: ``(relative path, path counted instead)`` of files reached twice (links).
        pruned_tags: tag documents no file carried any more, removed at the end.
        kept: stored files kept because their folder could not be read.
        folders: folders holding audio files.
        job_keys: ``tag_files`` jobs queued.
        elapsed_s: wall time of the scan.
        timings: seconds per phase (``discover``, ``read``, ``store``).
    """

    library: Library
    found: int = 0
    new: int = 0
    modified: int = 0
    unchanged: int = 0
    removed: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    pruned_tags: int = 0
    kept: int = 0
    folders: int = 0
    job_keys: tuple[str, ...] = ()
    elapsed_s: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class _Run:
    db: Database
    library: Library
    root: Path
    stored: dict[str, tuple[int, int, str]]
    reader: Reader
    timer: PhaseTimer
    batch_size: int
    batch: list[LibraryFileCreate] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)  # rel path -> reason, in this batch
    totals: BatchResult = field(default_factory=BatchResult)


def scan_directory(
    db: Database,
    root: Path,
    *,
    library_name: str | None = None,
    holder: str,
    batch_size: int = SCAN_BATCH_SIZE,
    on_progress: ProgressCallback | None = None,
    reader: Reader = read_track,
    allow_move: bool = False,
    confirm: Confirm | None = None,
    prune_tags: bool = True,
) -> DirectoryScanReport:
    """Scan ``root`` into the library ``library_name`` (see the module doc for the steps).

    Args:
        allow_move: a known library name with another root is moved to ``root``.
        confirm: asked before all or most of the library's files are forgotten; None refuses.
        prune_tags: remove orphan tags at the end; pass False while a worker may be running
            (a tag it has stored but not linked yet would look orphaned).

    Raises:
        LibraryPathError: ``root`` is missing, not a directory, or not readable.
        LibraryConflictError: the name or root clashes with another library.
        RemovalRefusedError: the scan would forget most files and ``confirm`` did not agree.
        LockHeldError: another scan of the library is running.
    """
    started = time.perf_counter()
    root = checked_root(root)
    library = ensure_library(db, root, library_name, allow_move=allow_move)
    timer = PhaseTimer()
    with scan_lock(db, library.key_, holder), recorded_scan(db, library.key_) as record:
        run = _Run(db, library, root, _stored_files(db, library.key_), reader, timer, batch_size)
        with timer.phase("discover"):
            found = discover(root)
        gone, kept = _vanished(run, found)
        check_removals(library.name, str(root), len(gone), len(run.stored), confirm)
        report = _ingest(run, found, on_progress)
        report.kept = kept
        report.duplicates = found.duplicates
        report.removed = _remove_vanished(run, found, gone)
        folders = [{"path": path, "reason": reason} for path, reason in found.problems if path in found.unreadable_dirs]
        with timer.phase("store"):
            db.stats.refresh(library.key_)
            report.pruned_tags = db.housekeeping.remove_orphan_tags() if prune_tags else 0
        record(lambda: _run_counts(report), folders)
    forget_legacy_folder_problems(db, library.key_)
    report.elapsed_s = time.perf_counter() - started
    report.timings = timer.totals()
    return report


def checked_root(root: Path) -> Path:
    """Return ``root`` made absolute when it is a readable directory.

    Raises:
        LibraryPathError: it is missing, not a directory, or not readable.
    """
    path = root.expanduser().resolve()
    if not path.exists():
        raise LibraryPathError(f"{root}: no such directory")
    if not path.is_dir():
        raise LibraryPathError(f"{root}: not a directory")
    if not os.access(path, os.R_OK | os.X_OK):
        raise LibraryPathError(f"{root}: permission denied")
    return path


def _stored_files(db: Database, library_key: str) -> dict[str, tuple[int, int, str]]:
    return {f.path: (f.size, f.mtime_ms, f.status) for f in db.library_files.iter_for_library(library_key)}


def _run_counts(report: DirectoryScanReport) -> dict[str, int]:
    return {
        "found": report.found,
        "new": report.new,
        "modified": report.modified,
        "unchanged": report.unchanged,
        "removed": report.removed,
        "unreadable": len(report.unreadable),
        "pruned_tags": report.pruned_tags,
    }


def _ingest(run: _Run, found: Discovery, on_progress: ProgressCallback | None) -> DirectoryScanReport:
    report = DirectoryScanReport(run.library, found=len(found.files), folders=len(found.folders))
    report.unreadable.extend(found.problems)
    report.found += _store_broken_links(run, found)
    with run.timer.phase("store"):
        for folder in found.folders:
            run.db.library_folders.upsert(run.library.key_, folder)
    for done, file in enumerate(found.files, start=1):
        problem = _add(run, file)
        if problem:
            report.unreadable.append((file.rel_path, problem))
        if len(run.batch) >= run.batch_size:
            _flush(run)
        if on_progress is not None:
            on_progress(done, len(found.files))
    _flush(run)
    totals = run.totals
    report.new, report.modified, report.unchanged = totals.new, totals.modified, totals.unchanged
    report.job_keys = totals.job_keys
    return report


def _store_broken_links(run: _Run, found: Discovery) -> int:
    """Store audio-named entries that could not be read at all (loops, dangling links, denied)."""
    unreadable_dirs = set(found.unreadable_dirs)
    broken = [(rel, reason) for rel, reason in found.problems if rel not in unreadable_dirs]
    for rel, reason in broken:
        run.problems[rel] = reason
        run.batch.append(_record(run, DiscoveredFile(rel, 0, 0), {}))
    return len(broken)


def _add(run: _Run, file: DiscoveredFile) -> str | None:
    """Queue ``file`` for the next batch; return why it is unreadable, or None."""
    metadata: dict[str, object] = {}
    stored = run.stored.get(file.rel_path)
    if stored is None or stored[:2] != (file.size, file.mtime_ms) or stored[2] == UNREADABLE:
        path = run.root / file.disk_path
        try:
            with run.timer.phase("read"):
                metadata = run.reader(path).metadata()
        except UnreadableFileError as exc:
            reason = exc.detail.removeprefix(f"{path}: ")
            run.problems[file.rel_path] = reason
            run.batch.append(_record(run, file, {}))
            return reason
    if file.raw_path is not None:
        metadata["raw_path_b64"] = encode_raw_path(file.raw_path)
    run.batch.append(_record(run, file, metadata))
    return None


def _record(run: _Run, file: DiscoveredFile, metadata: dict[str, object]) -> LibraryFileCreate:
    return (
        LibraryFileCreate(
            library_key=run.library.key_,
            path=file.rel_path,
            size=file.size,
            mtime_ms=file.mtime_ms,
            folder_key=folder_key(run.library.key_, file.folder),
            metadata=metadata,
        )
    )


def _flush(run: _Run) -> None:
    if run.batch:
        problems = {file_key(run.library.key_, path): (UNREADABLE, reason) for path, reason in run.problems.items()}
        recovered = [
            file_key(run.library.key_, f.path) for f in run.batch
            if f.path not in run.problems and run.stored.get(f.path, (0, 0, ""))[2] == UNREADABLE
        ]  # fmt: skip
        with run.timer.phase("store"):
            run.totals = run.totals + store_batch(run.db, run.library.key_, run.batch, problems, recovered)
        run.batch = []
        run.problems = {}


def _vanished(run: _Run, found: Discovery) -> tuple[list[str], int]:
    """Return the stored paths no longer on disk, and how many are kept below unreadable folders."""
    on_disk = {f.rel_path for f in found.files} | {path for path, _reason in found.problems}
    blind = [folder.rstrip("/") + "/" for folder in found.unreadable_dirs]
    if "./" in blind:
        blind = [""]
    missing = [path for path in run.stored if path not in on_disk]
    gone = [path for path in missing if not any(path.startswith(prefix) for prefix in blind)]
    return gone, len(missing) - len(gone)


def _remove_vanished(run: _Run, found: Discovery, gone: list[str]) -> int:
    with run.timer.phase("store"):
        for chunk in _chunks(gone, _LIST_PAGE):
            run.db.library_files.delete_many([file_key(run.library.key_, path) for path in chunk])
        folders = set(found.folders)
        blind = tuple(folder.rstrip("/") + "/" for folder in found.unreadable_dirs)
        for folder in run.db.library_folders.list_for_library(run.library.key_):
            if folder.path not in folders and not (folder.path + "/").startswith(blind):
                run.db.library_folders.delete(folder.key_)
    return len(gone)


def _chunks(items: Sequence[str], size: int) -> list[Sequence[str]]:
    return [items[start : start + size] for start in range(0, len(items), size)]
