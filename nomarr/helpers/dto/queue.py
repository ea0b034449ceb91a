"""DTOs for queued jobs."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field

from nomarr.helpers.dto.base import ArangoDocument

__all__ = ["FINISHED_JOB_STATUSES", "JobStatus", "QueueJob"]


class JobStatus(StrEnum):
    """A job's lifecycle states."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED_JOB_STATUSES = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


class QueueJob(ArangoDocument):
    """A stored job.

    ``progress`` and ``message`` reflect the in-memory progress of a running job when read
    through the process that reports it; they are written to the database only at state changes.
    """

    job_type: str
    status: str
    payload: dict[str, Any] = Field(default_factory=dict)
    priority: int = 0
    created_at: int
    updated_at: int
    started_at: int | None = None
    finished_at: int | None = None
    worker_id: str | None = None
    attempts: int = 0
    progress: float | None = None
    message: str | None = None
    error: str | None = None
    result: Any = None
