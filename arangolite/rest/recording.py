"""ArangoDB's recording API: the most recent entries within a memory budget, per server.

``GET /_admin/server/api-calls`` lists each served request (time stamp, method, path, database):
the router notes them in :data:`calls_of` and :mod:`arangolite.rest.admin_info` answers.
``GET /_admin/server/aql-queries`` lists the cursor queries, kept the same way by
:mod:`arangolite.rest.query_tracking`. Each engine (one server) has its own lists.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any

from arangolite.rest.http import Request
from arangolite.rest.per_engine import PerEngine

__all__ = ["BUDGET", "Recording", "calls_of", "record_call", "stamp"]

BUDGET = 25 * 1024 * 1024  # bytes, ArangoDB's --server.api-recording-memory-limit


_last_stamp: tuple[int, str] = (-1, "")


def stamp() -> str:
    """The current time as the recording API shows it (to the second: formatted once a second,
    every request notes one or two)."""
    global _last_stamp
    now = int(time.time())
    second, text = _last_stamp
    if second != now:
        text = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))
        _last_stamp = (now, text)
    return text


class Recording:
    """Entries, oldest first, dropped from the front once their estimated bytes exceed ``budget``."""

    def __init__(self, budget: int = BUDGET) -> None:
        self._budget = budget
        self._entries: deque[tuple[int, dict[str, Any]]] = deque()
        self._bytes = 0
        self._lock = threading.Lock()

    def add(self, size: int, entry: dict[str, Any]) -> None:
        """Keep ``entry`` (about ``size`` bytes), dropping the oldest entries over the budget."""
        with self._lock:
            self._entries.append((size, entry))
            self._bytes += size
            while self._bytes > self._budget:
                self._bytes -= self._entries.popleft()[0]

    def entries(self) -> list[dict[str, Any]]:
        """The kept entries, oldest first."""
        with self._lock:
            return [entry for _, entry in self._entries]


#: The API calls served by one engine (one server).
calls_of: PerEngine[Recording] = PerEngine(Recording)


def record_call(recording: Recording, request: Request) -> None:
    """Note one served request for ``GET /_admin/server/api-calls``."""
    entry = {
        "timeStamp": stamp(), "requestType": request.method, "path": request.path,
        "database": request.db_name,
    }
    recording.add(len(request.path) + len(request.db_name) + 64, entry)
