"""When a request triggers the engine's maintenance: on a schedule, or when a TTL index says a
document has expired, never as a walk over every collection on every request.

Every request first catches up with what other processes committed to the data directory (one
cheap version check when nothing changed; ``Engine.serving``, entered by the router before
:func:`run_due`). Every ``interval`` seconds the engine's full
maintenance runs (idle stream transactions, TTL sweep) and the list of TTL indexes is refreshed.
Between those runs a request only compares ``now`` with the earliest expiry of each known TTL
index (usually none or one), so an expired document still disappears before the next request
reads it.
"""

from __future__ import annotations

import time
import weakref
from typing import Any

from arangolite.storage.engine import Engine

__all__ = ["reschedule", "run_due"]

INTERVAL = 0.5


class _Schedule:
    def __init__(self) -> None:
        self.next_full = 0.0
        self.ttl_indexes: list[Any] = []

    def refresh(self, engine: Engine) -> None:
        self.ttl_indexes = [
            ttl
            for db in list(engine.databases.values())
            for coll in list(db.collections.values())
            if (ttl := coll.ttl_index()) is not None
        ]

    def ttl_due(self, now: float) -> bool:
        for ttl in self.ttl_indexes:
            first = ttl.next_expiry()
            if first is not None and first <= now:
                return True
        return False


_SCHEDULES: weakref.WeakKeyDictionary[Engine, _Schedule] = weakref.WeakKeyDictionary()


def run_due(engine: Engine) -> None:
    """Run the engine's maintenance if due (call with the engine lock held, inside
    ``engine.serving()``, which has caught up on other processes' commits)."""
    schedule = _SCHEDULES.get(engine)
    if schedule is None:
        schedule = _SCHEDULES[engine] = _Schedule()
    now = time.time()
    if now >= schedule.next_full:
        engine.maintenance()
        schedule.refresh(engine)
        schedule.next_full = now + INTERVAL
    elif engine.ttl_lazy and schedule.ttl_due(now):
        engine.sweep_ttl(now)


def reschedule(engine: Engine) -> None:
    """Run the full maintenance (and refresh the TTL indexes watched) at the next request."""
    schedule = _SCHEDULES.get(engine)
    if schedule is not None:
        schedule.next_full = 0.0
