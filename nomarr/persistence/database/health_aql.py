"""Queries on ``health``: component heartbeats, stored as facts.

Whether a component is alive is decided by ``nomarr.services.health`` from
:meth:`HealthOperations.get_last_heartbeat`; nothing here compares times with the clock.
"""

from __future__ import annotations

from typing import Any

from nomarr.helpers.dto import Heartbeat
from nomarr.helpers.keys import validate_key
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.operations_base import BaseOperations, BindVars
from nomarr.persistence.schema import HEALTH

__all__ = ["HealthOperations"]

# bind: @@health, key, at, info -> [Heartbeat]
# The stored time never moves backwards when heartbeats arrive out of order.
RECORD_HEARTBEAT = """
UPSERT { _key: @key }
INSERT { _key: @key, component: @key, last_heartbeat_ms: @at, beats: 1, info: @info }
UPDATE {
  last_heartbeat_ms: MAX([OLD.last_heartbeat_ms, @at]),
  beats: OLD.beats + 1,
  info: @info
}
IN @@health
OPTIONS { mergeObjects: false }
RETURN NEW
"""

# bind: @@health, key -> [Heartbeat] or []
GET_HEARTBEAT = """
FOR beat IN @@health
  FILTER beat._key == @key
  RETURN beat
"""

# bind: @@health -> [Heartbeat] ordered by component
LIST_HEARTBEATS = """
FOR beat IN @@health
  SORT beat.component
  RETURN beat
"""

# bind: @@health, key -> [number removed]
REMOVE_HEARTBEAT = """
FOR beat IN @@health
  FILTER beat._key == @key
  REMOVE beat IN @@health
  COLLECT WITH COUNT INTO removed
  RETURN removed
"""

# bind: @@health, cutoff -> [number removed]
# A heartbeat recorded between read and remove fails the revision check (1200) and is retried.
REMOVE_HEARTBEATS_BEFORE = """
FOR beat IN @@health
  FILTER beat.last_heartbeat_ms < @cutoff
  REMOVE beat IN @@health
  OPTIONS { ignoreRevs: false }
  COLLECT WITH COUNT INTO removed
  RETURN removed
"""


class HealthOperations(BaseOperations):
    """Record and read component heartbeats."""

    group = HEALTH

    def record_heartbeat(
        self, component: str, at_ms: int | None = None, info: dict[str, Any] | None = None
    ) -> Heartbeat:
        """Record that ``component`` is reporting, with optional facts in ``info``."""
        bind: BindVars = {
            "@health": HEALTH,
            "key": validate_key(component, "component"),
            "at": now_ms() if at_ms is None else int(at_ms),
            "info": info or {},
        }
        row = self._first(
            lambda db: db.aql.execute(RECORD_HEARTBEAT, bind_vars=bind), "record_heartbeat", idempotent=True
        )
        return Heartbeat.model_validate(row)

    def get_last_heartbeat(self, component: str) -> int | None:
        """Return when ``component`` last reported (milliseconds), or None if never."""
        beat = self.find(component)
        return None if beat is None else beat.last_heartbeat_ms

    def find(self, component: str) -> Heartbeat | None:
        """Return the heartbeat record of ``component``, or None if it never reported."""
        bind: BindVars = {"@health": HEALTH, "key": validate_key(component, "component")}
        row = self._first(lambda db: db.aql.execute(GET_HEARTBEAT, bind_vars=bind), "find", idempotent=True)
        return None if row is None else Heartbeat.model_validate(row)

    def list_components(self) -> list[Heartbeat]:
        """Return the heartbeat record of every component that ever reported."""
        bind: BindVars = {"@health": HEALTH}
        rows = self._rows(lambda db: db.aql.execute(LIST_HEARTBEATS, bind_vars=bind), "list_components", idempotent=True)
        return [Heartbeat.model_validate(row) for row in rows]

    def remove(self, component: str) -> bool:
        """Forget a component; return whether it was known."""
        bind: BindVars = {"@health": HEALTH, "key": validate_key(component, "component")}
        row = self._first(lambda db: db.aql.execute(REMOVE_HEARTBEAT, bind_vars=bind), "remove", idempotent=True)
        return bool(row)

    def remove_older_than(self, cutoff_ms: int) -> int:
        """Forget components whose last heartbeat is before ``cutoff_ms``; return how many."""
        bind: BindVars = {"@health": HEALTH, "cutoff": int(cutoff_ms)}
        row = self._first(
            lambda db: db.aql.execute(REMOVE_HEARTBEATS_BEFORE, bind_vars=bind), "remove_older_than", idempotent=True
        )
        return int(row or 0)
