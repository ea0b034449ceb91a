"""HealthOperations, executed on the backend under test."""

from __future__ import annotations

import pytest

from nomarr.helpers.errors import InvalidKeyError
from nomarr.persistence import Database


def test_record_and_read_heartbeats(nomarr_db: Database) -> None:
    assert nomarr_db.health.get_last_heartbeat("worker-1") is None
    first = nomarr_db.health.record_heartbeat("worker-1", at_ms=1000, info={"pid": 1})
    assert (first.component, first.last_heartbeat_ms, first.beats, first.info) == ("worker-1", 1000, 1, {"pid": 1})
    nomarr_db.health.record_heartbeat("worker-1", at_ms=3000)
    late = nomarr_db.health.record_heartbeat("worker-1", at_ms=2000)
    assert (late.last_heartbeat_ms, late.beats, late.info) == (3000, 3, {})
    assert nomarr_db.health.get_last_heartbeat("worker-1") == 3000
    nomarr_db.health.record_heartbeat("api", at_ms=5)
    assert [h.component for h in nomarr_db.health.list_components()] == ["api", "worker-1"]


def test_remove_and_cleanup(nomarr_db: Database) -> None:
    nomarr_db.health.record_heartbeat("old", at_ms=100)
    nomarr_db.health.record_heartbeat("new", at_ms=300)
    assert nomarr_db.health.remove_older_than(200) == 1
    assert nomarr_db.health.find("old") is None
    assert nomarr_db.health.remove("new")
    assert not nomarr_db.health.remove("new")


@pytest.mark.parametrize("bad", ["", "a/b", "worker 1", "x" * 300])
def test_invalid_component_ids(nomarr_db: Database, bad: str) -> None:
    with pytest.raises(InvalidKeyError):
        nomarr_db.health.record_heartbeat(bad)
    assert nomarr_db.health.list_components() == []
