"""``profile`` output, query tracking settings, slow and recorded queries."""

from __future__ import annotations

from typing import Any

import pytest
from arango.cursor import Cursor
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError

from arangolite.aql.executor import plan_for, profiled_plan
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
    nodes = _by_type(cursor)
    assert nodes["EnumerateCollectionNode"]["items"] == 0
    assert nodes["EnumerateCollectionNode"]["calls"] == 1  # it ran, and produced nothing
    assert db.aql.execute("RETURN 1").profile() is None


def _by_type(cursor: Cursor) -> dict[str, dict[str, Any]]:
    """``stats.nodes`` keyed by the type of their plan node (one node per type expected);
    every stats entry names a node of ``extra.plan.nodes`` and has ArangoDB's fields."""
    plan = {n["id"]: n for n in cursor.plan()["nodes"]}
    out: dict[str, dict[str, Any]] = {}
    for stat in cursor.statistics()["nodes"]:
        assert set(stat) == {"id", "calls", "items", "filtered", "runtime"}
        assert stat["runtime"] >= 0
        kind = plan[stat["id"]]["type"]
        assert kind not in out
        out[kind] = stat
    return out


def test_profile_2_counts_rows_per_node(db: StandardDatabase) -> None:
    db.create_collection("pn").insert_many([{"v": i} for i in range(10)])
    cursor = db.aql.execute("FOR d IN pn FILTER d.v > 5 LIMIT 3 RETURN d.v", profile=2)
    assert list(cursor) == [6, 7, 8]
    plan = cursor.plan()["nodes"]
    assert [n["type"] for n in plan] == [  # no index on v: the read is a scan
        "SingletonNode", "EnumerateCollectionNode", "FilterNode", "LimitNode", "ReturnNode",
    ]
    assert all(n["dependencies"] == [n["id"] - 1] for n in plan[1:])
    nodes = _by_type(cursor)
    assert nodes["SingletonNode"]["items"] == 1
    # LIMIT stops the scan at the first row past its 3 (document 9): all 10 were read
    assert nodes["EnumerateCollectionNode"]["items"] == 10
    assert nodes["FilterNode"]["items"] == 4 and nodes["FilterNode"]["filtered"] == 6
    assert nodes["LimitNode"]["items"] == 3 and nodes["ReturnNode"]["items"] == 3
    assert {n["calls"] for n in nodes.values()} == {1}
    assert nodes["EnumerateCollectionNode"]["filtered"] == 0
    # as in ArangoDB, a node's runtime includes that of the nodes it depends on
    runtimes = [s["runtime"] for s in sorted(cursor.statistics()["nodes"], key=lambda s: s["id"])]
    assert runtimes == sorted(runtimes) and runtimes[-1] > 0


def test_profile_2_index_node_and_batches(db: StandardDatabase) -> None:
    coll = db.create_collection("pi")
    coll.add_index({"type": "persistent", "fields": ["v"]})
    coll.insert_many([{"v": i % 5} for i in range(2500)])
    cursor = db.aql.execute("FOR d IN pi FILTER d.v == 1 RETURN d.v", profile=2)
    assert len(list(cursor)) == 500
    nodes = _by_type(cursor)  # the FILTER is the index lookup: no FilterNode is left
    assert nodes["IndexNode"]["items"] == 500 and nodes["IndexNode"]["calls"] == 1
    cursor = db.aql.execute("FOR d IN pi RETURN d.v", profile=2)
    assert _by_type(cursor)["EnumerateCollectionNode"]["calls"] == 3  # batches of 1000 rows


def test_profile_2_collect_and_subquery(db: StandardDatabase) -> None:
    db.create_collection("pc").insert_many([{"g": i % 3, "l": [1, 2]} for i in range(7)])
    cursor = db.aql.execute(
        "FOR d IN pc COLLECT g = d.g AGGREGATE n = SUM(1) SORT g DESC RETURN [g, n]", profile=2
    )
    assert list(cursor) == [[2, 2], [1, 2], [0, 3]]
    nodes = _by_type(cursor)
    assert nodes["EnumerateCollectionNode"]["items"] == 7
    assert nodes["CollectNode"]["items"] == 3 and nodes["SortNode"]["items"] == 3
    assert nodes["ReturnNode"]["items"] == 3
    # a grouped count is read in one go (rt.count_by): the FOR is in the plan, not counted
    cursor = db.aql.execute("FOR d IN pc COLLECT g = d.g WITH COUNT INTO n RETURN n", profile=2)
    assert sorted(cursor) == [2, 2, 3]
    kinds = {n["id"]: n["type"] for n in cursor.plan()["nodes"]}
    counted = {kinds[s["id"]]: s["items"] for s in cursor.statistics()["nodes"]}
    assert "EnumerateCollectionNode" in kinds.values()
    assert counted == {"SingletonNode": 1, "CollectNode": 3, "ReturnNode": 3}

    cursor = db.aql.execute(
        "FOR d IN pc LET s = (FOR x IN d.l FILTER x > 1 RETURN x) RETURN s", profile=2
    )
    assert list(cursor) == [[2]] * 7
    plan = cursor.plan()["nodes"]
    types = [n["type"] for n in plan]
    assert types == [
        "SingletonNode", "EnumerateCollectionNode", "SubqueryStartNode", "EnumerateListNode",
        "FilterNode", "ReturnNode", "SubqueryEndNode", "CalculationNode", "ReturnNode",
    ]
    stats = {s["id"]: s for s in cursor.statistics()["nodes"]}
    assert 7 not in stats  # SubqueryEndNode: nowhere to count it
    assert [stats[i]["items"] for i in (1, 2, 3, 4, 5, 6, 8, 9)] == [1, 7, 7, 14, 7, 7, 7, 7]
    assert stats[5]["filtered"] == 7


def test_profile_plans_leave_the_plan_cache_alone(db: StandardDatabase) -> None:
    """Only ``profile`` 2 runs instrumented code, compiled aside: the cached plan is not it."""
    db.create_collection("pq").insert({"v": 1})
    query = "FOR d IN pq FILTER d.v > 0 RETURN d"
    plain = plan_for(query)
    assert "PN." not in plain.compiled.source and plain.compiled.nodes == []
    assert "PN." in profiled_plan(query).compiled.source
    assert len(list(db.aql.execute(query, profile=2))) == 1
    assert plan_for(query) is plain
    cursor = db.aql.execute(query, profile=True)
    assert "nodes" not in cursor.statistics() and cursor.plan() is None


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
