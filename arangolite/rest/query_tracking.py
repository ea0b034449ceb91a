"""Query tracking settings and the slow-query list (``/_api/query/properties``, ``/slow``).

The settings are per server. A finished cursor query whose execution took at least
``slowQueryThreshold`` seconds is listed as slow (the last ``maxSlowQueries`` per database, with
the query text cut to ``maxQueryStringLength`` and bind parameters only with ``trackBindVars``),
while ``enabled`` and ``trackSlowQueries`` are on.

Every cursor query is also recorded for ``GET /_admin/server/aql-queries`` (ArangoDB's recording
API, admin users only): time stamp, database, query text and bind parameters (left out when their
JSON exceeds 1024 bytes), the most recent ones within a memory budget.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from typing import Any

from arangolite.errors import BAD_PARAMETER, ArangoError
from arangolite.rest.per_engine import PerEngine
from arangolite.rest.recording import Recording, stamp

__all__ = ["Tracking", "tracking_of"]

_DEFAULTS: dict[str, Any] = {
    "enabled": True,
    "trackSlowQueries": True,
    "trackBindVars": True,
    "maxSlowQueries": 64,
    "slowQueryThreshold": 10,
    "slowStreamingQueryThreshold": 10,
    "maxQueryStringLength": 4096,
}


_BIND_VARS_LIMIT = 1024
_encode = json.JSONEncoder(default=str).encode  # json.dumps(..., default=str), built once


class Tracking:
    """One server's tracking settings and slow queries."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.properties = dict(_DEFAULTS)
        self.slow: dict[str, deque[dict[str, Any]]] = {}
        self.recorded = Recording()

    def configure(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Apply ``PUT /_api/query/properties`` (400 for a value of the wrong type)."""
        new = dict(self.properties)
        for name, default in _DEFAULTS.items():
            if name not in changes:
                continue
            value = changes[name]
            if isinstance(default, bool):
                ok = type(value) is bool
            else:
                ok = type(value) in (int, float) and value >= 0
            if not ok:
                raise ArangoError(BAD_PARAMETER, f"invalid value for '{name}'")
            new[name] = value
        with self.lock:
            self.properties = new
            for entries in self.slow.values():
                while len(entries) > new["maxSlowQueries"]:
                    entries.popleft()
        return dict(new)

    def finished(
        self, database: str, query: str, bind_vars: dict[str, Any], seconds: float, *,
        stream: bool = False,
    ) -> None:
        """Note a finished query: recorded, and kept as slow when it was and that is tracked."""
        self._record(database, query, bind_vars)
        props = self.properties
        threshold = props["slowStreamingQueryThreshold" if stream else "slowQueryThreshold"]
        if not (props["enabled"] and props["trackSlowQueries"]) or seconds < threshold:
            return
        started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - seconds))
        entry = {
            "id": str(time.monotonic_ns()), "database": database, "user": "root",
            "query": query[: int(props["maxQueryStringLength"])],
            "bindVars": bind_vars if props["trackBindVars"] else {},
            "started": started, "runTime": seconds, "peakMemoryUsage": 0,
            "state": "finished", "stream": stream,
        }
        with self.lock:
            entries = self.slow.setdefault(database, deque())
            entries.append(entry)
            while len(entries) > props["maxSlowQueries"]:
                entries.popleft()

    def _record(self, database: str, query: str, bind_vars: dict[str, Any]) -> None:
        binds = _encode(bind_vars) if bind_vars else "{}"
        kept = bind_vars if len(binds) <= _BIND_VARS_LIMIT else {}
        entry = {"timeStamp": stamp(), "database": database, "query": query, "bindVars": kept}
        self.recorded.add(len(query) + (len(binds) if kept else 2) + 64, entry)

    def recorded_queries(self) -> list[dict[str, Any]]:
        """``GET /_admin/server/aql-queries``: the recorded queries, oldest first."""
        return self.recorded.entries()

    def slow_queries(self, database: str) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.slow.get(database, ()))

    def clear_slow(self, database: str) -> None:
        with self.lock:
            self.slow.pop(database, None)


#: The tracking state of one engine (one server).
tracking_of: PerEngine[Tracking] = PerEngine(Tracking)
