"""Async ``db.queue``: the queries of :mod:`nomarr.persistence.database.queue_aql`, awaited.

Progress reports (kept in memory by the sync class) are not part of the async subset.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nomarr.helpers.dto import JobStatus, QueueJob
from nomarr.helpers.keys import validate_job_type, validate_key
from nomarr.helpers.many import many
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.aio.runner import AsyncOperationsBase
from nomarr.persistence.database.queue_aql import (
    CLAIM_NEXT_JOB,
    COUNT_JOBS_BY_STATUS,
    DELETE_JOB,
    GET_JOB,
    INSERT_JOB,
    UPDATE_JOB,
    job_document,
)
from nomarr.persistence.operations_base import BindVars
from nomarr.persistence.schema import QUEUE

__all__ = ["AsyncQueueOperations"]


class AsyncQueueOperations(AsyncOperationsBase):
    """A persistent job queue, awaited."""

    group = QUEUE

    async def enqueue(self, job_type: str, payload: dict[str, Any] | None = None, priority: int = 0) -> QueueJob:
        """Add a pending job and return it (higher ``priority`` is claimed first)."""
        bind: BindVars = {"@queue": QUEUE, "doc": job_document(job_type, payload, priority)}
        return QueueJob.model_validate(await self._first(lambda db: db.aql.execute(INSERT_JOB, bind_vars=bind), "enqueue"))

    async def claim_next(self, worker_id: str, job_types: Sequence[str] | None = None) -> QueueJob | None:
        """Move the next pending job to ``running`` for ``worker_id``; None when none is pending."""
        types = None if job_types is None else [validate_job_type(t) for t in many(job_types, "queue.claim_next(job_types)")]
        bind: BindVars = {
            "@queue": QUEUE,
            "pending": JobStatus.PENDING.value,
            "running": JobStatus.RUNNING.value,
            "job_types": types,
            "worker_id": worker_id,
            "now": now_ms(),
        }
        row = await self._first(lambda db: db.aql.execute(CLAIM_NEXT_JOB, bind_vars=bind), "claim_next")
        return None if row is None else QueueJob.model_validate(row)

    async def get(self, key: str) -> QueueJob:
        """Return the job ``key`` (DocumentNotFoundError when missing)."""
        bind: BindVars = {"@queue": QUEUE, "key": validate_key(key)}
        row = await self._first(lambda db: db.aql.execute(GET_JOB, bind_vars=bind), "get")
        return QueueJob.model_validate(self._required(row, "get", key))

    async def complete(self, key: str, result: Any = None) -> QueueJob:
        """Mark a job done with an optional JSON ``result``."""
        return await self._finish(key, JobStatus.DONE, {"result": result, "error": None})

    async def fail(self, key: str, error: str) -> QueueJob:
        """Mark a job failed with an error message."""
        return await self._finish(key, JobStatus.FAILED, {"error": error})

    async def delete(self, key: str) -> bool:
        """Delete the job ``key`` whatever its state; return False when there was none."""
        bind: BindVars = {"@queue": QUEUE, "key": validate_key(key)}
        return bool(await self._rows(lambda db: db.aql.execute(DELETE_JOB, bind_vars=bind), "delete"))

    async def count_by_status(self) -> dict[str, int]:
        """Return the number of jobs per status."""
        bind: BindVars = {"@queue": QUEUE}
        rows = await self._rows(lambda db: db.aql.execute(COUNT_JOBS_BY_STATUS, bind_vars=bind), "count_by_status")
        return {row["status"]: row["jobs"] for row in rows}

    async def _finish(self, key: str, status: JobStatus, fields: dict[str, Any]) -> QueueJob:
        now = now_ms()
        changes = {**fields, "status": status.value, "finished_at": now, "updated_at": now}
        bind: BindVars = {"@queue": QUEUE, "key": validate_key(key), "changes": changes}
        row = await self._first(lambda db: db.aql.execute(UPDATE_JOB, bind_vars=bind), status.value)
        return QueueJob.model_validate(self._required(row, status.value, key))
