"""Health service: decides liveness from the heartbeat facts persistence stores.

Persistence answers "when did this component last report?"
(``db.health.get_last_heartbeat``). Whether that is recent enough is policy, decided here with
a timeout the caller can tune.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nomarr.helpers.time_helper import now_ms
from nomarr.persistence import Database

__all__ = ["DEFAULT_TIMEOUT_MS", "ComponentHealth", "HealthService"]

DEFAULT_TIMEOUT_MS = 30_000


@dataclass(frozen=True, slots=True)
class ComponentHealth:
    """A component's liveness as decided by the service.

    Attributes:
        component: the component id.
        last_heartbeat_ms: when it last reported.
        age_ms: how long ago that was.
        alive: whether that is within the timeout.
    """

    component: str
    last_heartbeat_ms: int
    age_ms: int
    alive: bool


class HealthService:
    """Liveness decisions over stored heartbeats.

    Args:
        db: the database.
        timeout_ms: a component is alive while its last heartbeat is younger than this.
        clock: current time in milliseconds (injectable for tests).
    """

    def __init__(
        self, db: Database, timeout_ms: int = DEFAULT_TIMEOUT_MS, clock: Callable[[], int] = now_ms
    ) -> None:
        self._db = db
        self._timeout_ms = timeout_ms
        self._clock = clock

    def heartbeat(self, component: str, info: dict[str, object] | None = None) -> None:
        """Record that ``component`` is alive now."""
        self._db.health.record_heartbeat(component, self._clock(), dict(info or {}))

    def is_alive(self, component: str) -> bool:
        """Return whether ``component`` reported within the timeout."""
        last = self._db.health.get_last_heartbeat(component)
        return last is not None and self._judge(component, last).alive

    def report(self) -> list[ComponentHealth]:
        """Return the liveness of every component that ever reported."""
        return [self._judge(h.component, h.last_heartbeat_ms) for h in self._db.health.list_components()]

    def forget_dead(self, grace_ms: int) -> int:
        """Remove components silent for longer than the timeout plus ``grace_ms``."""
        return self._db.health.remove_older_than(self._clock() - self._timeout_ms - grace_ms)

    def _judge(self, component: str, last: int) -> ComponentHealth:
        age = self._clock() - last
        return ComponentHealth(component, last, age, age < self._timeout_ms)
