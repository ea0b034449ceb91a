"""The set of Operations objects a ``Database`` and each ``UnitOfWork`` expose.

Both build the same classes on a :class:`~nomarr.persistence.query_runner.QueryRunner`: the
Database's runner uses the plain connection, a unit of work's runner its stream transaction.
So ``db.library_files.upsert_batch(...)`` runs on its own, and
``uow.library_files.upsert_batch(...)`` joins the unit of work.
"""

from __future__ import annotations

from nomarr.persistence.database.file_problems_aql import FileProblemsOperations
from nomarr.persistence.database.file_search_aql import FileSearchOperations
from nomarr.persistence.database.health_aql import HealthOperations
from nomarr.persistence.database.housekeeping_aql import HousekeepingOperations
from nomarr.persistence.database.libraries_aql import LibrariesOperations
from nomarr.persistence.database.library_files_aql import LibraryFilesOperations
from nomarr.persistence.database.library_folders_aql import LibraryFoldersOperations
from nomarr.persistence.database.library_stats_aql import LibraryStatsOperations
from nomarr.persistence.database.locks_aql import LocksOperations
from nomarr.persistence.database.meta_aql import MetaOperations
from nomarr.persistence.database.queue_aql import QueueOperations
from nomarr.persistence.database.scan_runs_aql import ScanRunsOperations
from nomarr.persistence.database.tags_aql import TagsOperations
from nomarr.persistence.database.worker_claims_aql import WorkerClaimsOperations
from nomarr.persistence.progress_buffer import ProgressBuffer
from nomarr.persistence.query_runner import QueryRunner

__all__ = ["BoundOperations"]


class BoundOperations:
    """One Operations object per collection, all sharing one runner.

    Attributes:
        libraries: libraries.
        library_folders: folders of libraries.
        library_files: scanned files and their library edges.
        queue: jobs.
        worker_claims: exclusive claims of files by workers.
        tags: tags and file-to-tag edges.
        health: component heartbeats.
        locks: advisory locks.
        meta: named values.
        stats: derived per-library statistics.
        file_problems: why files failed, and files by status.
        file_search: ``find``'s query.
        housekeeping: orphan tag documents.
        scan_runs: the record of scan runs.
    """

    libraries: LibrariesOperations
    library_folders: LibraryFoldersOperations
    library_files: LibraryFilesOperations
    queue: QueueOperations
    worker_claims: WorkerClaimsOperations
    tags: TagsOperations
    health: HealthOperations
    locks: LocksOperations
    meta: MetaOperations
    stats: LibraryStatsOperations
    file_problems: FileProblemsOperations
    file_search: FileSearchOperations
    housekeeping: HousekeepingOperations
    scan_runs: ScanRunsOperations

    def _bind_operations(self, runner: QueryRunner, progress: ProgressBuffer) -> None:
        self.libraries = LibrariesOperations(runner)
        self.library_folders = LibraryFoldersOperations(runner)
        self.library_files = LibraryFilesOperations(runner)
        self.queue = QueueOperations(runner, progress)
        self.worker_claims = WorkerClaimsOperations(runner)
        self.tags = TagsOperations(runner)
        self.health = HealthOperations(runner)
        self.locks = LocksOperations(runner)
        self.meta = MetaOperations(runner)
        self.stats = LibraryStatsOperations(runner)
        self.file_problems = FileProblemsOperations(runner)
        self.file_search = FileSearchOperations(runner)
        self.housekeeping = HousekeepingOperations(runner)
        self.scan_runs = ScanRunsOperations(runner)
