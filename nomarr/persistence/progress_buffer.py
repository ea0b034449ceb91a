"""In-memory progress of running jobs.

Progress changes many times a second; writing each change would make the queue collection the
bottleneck. :class:`ProgressBuffer` keeps the latest progress per job in memory; queue state
changes (complete, fail, cancel, requeue) take it out and write it with the new state. One
buffer is shared by a ``Database`` and all its units of work.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

__all__ = ["Progress", "ProgressBuffer"]


@dataclass(frozen=True, slots=True)
class Progress:
    """The latest reported progress of one job.

    Attributes:
        fraction: progress between 0.0 and 1.0.
        message: optional human-readable status line.
    """

    fraction: float
    message: str | None = None

    def fields(self) -> dict[str, float | str | None]:
        """Return the queue document fields this progress is stored under."""
        return {"progress": self.fraction, "message": self.message}


class ProgressBuffer:
    """Thread-safe map of job key to latest :class:`Progress`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, Progress] = {}

    def put(self, job_key: str, progress: Progress) -> None:
        """Remember ``progress`` as the latest for ``job_key``."""
        with self._lock:
            self._entries[job_key] = progress

    def peek(self, job_key: str) -> Progress | None:
        """Return the latest progress of ``job_key`` without removing it."""
        with self._lock:
            return self._entries.get(job_key)

    def take(self, job_key: str) -> Progress | None:
        """Remove and return the latest progress of ``job_key`` (to write it)."""
        with self._lock:
            return self._entries.pop(job_key, None)

    def restore(self, job_key: str, progress: Progress | None) -> None:
        """Put back progress taken for a write that failed, unless newer progress arrived."""
        if progress is None:
            return
        with self._lock:
            self._entries.setdefault(job_key, progress)
