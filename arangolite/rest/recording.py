"""The API-call recording behind ``GET /_admin/server/api-calls`` (ArangoDB's recording API):
time stamp, method, path and database of each served request, the most recent ones within a
memory budget. The router notes each request; :mod:`arangolite.rest.admin_info` answers."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any

from arangolite.rest.http import Request

__all__ = ["calls", "record_call"]

_BUDGET = 25 * 1024 * 1024  # bytes, ArangoDB's --server.api-recording-memory-limit
_calls: deque[tuple[int, dict[str, Any]]] = deque()
_calls_lock = threading.Lock()
_calls_bytes = 0


def record_call(request: Request) -> None:
    """Note one served request for ``GET /_admin/server/api-calls``."""
    global _calls_bytes
    entry = {
        "timeStamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "requestType": request.method, "path": request.path, "database": request.db_name,
    }
    size = len(request.path) + len(request.db_name) + 64
    with _calls_lock:
        _calls.append((size, entry))
        _calls_bytes += size
        while _calls_bytes > _BUDGET:
            _calls_bytes -= _calls.popleft()[0]


def calls() -> list[dict[str, Any]]:
    """The recorded calls, oldest first."""
    with _calls_lock:
        return [entry for _, entry in _calls]
