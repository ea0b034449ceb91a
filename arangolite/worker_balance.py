"""Spreading connections over the workers of ``arangolite serve --workers N``.

All workers wait on one listening socket and the kernel wakes them all; the one that was
running last tends to win every race, so a handful of keep-alive clients would all land on one
worker. Each worker keeps its count of open connections in a slot of an array shared with the
others (shared memory, made by the parent before it forks); a worker with more connections than
the least busy one lets a new connection pass for a moment, so the least busy takes it. After
:data:`PATIENCE` seconds it accepts anyway (the least busy may be stuck or starting again).
"""

from __future__ import annotations

import threading
import time
from typing import Any

__all__ = ["PATIENCE", "Balance"]

PATIENCE = 0.005  # seconds a connection is left to a less busy worker


class Balance:
    """One worker's view of the shared open-connection counts."""

    def __init__(self, counts: Any, index: int) -> None:
        self.counts = counts  # a multiprocessing RawArray of ints, one slot per worker
        self.index = index
        self._lock = threading.Lock()
        self._waiting_since: float | None = None
        counts[index] = 0  # a worker started again begins with none

    def opened(self) -> None:
        with self._lock:
            self.counts[self.index] += 1
            self._waiting_since = None

    def closed(self) -> None:
        with self._lock:
            self.counts[self.index] -= 1

    def defer(self) -> bool:
        """True when a waiting connection is better left to a less busy worker for now."""
        mine = self.counts[self.index]
        if mine <= min(self.counts[:]):
            self._waiting_since = None
            return False
        now = time.monotonic()
        if self._waiting_since is None:
            self._waiting_since = now
        if now - self._waiting_since >= PATIENCE:
            return False
        time.sleep(PATIENCE / 10)
        return True
