"""The health service decides liveness; persistence only stores heartbeats."""

from __future__ import annotations

from nomarr.persistence import Database
from nomarr.services.health import HealthService


class Clock:
    def __init__(self, now: int) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


def test_liveness_follows_the_timeout(nomarr_db: Database) -> None:
    clock = Clock(100_000)
    service = HealthService(nomarr_db, timeout_ms=30_000, clock=clock)
    assert not service.is_alive("worker-1")
    service.heartbeat("worker-1", {"pid": 7})
    clock.now += 29_999
    assert service.is_alive("worker-1")
    clock.now += 1
    assert not service.is_alive("worker-1")
    report = service.report()
    assert [(h.component, h.age_ms, h.alive) for h in report] == [("worker-1", 30_000, False)]


def test_forget_dead(nomarr_db: Database) -> None:
    clock = Clock(1_000_000)
    service = HealthService(nomarr_db, timeout_ms=10_000, clock=clock)
    service.heartbeat("gone")
    clock.now += 50_000
    service.heartbeat("here")
    assert service.forget_dead(grace_ms=1_000) == 1
    assert [h.component for h in service.report()] == ["here"]
