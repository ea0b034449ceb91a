"""``profile`` output, query tracking settings, slow and recorded queries."""

from __future__ import annotations

import pytest
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError

from arangolite.aql.profile import PHASES


def test_profile_phases(db: StandardDatabase) -> None:
    db.create_collection("prof").insert_many([{"v": i} for i in range(5)])
    cursor = db.aql.execute("FOR d IN prof RETURN d.v", profile=True, batch_size=2, count=True)
    profile = cursor.profile()
    assert set(profile) == set(PHASES)
    assert profile["parsing"] > 0 and profile["executing"] > 0 and profile["initializing"] > 0
    assert "nodes" not in cursor.statistics() and cursor.plan() is None
    assert sorted(cursor) == [0, 1, 2, 3, 4]


def test_profile_2_adds_plan_and_node_stats(db: StandardDatabase) -> None:
    db.create_collection("prof2")
    cursor = db.aql.execute("FOR d IN prof2 RETURN d", profile=2)
    assert cursor.plan()["collections"] == [{"name": "prof2", "type": "read"}]
    assert cursor.statistics()["nodes"] == []
    assert db.aql.execute("RETURN 1").profile() is None


def test_tracking_settings_and_slow_queries(db: StandardDatabase) -> None:
    before = db.aql.tracking()
    try:
        changed = db.aql.set_tracking(slow_query_threshold=0, max_slow_queries=2)
        assert changed["slow_query_threshold"] == 0
        for i in range(3):
            db.aql.execute(f"RETURN {i}")
        slow = db.aql.slow_queries()
        assert [q["query"] for q in slow] == ["RETURN 1", "RETURN 2"]
        db.aql.clear_slow_queries()
        assert db.aql.slow_queries() == []
    finally:
        db.aql.set_tracking(
            slow_query_threshold=before["slow_query_threshold"],
            max_slow_queries=before["max_slow_queries"],
        )


def test_recorded_queries_and_api_calls(db: StandardDatabase, sys_db: StandardDatabase) -> None:
    db.aql.execute("RETURN @x", bind_vars={"x": "recorded"})
    recorded = sys_db.aql.history()["queries"]
    assert {"query": "RETURN @x", "bindVars": {"x": "recorded"}, "database": db.name}.items() <= (
        recorded[-1].items()
    )
    calls = sys_db.api_calls()["calls"]
    assert any(c["path"] == "/_api/cursor" and c["database"] == db.name for c in calls)


def test_sleeping_queries_run_side_by_side(db: StandardDatabase) -> None:
    """SLEEP lets the engine go: two sleeping queries are both running, then both killed."""
    jobs = [db.begin_async_execution(return_result=True).aql.execute(f"RETURN SLEEP({s})")
            for s in (60, 30)]
    queries: list[dict[str, object]] = []
    while len(queries) < 2:  # both start (each would wait for the other if SLEEP held the lock)
        queries = db.aql.queries()
    # the server still answers other requests meanwhile:
    assert db.create_collection("meanwhile").insert({"_key": "k"})["_key"] == "k"
    for query in queries:
        assert db.aql.kill(str(query["id"])) is True
    for job in jobs:
        while job.status() != "done":
            pass
        with pytest.raises(AQLQueryExecuteError) as info:
            job.result()
        assert info.value.error_code == 1500
