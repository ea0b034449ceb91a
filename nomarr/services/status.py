"""What ``nomarr status`` reports: libraries, files by state, the queue and the workers.

The report is data (:class:`StatusReport`, with :meth:`StatusReport.as_dict` for JSON); the
interface renders it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from nomarr.helpers.dto import FileStatus
from nomarr.persistence import Database
from nomarr.services.backend import BackendInfo
from nomarr.services.worker_liveness import WorkerState, worker_states
from nomarr.workflows.scan_guard import folder_problems

__all__ = ["LibraryStatus", "QueueStatus", "StatusReport", "collect_status"]


@dataclass(frozen=True, slots=True)
class LibraryStatus:
    """One library.

    Attributes:
        name: its name.
        root_path: its root directory.
        files: number of files.
        by_state: files per state (``pending``, ``tagged``, ``error``...).
        folder_problems: folders its last scan could not read (``{"path", "reason"}``), from
            that scan's record.
    """

    name: str
    root_path: str
    files: int
    by_state: dict[str, int]
    folder_problems: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class QueueStatus:
    """Work outstanding.

    Attributes:
        pending: files waiting to be tagged (not claimed).
        in_progress: files claimed by a worker right now.
        jobs: ``tag_files`` jobs per status (``pending`` until all their files are processed).
    """

    pending: int
    in_progress: int
    jobs: dict[str, int]

    @property
    def depth(self) -> int:
        """Files not tagged yet: waiting plus in progress."""
        return self.pending + self.in_progress


@dataclass(frozen=True, slots=True)
class StatusReport:
    """Everything ``nomarr status`` shows.

    Attributes:
        backend: where the data lives.
        schema_version: the database's schema version.
        libraries: one entry per library.
        queue: work outstanding.
        workers: every worker that reported, with the health service's verdict.
        stale_after_s: the threshold the verdicts used.
        scans: the latest scan runs, newest first (library, started_at, finished_at ms,
            outcome, counts, problems: the folders it could not read).
    """

    backend: BackendInfo
    schema_version: int
    libraries: list[LibraryStatus] = field(default_factory=list)
    queue: QueueStatus = field(default_factory=lambda: QueueStatus(0, 0, {}))
    workers: list[WorkerState] = field(default_factory=list)
    stale_after_s: float = 0.0
    scans: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        data = asdict(self)
        data["queue"]["depth"] = self.queue.depth
        return data


def collect_status(db: Database, backend: BackendInfo, stale_after_s: float) -> StatusReport:
    """Gather the status report from the database."""
    libraries = []
    pending = 0
    for library in db.libraries.list():
        counts = db.library_files.count_by_status(library.key_)
        pending += counts.get(FileStatus.PENDING, 0)
        libraries.append(
            LibraryStatus(
                library.name, library.root_path, sum(counts.values()), dict(sorted(counts.items())),
                folder_problems(db, library.key_),
            )
        )  # fmt: skip
    workers = worker_states(db, stale_after_s)
    in_progress = sum(worker.claims for worker in workers)
    queue = QueueStatus(max(0, pending - in_progress), in_progress, dict(sorted(db.queue.count_by_status().items())))
    return StatusReport(backend, db.schema_version(), libraries, queue, workers, stale_after_s, _recent_scans(db))


def _recent_scans(db: Database, limit: int = 5) -> list[dict[str, Any]]:
    names = {library.key_: library.name for library in db.libraries.list()}
    return [
        {
            "library": names.get(run.library_key, run.library_key),
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "outcome": run.outcome,
            "counts": run.counts,
            "problems": run.problems or [],
        }
        for run in db.scan_runs.recent(limit)
    ]
