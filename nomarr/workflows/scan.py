"""The scan workflow: store already-discovered file records and queue the changed ones.

Discovery (walking directories, reading tags from audio files) happens elsewhere; this step
takes its records. Policy decided here, not in persistence: one scan per library at a time
(a lock with a time-to-live), which files need tagging (new and modified ones), and how they
are queued (one ``tag_files`` job per batch, written in the same unit of work as the batch).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from nomarr.helpers.dto import FileStatus, LibraryFileCreate
from nomarr.helpers.errors import LockHeldError
from nomarr.persistence import Database
from nomarr.persistence.schema import FILE_HAS_TAG, LIBRARY_FILES, LIBRARY_HAS_FILE, QUEUE

__all__ = [
    "SCAN_LOCK_TTL_S",
    "TAG_JOB_TYPE",
    "BatchResult",
    "ScanSummary",
    "scan_library",
    "scan_lock",
    "store_batch",
]

SCAN_LOCK_TTL_S = 15 * 60
TAG_JOB_TYPE = "tag_files"


@dataclass(frozen=True, slots=True)
class ScanSummary:
    """What a scan did.

    Attributes:
        library_key: the scanned library.
        new: files seen for the first time.
        modified: files whose size or mtime changed.
        unchanged: files skipped because nothing changed.
        job_keys: the ``tag_files`` jobs queued for new and modified files.
    """

    library_key: str
    new: int
    modified: int
    unchanged: int
    job_keys: tuple[str, ...]


def scan_library(
    db: Database,
    library_key: str,
    discovered: Sequence[LibraryFileCreate],
    *,
    holder: str,
    batch_size: int = 1000,
) -> ScanSummary:
    """Upsert ``discovered`` in batches, queue tagging of changed files, refresh statistics.

    Raises:
        LockHeldError: another scan of this library is running.
    """
    totals = BatchResult()
    with scan_lock(db, library_key, holder):
        for start in range(0, len(discovered), batch_size):
            totals = totals + store_batch(db, library_key, discovered[start : start + batch_size])
        db.stats.refresh(library_key)
    return ScanSummary(library_key, totals.new, totals.modified, totals.unchanged, totals.job_keys)


@contextmanager
def scan_lock(db: Database, library_key: str, holder: str) -> Iterator[None]:
    """Hold the scan lock of a library for the ``with`` block.

    Raises:
        LockHeldError: another scan of this library holds it.
    """
    target = f"scan:{library_key}"
    if db.locks.acquire(target, holder, ttl_s=SCAN_LOCK_TTL_S) is None:
        raise LockHeldError(target)
    try:
        yield
    finally:
        db.locks.release(target, holder)


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What storing one or more batches did (adds up with ``+``).

    Attributes:
        new: files seen for the first time.
        modified: files whose size or mtime changed.
        unchanged: files with the same size and mtime as stored.
        job_keys: ``tag_files`` jobs queued.
    """

    new: int = 0
    modified: int = 0
    unchanged: int = 0
    job_keys: tuple[str, ...] = ()

    def __add__(self, other: BatchResult) -> BatchResult:
        return BatchResult(
            self.new + other.new,
            self.modified + other.modified,
            self.unchanged + other.unchanged,
            self.job_keys + other.job_keys,
        )


def store_batch(
    db: Database,
    library_key: str,
    batch: Sequence[LibraryFileCreate],
    problems: Mapping[str, tuple[str, str]] | None = None,
    recovered: Sequence[str] = (),
) -> BatchResult:
    """Upsert one batch and queue a ``tag_files`` job for its new and modified files, atomically.

    Args:
        db: the database.
        library_key: the library.
        batch: the files.
        problems: file key to ``(status, reason)`` of files that could not be read: stored with
            that status, their tags removed, not queued.
        recovered: keys of files readable again (unchanged on disk): set pending and queued.
    """
    problems = problems or {}
    with db.unit_of_work(write=[LIBRARY_FILES, LIBRARY_HAS_FILE, QUEUE, FILE_HAS_TAG]) as uow:
        report = uow.library_files.upsert_batch(batch, batch_size=max(1, len(batch)))
        uow.file_problems.record(problems)
        if recovered:
            uow.library_files.update_status_many(list(recovered), FileStatus.PENDING)
        changed = [key for key in report.new_keys + report.modified_keys if key not in problems]
        changed += [key for key in recovered if key not in changed]
        job = (
            uow.queue.enqueue(TAG_JOB_TYPE, {"library_key": library_key, "file_keys": changed})
            if changed
            else None
        )
    jobs = () if job is None else (job.key_,)
    def readable(keys: Sequence[str]) -> int:
        return sum(1 for key in keys if key not in problems)

    return BatchResult(readable(report.new_keys), readable(report.modified_keys), readable(report.unchanged_keys), jobs)
