"""Queries on ``queue``: enqueue, claim, state changes, listing and clean-up of jobs.

Progress reports stay in memory (:class:`~nomarr.persistence.progress_buffer.ProgressBuffer`)
and are written only together with a state change.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from nomarr.helpers.dto import FINISHED_JOB_STATUSES, JobStatus, QueueJob
from nomarr.helpers.keys import new_key, validate_job_type, validate_key
from nomarr.helpers.many import many
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.operations_base import ITER_BATCH_SIZE, BaseOperations, BindVars
from nomarr.persistence.progress_buffer import Progress, ProgressBuffer
from nomarr.persistence.query_runner import QueryRunner
from nomarr.persistence.schema import QUEUE

__all__ = ["QueueOperations"]

# bind: @@queue, doc -> [QueueJob]
INSERT_JOB = """
INSERT @doc INTO @@queue
RETURN NEW
"""

# bind: @@queue, pending, running, job_types (null = any), worker_id, now -> [QueueJob] or []
CLAIM_NEXT_JOB = """
FOR job IN @@queue
  FILTER job.status == @pending
  FILTER @job_types == null OR job.job_type IN @job_types
  SORT job.priority DESC, job.created_at ASC, job._key ASC
  LIMIT 1
  UPDATE job WITH {
    status: @running, worker_id: @worker_id, started_at: @now, updated_at: @now,
    attempts: job.attempts + 1
  } IN @@queue
  OPTIONS { ignoreRevs: false }
  RETURN NEW
"""

# bind: @@queue, key -> [QueueJob] or []
GET_JOB = """
FOR job IN @@queue
  FILTER job._key == @key
  RETURN job
"""

# bind: @@queue, status (null = any), job_type (null = any), offset, limit -> [QueueJob] newest first
LIST_JOBS = """
FOR job IN @@queue
  FILTER @status == null OR job.status == @status
  FILTER @job_type == null OR job.job_type == @job_type
  SORT job.created_at DESC, job._key DESC
  LIMIT @offset, @limit
  RETURN job
"""

# bind: @@queue, status (null = any), job_type (null = any), after, limit
# -> [QueueJob] with _key > after, in _key order (keyset pages on the primary index)
PAGE_OF_JOBS = """
FOR job IN @@queue
  FILTER job._key > @after
  FILTER @status == null OR job.status == @status
  FILTER @job_type == null OR job.job_type == @job_type
  SORT job._key
  LIMIT @limit
  RETURN job
"""

# bind: @@queue, key, changes -> [QueueJob] or []
UPDATE_JOB = """
FOR job IN @@queue
  FILTER job._key == @key
  UPDATE job WITH @changes IN @@queue
  OPTIONS { mergeObjects: false }
  RETURN NEW
"""

# bind: @@queue, key -> [1] when the job was removed, [] when there was none
DELETE_JOB = """
FOR job IN @@queue
  FILTER job._key == @key
  REMOVE job IN @@queue
  RETURN 1
"""

# bind: @@queue, finished, cutoff -> [number of jobs removed]
CLEANUP_JOBS = """
FOR job IN @@queue
  FILTER job.status IN @finished AND job.finished_at != null AND job.finished_at < @cutoff
  REMOVE job IN @@queue
  COLLECT WITH COUNT INTO removed
  RETURN removed
"""

# bind: @@queue -> [{status, jobs}]
COUNT_JOBS_BY_STATUS = """
FOR job IN @@queue
  COLLECT status = job.status WITH COUNT INTO jobs
  RETURN { status, jobs }
"""


class QueueOperations(BaseOperations):
    """A persistent job queue with in-memory progress.

    Args:
        runner: executes the queries.
        progress: the progress buffer shared with the owning Database.
    """

    group = QUEUE

    def __init__(self, runner: QueryRunner, progress: ProgressBuffer) -> None:
        super().__init__(runner)
        self._progress = progress

    def enqueue(self, job_type: str, payload: dict[str, Any] | None = None, priority: int = 0) -> QueueJob:
        """Add a pending job and return it (higher ``priority`` is claimed first)."""
        bind: BindVars = {"@queue": QUEUE, "doc": job_document(job_type, payload, priority)}
        row = self._first(lambda db: db.aql.execute(INSERT_JOB, bind_vars=bind), "enqueue", idempotent=True)
        return QueueJob.model_validate(row)

    def claim_next(self, worker_id: str, job_types: Sequence[str] | None = None) -> QueueJob | None:
        """Move the next pending job to ``running`` for ``worker_id`` and return it.

        Highest priority first, then oldest. Two workers never get the same job: a concurrent
        claim of the same job conflicts and is retried on the next one. None when none pending.
        """
        bind: BindVars = {
            "@queue": QUEUE,
            "pending": JobStatus.PENDING.value,
            "running": JobStatus.RUNNING.value,
            "job_types": None if job_types is None else [validate_job_type(t) for t in many(job_types, "queue.claim_next(job_types)")],
            "worker_id": worker_id,
            "now": now_ms(),
        }
        row = self._first(
            lambda db: db.aql.execute(CLAIM_NEXT_JOB, bind_vars=bind),
            "claim_next",
            idempotent=False,
            conflict_safe=True,
        )
        return None if row is None else QueueJob.model_validate(row)

    def get(self, key: str) -> QueueJob:
        """Return the job ``key`` with its latest in-memory progress.

        Raises:
            DocumentNotFoundError: no such job.
        """
        bind: BindVars = {"@queue": QUEUE, "key": validate_key(key)}
        row = self._first(lambda db: db.aql.execute(GET_JOB, bind_vars=bind), "get", idempotent=True)
        return self._with_progress(self._required(row, "get", key))

    def list(
        self, status: str | None = None, job_type: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[QueueJob]:
        """Return a page of jobs, newest first, optionally filtered by status and type."""
        bind: BindVars = {
            "@queue": QUEUE,
            "status": None if status is None else str(status),
            "job_type": None if job_type is None else validate_job_type(job_type),
            "offset": int(offset),
            "limit": int(limit),
        }
        rows = self._rows(lambda db: db.aql.execute(LIST_JOBS, bind_vars=bind), "list", idempotent=True)
        return [self._with_progress(row) for row in rows]

    def iter_jobs(
        self, status: str | None = None, job_type: str | None = None, batch_size: int = ITER_BATCH_SIZE
    ) -> Iterator[QueueJob]:
        """Yield every job, optionally of one status and type, in ``_key`` order.

        Keyset pagination on the primary index: one query per ``batch_size`` jobs, memory holds
        one batch, and a job whose state changes while the stream runs (say, completed by the
        caller) is neither skipped nor repeated, as it is with :meth:`list`'s offset pages.
        The arguments are checked at once; the jobs are read as they are iterated.
        """
        bind: BindVars = {
            "@queue": QUEUE,
            "status": None if status is None else str(status),
            "job_type": None if job_type is None else validate_job_type(job_type),
            "after": "",
            "limit": int(batch_size),
        }
        rows = self._pages(lambda db: db.aql.execute(PAGE_OF_JOBS, bind_vars=bind, batch_size=bind["limit"]), bind, "iter_jobs")
        return (self._with_progress(row) for row in rows)

    def update_progress(self, key: str, fraction: float, message: str | None = None) -> None:
        """Record progress of a running job in memory only (written at the next state change)."""
        self._progress.put(validate_key(key), Progress(float(fraction), message))

    def complete(self, key: str, result: Any = None) -> QueueJob:
        """Mark a job done with an optional JSON ``result``."""
        return self._finish(key, JobStatus.DONE, {"result": result, "error": None})

    def fail(self, key: str, error: str) -> QueueJob:
        """Mark a job failed with an error message."""
        return self._finish(key, JobStatus.FAILED, {"error": error})

    def cancel(self, key: str) -> QueueJob:
        """Mark a job cancelled."""
        return self._finish(key, JobStatus.CANCELLED, {})

    def requeue(self, key: str) -> QueueJob:
        """Put a job back to ``pending`` (whether and when to retry is the caller's decision)."""
        changes = {"status": JobStatus.PENDING.value, "worker_id": None, "started_at": None}
        return self._transition(key, changes, "requeue")

    def delete(self, key: str) -> bool:
        """Delete the job ``key`` whatever its state; return False when there was none.

        Deleting a running job does not stop its worker: its later ``complete``/``fail`` then
        raises DocumentNotFoundError. Cancel a job first when that matters.
        """
        key = validate_key(key)
        bind: BindVars = {"@queue": QUEUE, "key": key}
        removed = self._rows(lambda db: db.aql.execute(DELETE_JOB, bind_vars=bind), "delete", idempotent=True)
        self._progress.take(key)
        return bool(removed)

    def remove_finished_before(self, cutoff_ms: int) -> int:
        """Delete finished jobs (done, failed, cancelled) that finished before ``cutoff_ms``.

        How long finished jobs are kept is the caller's decision; this only removes.

        Returns:
            The number of jobs removed.
        """
        bind: BindVars = {
            "@queue": QUEUE,
            "finished": [status.value for status in FINISHED_JOB_STATUSES],
            "cutoff": int(cutoff_ms),
        }
        row = self._first(
            lambda db: db.aql.execute(CLEANUP_JOBS, bind_vars=bind), "remove_finished_before", idempotent=True
        )
        return int(row or 0)

    def count_by_status(self) -> dict[str, int]:
        """Return the number of jobs per status."""
        bind: BindVars = {"@queue": QUEUE}
        rows = self._rows(lambda db: db.aql.execute(COUNT_JOBS_BY_STATUS, bind_vars=bind), "count_by_status", idempotent=True)
        return {row["status"]: row["jobs"] for row in rows}

    def _finish(self, key: str, status: JobStatus, fields: dict[str, Any]) -> QueueJob:
        changes = {**fields, "status": status.value, "finished_at": now_ms()}
        return self._transition(key, changes, status.value)

    def _transition(self, key: str, changes: dict[str, Any], what: str) -> QueueJob:
        key = validate_key(key)
        progress = self._progress.take(key)
        fields = {**changes, **(progress.fields() if progress else {}), "updated_at": now_ms()}
        bind: BindVars = {"@queue": QUEUE, "key": key, "changes": fields}
        try:
            row = self._first(lambda db: db.aql.execute(UPDATE_JOB, bind_vars=bind), what, idempotent=True)
        except Exception:
            self._progress.restore(key, progress)
            raise
        return QueueJob.model_validate(self._required(row, what, key))

    def _with_progress(self, row: dict[str, Any]) -> QueueJob:
        progress = self._progress.peek(row["_key"])
        return QueueJob.model_validate({**row, **progress.fields()} if progress else row)


def job_document(job_type: str, payload: dict[str, Any] | None, priority: int) -> dict[str, Any]:
    """Return the document of a new pending job (``job_type`` checked against the allowlist)."""
    now = now_ms()
    return {
        "_key": new_key(),
        "job_type": validate_job_type(job_type),
        "status": JobStatus.PENDING.value,
        "payload": payload or {},
        "priority": int(priority),
        "created_at": now,
        "updated_at": now,
        "attempts": 0,
    }
