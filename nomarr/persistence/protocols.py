"""What a backend must provide: one :class:`typing.Protocol` per Operations group.

``Database`` (and each unit of work) exposes one object per group, e.g. ``db.library_files``;
these protocols state their methods and signatures apart from the ArangoDB implementation in
:mod:`nomarr.persistence.database`. Code that only needs a group can take the protocol as its
parameter type, and another backend (a fake for a unit test, another store) implements the
same protocol. ``tests/nomarr/persistence/test_protocols.py`` checks, statically (mypy) and at
run time, that the Operations classes satisfy them, and that no public method is missing here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from nomarr.helpers.dto import (
    Heartbeat,
    Library,
    LibraryCreate,
    LibraryFile,
    LibraryFileCreate,
    LibraryFolder,
    LibraryStats,
    LibraryUpdate,
    Lock,
    MetaEntry,
    QueueJob,
    ScanOutcome,
    ScanRun,
    Tag,
    TagCount,
    TagValue,
    UpsertReport,
    WorkerClaim,
)
from nomarr.persistence.operations_base import DeletionCounts

__all__ = [
    "FileProblemsStore",
    "FileSearchStore",
    "HealthStore",
    "HousekeepingStore",
    "LibrariesStore",
    "LibraryFilesStore",
    "LibraryFoldersStore",
    "LibraryStatsStore",
    "LocksStore",
    "MetaStore",
    "QueueStore",
    "ScanRunsStore",
    "TagsStore",
    "WorkerClaimsStore",
]


@runtime_checkable
class LibrariesStore(Protocol):
    """What ``db.libraries`` provides (implemented by :class:`nomarr.persistence.database.libraries_aql.LibrariesOperations`)."""
    def create(self, library: LibraryCreate, key: str | None = None) -> Library:
        """Store a new library and return it."""
        ...
    def get(self, key: str) -> Library:
        """Return the library ``key``."""
        ...
    def list(self) -> list[Library]:
        """Return every library, ordered by name."""
        ...
    def find_by_name(self, name: str) -> Library | None:
        """Return the library called ``name``, or None."""
        ...
    def find_containing(self, path: str) -> Library | None:
        """Return the library whose root directory is ``path`` or holds it, or None."""
        ...
    def update(self, key: str, changes: LibraryUpdate) -> Library:
        """Apply the non-None fields of ``changes`` and return the updated library."""
        ...
    def delete(self, key: str) -> DeletionCounts:
        """Delete a library with its folders, files, edges, claims and statistics."""
        ...


@runtime_checkable
class LibraryFoldersStore(Protocol):
    """What ``db.library_folders`` provides (implemented by :class:`nomarr.persistence.database.library_folders_aql.LibraryFoldersOperations`)."""
    def upsert(self, library_key: str, path: str) -> LibraryFolder:
        """Record the folder ``path`` of a library (idempotent) and return it."""
        ...
    def get(self, key: str) -> LibraryFolder:
        """Return the folder ``key``."""
        ...
    def list_for_library(self, library_key: str) -> list[LibraryFolder]:
        """Return the folders of a library, ordered by path."""
        ...
    def delete(self, key: str) -> DeletionCounts:
        """Delete a folder with its files, their edges and claims."""
        ...


@runtime_checkable
class LibraryFilesStore(Protocol):
    """What ``db.library_files`` provides (implemented by :class:`nomarr.persistence.database.library_files_aql.operations.LibraryFilesOperations`)."""
    def iter_for_library(self, library_key: str, batch_size: int = 1000) -> Iterator[LibraryFile]:
        """Yield every file of a library in path order, ``batch_size`` per query."""
        ...
    def iter_by_status(self, library_key: str, status: str, batch_size: int = 1000) -> Iterator[LibraryFile]:
        """Yield every file of a library with ``status``, in path order, ``batch_size`` per query."""
        ...
    def iter_folder_files(self, folder_key: str, batch_size: int = 1000) -> Iterator[LibraryFile]:
        """Yield the files of one folder (not of its subfolders), in path order."""
        ...
    def upsert_batch(self, files: Sequence[LibraryFileCreate], batch_size: int = 1000) -> UpsertReport:
        """Insert or update scanned files and link them to their libraries."""
        ...
    def get(self, key: str) -> LibraryFile:
        """Return the file ``key``."""
        ...
    def get_many(self, keys: Sequence[str]) -> list[LibraryFile]:
        """Return the files of ``keys`` that exist (in no particular order)."""
        ...
    def get_by_path(self, library_key: str, path: str) -> LibraryFile:
        """Return the file at ``path`` in a library."""
        ...
    def get_pending_files(self, library_key: str, limit: int = 100, *, unclaimed_only: bool = False) -> list[LibraryFile]:
        """Return up to ``limit`` files of a library with status ``pending``."""
        ...
    def get_files_by_status(self, library_key: str, status: str, limit: int = 100, *, unclaimed_only: bool = False) -> list[LibraryFile]:
        """Return up to ``limit`` files of a library with the given status."""
        ...
    def list_for_library(self, library_key: str, limit: int = 100, offset: int = 0) -> list[LibraryFile]:
        """Return a page of a librarys files ordered by path."""
        ...
    def move(self, library_key: str, path: str, new_path: str, *, folder_key: str | None = None) -> LibraryFile:
        """Move (rename) the file at ``path`` to ``new_path`` in the same library; return it."""
        ...
    def mark_discovered(self, keys: Sequence[str], discovered_at: int | None = None) -> int:
        """Set ``discovered_at`` on the given files; return how many exist and were updated."""
        ...
    def update_status(self, key: str, status: str) -> LibraryFile:
        """Set the status of one file and return it."""
        ...
    def update_status_many(self, keys: Sequence[str], status: str) -> list[LibraryFile]:
        """Set the status of several files; return the files that exist (missing keys skipped)."""
        ...
    def update_statuses(self, statuses: Mapping[str, str]) -> list[LibraryFile]:
        """Set each files own status (``{key: status}``) in one query; return the files updated."""
        ...
    def find_unchanged(self, files: Sequence[LibraryFileCreate]) -> list[str]:
        """Return the keys of ``files`` stored with the same size and mtime (skippable)."""
        ...
    def count_by_status(self, library_key: str) -> dict[str, int]:
        """Return the number of files per status in a library."""
        ...
    def delete_folder_files(self, folder_key: str) -> DeletionCounts:
        """Reset a directory: delete the folders files with their edges and claims."""
        ...
    def delete_many(self, keys: Sequence[str]) -> DeletionCounts:
        """Delete files with their library and tag edges and claims; missing keys are skipped."""
        ...


@runtime_checkable
class QueueStore(Protocol):
    """What ``db.queue`` provides (implemented by :class:`nomarr.persistence.database.queue_aql.QueueOperations`)."""
    def enqueue(self, job_type: str, payload: dict[str, Any] | None = None, priority: int = 0) -> QueueJob:
        """Add a pending job and return it (higher ``priority`` is claimed first)."""
        ...
    def claim_next(self, worker_id: str, job_types: Sequence[str] | None = None) -> QueueJob | None:
        """Move the next pending job to ``running`` for ``worker_id`` and return it."""
        ...
    def get(self, key: str) -> QueueJob:
        """Return the job ``key`` with its latest in-memory progress."""
        ...
    def list(self, status: str | None = None, job_type: str | None = None, limit: int = 50, offset: int = 0) -> list[QueueJob]:
        """Return a page of jobs, newest first, optionally filtered by status and type."""
        ...
    def iter_jobs(self, status: str | None = None, job_type: str | None = None, batch_size: int = 1000) -> Iterator[QueueJob]:
        """Yield every job, optionally of one status and type, in ``_key`` order, one query per batch."""
        ...
    def update_progress(self, key: str, fraction: float, message: str | None = None) -> None:
        """Record progress of a running job in memory only (written at the next state change)."""
        ...
    def complete(self, key: str, result: Any = None) -> QueueJob:
        """Mark a job done with an optional JSON ``result``."""
        ...
    def fail(self, key: str, error: str) -> QueueJob:
        """Mark a job failed with an error message."""
        ...
    def cancel(self, key: str) -> QueueJob:
        """Mark a job cancelled."""
        ...
    def requeue(self, key: str) -> QueueJob:
        """Put a job back to ``pending`` (whether and when to retry is the callers decision)."""
        ...
    def delete(self, key: str) -> bool:
        """Delete the job ``key`` whatever its state; return False when there was none."""
        ...
    def remove_finished_before(self, cutoff_ms: int) -> int:
        """Delete finished jobs that finished before ``cutoff_ms``; return how many."""
        ...
    def count_by_status(self) -> dict[str, int]:
        """Return the number of jobs per status."""
        ...


@runtime_checkable
class WorkerClaimsStore(Protocol):
    """What ``db.worker_claims`` provides (implemented by :class:`nomarr.persistence.database.worker_claims_aql.WorkerClaimsOperations`)."""
    def try_claim(self, file_key: str, worker_id: str, claimed_at: int | None = None) -> WorkerClaim | None:
        """Claim one file for ``worker_id``; None when another claim holds it."""
        ...
    def try_claim_many(self, file_keys: Sequence[str], worker_id: str, claimed_at: int | None = None) -> list[WorkerClaim]:
        """Claim every file of ``file_keys`` that nobody holds; return the claims obtained."""
        ...
    def release(self, file_key: str, worker_id: str | None = None) -> bool:
        """Remove the claim on a file (only if ``worker_id`` holds it, when given)."""
        ...
    def release_many(self, file_keys: Sequence[str], worker_id: str | None = None) -> int:
        """Remove the claims on several files; return how many were removed."""
        ...
    def release_held(self, file_keys: Sequence[str], worker_id: str) -> list[str]:
        """Remove the claims ``worker_id`` holds on ``file_keys``; return those files keys."""
        ...
    def remove_older_than(self, cutoff_ms: int) -> int:
        """Remove claims made before ``cutoff_ms``; return how many were removed."""
        ...
    def get(self, file_key: str) -> WorkerClaim | None:
        """Return the claim on a file, or None when it is not claimed."""
        ...
    def list_for_worker(self, worker_id: str) -> list[WorkerClaim]:
        """Return the claims ``worker_id`` holds, oldest first."""
        ...


@runtime_checkable
class TagsStore(Protocol):
    """What ``db.tags`` provides (implemented by :class:`nomarr.persistence.database.tags_aql.TagsOperations`)."""
    def set_file_tags(self, file_key: str, tags: Sequence[TagValue]) -> int:
        """Add ``tags`` to a file (existing tags of the file stay); return links written."""
        ...
    def replace_file_tags(self, file_key: str, tags: Sequence[TagValue]) -> int:
        """Make ``tags`` exactly the files tags; return how many stale links were removed."""
        ...
    def add_tags(self, tags: Sequence[TagValue]) -> None:
        """Store the tag documents ``tags`` (existing ones stay as they are), linking no file."""
        ...
    def replace_tags_of_files(self, tags_by_file: Mapping[str, Sequence[TagValue]]) -> list[str]:
        """Make each files tags exactly those given, for a batch of files; return the keys found."""
        ...
    def remove_file_tags(self, file_key: str) -> int:
        """Remove every tag of a file; return how many links were removed."""
        ...
    def get_file_tags(self, file_key: str) -> list[Tag]:
        """Return a files tags ordered by name and value."""
        ...
    def get_tags_of_files(self, file_keys: Sequence[str]) -> dict[str, list[Tag]]:
        """Return each file's tags ordered by name and value, in one query."""
        ...
    def get_files_by_tag(self, name: str, value: str, limit: int = 1000) -> list[LibraryFile]:
        """Return files tagged ``name=value``, ordered by path."""
        ...
    def iter_files_with_tags(self, tags: Sequence[TagValue], batch_size: int = 1000) -> Iterator[LibraryFile]:
        """Yield every file carrying *all* of ``tags``, in ``_id`` order, one query per batch."""
        ...
    def iter_files_by_tag(self, name: str, value: str, batch_size: int = 1000) -> Iterator[LibraryFile]:
        """Yield every file tagged ``name=value``, in ``_id`` order, one query per batch."""
        ...
    def tag_counts(self, name: str | None = None) -> list[TagCount]:
        """Return how many files carry each tag (only tags called ``name``, when given)."""
        ...
    def get(self, name: str, value: str) -> Tag:
        """Return the tag ``name=value``."""
        ...


@runtime_checkable
class HealthStore(Protocol):
    """What ``db.health`` provides (implemented by :class:`nomarr.persistence.database.health_aql.HealthOperations`)."""
    def record_heartbeat(self, component: str, at_ms: int | None = None, info: dict[str, Any] | None = None) -> Heartbeat:
        """Record that ``component`` is reporting, with optional facts in ``info``."""
        ...
    def get_last_heartbeat(self, component: str) -> int | None:
        """Return when ``component`` last reported (milliseconds), or None if never."""
        ...
    def find(self, component: str) -> Heartbeat | None:
        """Return the heartbeat record of ``component``, or None if it never reported."""
        ...
    def list_components(self) -> list[Heartbeat]:
        """Return the heartbeat record of every component that ever reported."""
        ...
    def remove(self, component: str) -> bool:
        """Forget a component; return whether it was known."""
        ...
    def remove_older_than(self, cutoff_ms: int) -> int:
        """Forget components whose last heartbeat is before ``cutoff_ms``; return how many."""
        ...


@runtime_checkable
class LocksStore(Protocol):
    """What ``db.locks`` provides (implemented by :class:`nomarr.persistence.database.locks_aql.LocksOperations`)."""
    def acquire(self, target: str, holder: str, ttl_s: int, now: int | None = None) -> Lock | None:
        """Take the lock on ``target`` for ``ttl_s`` seconds; None when someone else holds it."""
        ...
    def release(self, target: str, holder: str) -> bool:
        """Release the lock on ``target`` if ``holder`` holds it; return whether it did."""
        ...
    def find(self, target: str) -> Lock | None:
        """Return the lock document on ``target`` (possibly expired), or None."""
        ...


@runtime_checkable
class MetaStore(Protocol):
    """What ``db.meta`` provides (implemented by :class:`nomarr.persistence.database.meta_aql.MetaOperations`)."""
    def get(self, name: str, default: Any = None) -> Any:
        """Return the value stored under ``name``, or ``default``."""
        ...
    def get_entry(self, name: str) -> MetaEntry | None:
        """Return the entry stored under ``name`` with its timestamp, or None."""
        ...
    def set(self, name: str, value: Any) -> MetaEntry:
        """Store ``value`` (any JSON) under ``name``, replacing what was there."""
        ...
    def delete(self, name: str) -> bool:
        """Remove ``name``; return whether it existed."""
        ...
    def list_entries(self) -> list[MetaEntry]:
        """Return every entry, ordered by name."""
        ...


@runtime_checkable
class LibraryStatsStore(Protocol):
    """What ``db.stats`` provides (implemented by :class:`nomarr.persistence.database.library_stats_aql.LibraryStatsOperations`)."""
    def find(self, library_key: str) -> LibraryStats | None:
        """Return the stored statistics of a library, or None if never computed."""
        ...
    def refresh(self, library_key: str) -> LibraryStats:
        """Recompute and store one librarys statistics."""
        ...
    def rebuild(self) -> int:
        """Recompute every librarys statistics from scratch; return how many were stored."""
        ...


@runtime_checkable
class ScanRunsStore(Protocol):
    """What ``db.scan_runs`` provides (implemented by :class:`nomarr.persistence.database.scan_runs_aql.ScanRunsOperations`)."""
    def start(self, library_key: str, started_at: int | None = None) -> ScanRun:
        """Record that a scan of ``library_key`` started; return the running record."""
        ...
    def finish(
        self, key: str, outcome: ScanOutcome, counts: Mapping[str, int], error: str | None = None,
        problems: Sequence[Mapping[str, str]] = (),
    ) -> ScanRun:
        """Record how the run ``key`` ended, with its counts and folder problems; return the record."""
        ...
    def recent(self, limit: int = 10, library_key: str | None = None) -> list[ScanRun]:
        """Return the latest ``limit`` runs, newest first (of one library, when given)."""
        ...
    def remove_finished_before(self, cutoff_ms: int) -> int:
        """Delete runs that finished before ``cutoff_ms``; return how many were removed."""
        ...


@runtime_checkable
class FileProblemsStore(Protocol):
    """What ``db.file_problems`` provides (implemented by :class:`nomarr.persistence.database.file_problems_aql.FileProblemsOperations`)."""
    def record(self, problems: Mapping[str, tuple[str, str]]) -> int:
        """Store each file's status and reason; return how many files were updated."""
        ...
    def iter_by_status(self, statuses: Sequence[str], library_key: str | None = None) -> Iterator[LibraryFile]:
        """Return an iterator over the files in any of ``statuses``, with their reasons."""
        ...


@runtime_checkable
class FileSearchStore(Protocol):
    """What ``db.file_search`` provides (implemented by :class:`nomarr.persistence.database.file_search_aql.FileSearchOperations`)."""
    def iter_matching(self, groups: Sequence[Sequence[dict[str, Any]]], library_key: str | None = None) -> Iterator[LibraryFile]:
        """Return an iterator over every file matching ``groups``, by library and path."""
        ...
    def tag_names(self) -> list[str]:
        """Return the name of every stored tag, sorted."""
        ...


@runtime_checkable
class HousekeepingStore(Protocol):
    """What ``db.housekeeping`` provides (implemented by :class:`nomarr.persistence.database.housekeeping_aql.HousekeepingOperations`)."""
    def count_orphan_tags(self) -> int:
        """Return how many tag documents no file carries."""
        ...
    def remove_orphan_tags(self) -> int:
        """Delete the tag documents no file carries; return how many were removed."""
        ...


if TYPE_CHECKING:  # mypy checks here that the ArangoDB implementation satisfies every protocol
    from nomarr.persistence.bound_operations import BoundOperations

    def _implements(db: BoundOperations) -> None:
        stores: tuple[
            LibrariesStore, LibraryFoldersStore, LibraryFilesStore, QueueStore, WorkerClaimsStore,
            TagsStore, HealthStore, LocksStore, MetaStore, LibraryStatsStore, ScanRunsStore,
            FileProblemsStore, FileSearchStore, HousekeepingStore,
        ] = (
            db.libraries, db.library_folders, db.library_files, db.queue, db.worker_claims,
            db.tags, db.health, db.locks, db.meta, db.stats, db.scan_runs,
            db.file_problems, db.file_search, db.housekeeping,
        )  # fmt: skip
        del stores
