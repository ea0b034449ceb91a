"""The AQL query results cache and the plan cache (``/_api/query-cache``, ``/_api/query-plan-cache``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from arango.client import ArangoClient
from arango.database import StandardDatabase
from arango.exceptions import AQLCacheConfigureError

from arangolite.client import InProcessHTTPClient
from arangolite.rest.query_cache import CachedResult, QueryCaches
from arangolite.storage import durability
from arangolite.storage.engine import Engine

QUERY = "FOR d IN @@c SORT d._key RETURN d.v"


@pytest.fixture
def cache_on(db: StandardDatabase) -> Iterator[StandardDatabase]:
    db.aql.cache.configure(mode="on")
    try:
        yield db
    finally:
        db.aql.cache.configure(mode="off", max_results=128)


def _run(db: StandardDatabase, name: str, **options: object) -> tuple[list[object], bool]:
    cursor = db.aql.execute(QUERY, bind_vars={"@c": name}, **options)  # type: ignore[arg-type]
    return list(cursor), bool(cursor.cached())


def test_mode_on_serves_the_second_run_from_the_cache(cache_on: StandardDatabase) -> None:
    db = cache_on
    col = db.create_collection("cached")
    col.insert_many([{"_key": "a", "v": 1}, {"_key": "b", "v": 2}])
    assert _run(db, "cached") == ([1, 2], False)
    assert _run(db, "cached") == ([1, 2], True)
    entries = db.aql.cache.entries()
    assert len(entries) == 1 and entries[0]["hits"] == 1 and entries[0]["results"] == 2
    assert _run(db, "cached", cache=False) == ([1, 2], False)


def test_a_write_invalidates_the_entry(cache_on: StandardDatabase) -> None:
    db = cache_on
    col = db.create_collection("changing")
    col.insert({"_key": "a", "v": 1})
    assert _run(db, "changing") == ([1], False)
    col.insert({"_key": "b", "v": 2})
    assert db.aql.cache.entries() == []
    assert _run(db, "changing") == ([1, 2], False)
    db.aql.execute("FOR d IN changing UPDATE d WITH {v: 5} IN changing")
    assert _run(db, "changing") == ([5, 5], False)


def test_writes_and_nondeterministic_queries_are_not_cached(cache_on: StandardDatabase) -> None:
    db = cache_on
    db.create_collection("nd")
    assert not db.aql.execute("RETURN RAND()").cached()
    assert not db.aql.execute("RETURN RAND()").cached()
    db.aql.execute("INSERT {v: 1} INTO nd")
    db.aql.execute("INSERT {v: 1} INTO nd")
    assert db.collection("nd").count() == 2
    assert db.aql.cache.entries() == []


def test_demand_mode_caches_only_queries_asking(db: StandardDatabase) -> None:
    db.aql.cache.configure(mode="demand")
    try:
        db.create_collection("demand")
        assert _run(db, "demand") == ([], False)
        assert _run(db, "demand") == ([], False)
        assert _run(db, "demand", cache=True) == ([], False)
        assert _run(db, "demand", cache=True) == ([], True)
    finally:
        db.aql.cache.configure(mode="off")


def test_clear_limits_and_bad_mode(cache_on: StandardDatabase) -> None:
    db = cache_on
    db.create_collection("lim")
    db.aql.cache.configure(max_results=2)
    for i in range(3):
        db.aql.execute(f"FOR d IN lim RETURN {i}")
    assert len(db.aql.cache.entries()) == 2
    db.aql.cache.clear()
    assert db.aql.cache.entries() == []
    with pytest.raises(AQLCacheConfigureError) as info:
        db.aql.cache.configure(mode="sometimes")
    assert info.value.error_code == 10
    assert db.aql.cache.properties()["mode"] == "on"


def test_plan_cache_lists_queries_using_it(db: StandardDatabase) -> None:
    db.create_collection("planned")
    for _ in range(2):
        db.aql.execute(QUERY, bind_vars={"@c": "planned"}, use_plan_cache=True)
    db.aql.execute("RETURN 1")
    entries = db.aql.cache.plan_entries()
    assert [(e["query"], e["hits"], e["bindVars"]) for e in entries] == [
        (QUERY, 1, {"@c": "planned"})
    ]
    db.aql.cache.clear_plan()
    assert db.aql.cache.plan_entries() == []
    assert list(db.aql.execute(QUERY, bind_vars={"@c": "planned"})) == []


def test_plan_cache_keeps_the_most_recently_used_128(db: StandardDatabase) -> None:
    """Like ArangoDB's --query.plan-cache-max-entries default: the list does not grow unbounded."""
    for n in range(130):
        db.aql.execute(f"RETURN {n}", use_plan_cache=True)
        if n == 5:
            db.aql.execute("RETURN 0", use_plan_cache=True)  # used again: kept over RETURN 1 and 2
    queries = [e["query"] for e in db.aql.cache.plan_entries()]
    assert len(queries) == 128 and "RETURN 0" in queries and "RETURN 129" in queries
    assert "RETURN 1" not in queries and "RETURN 2" not in queries


def _clients(*engines: Engine) -> list[ArangoClient]:
    return [
        ArangoClient(hosts="http://arangolite.invalid", http_client=InProcessHTTPClient(engine=e))
        for e in engines
    ]


@pytest.mark.parametrize("fell_behind", [False, True])
def test_another_process_writing_invalidates_the_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fell_behind: bool
) -> None:
    """A write committed by another process on the same data directory drops the entry, also when
    this process fell behind the kept change rows and reloads instead of applying them."""
    if fell_behind:
        monkeypatch.setattr(durability, "_KEEP_CHANGES", 1)
        monkeypatch.setattr(durability, "_PRUNE_EVERY", 1)
    reader, writer = Engine(str(tmp_path)), Engine(str(tmp_path))
    try:
        mine, theirs = _clients(reader, writer)
        db = mine.db("_system", "root", "")
        db.create_collection("shared").insert({"_key": "a", "v": 1})
        db.create_database("elsewhere")
        mine.db("elsewhere", "root", "").create_collection("pad")
        db.aql.cache.configure(mode="on")
        assert _run(db, "shared") == ([1], False)
        assert _run(db, "shared") == ([1], True)
        theirs.db("_system", "root", "").collection("shared").insert_many(
            [{"_key": k, "v": 2} for k in "bcd"]
        )
        # afterwards the only change row kept names another database's collection
        theirs.db("elsewhere", "root", "").collection("pad").insert({})
        assert _run(db, "shared") == ([1, 2, 2, 2], False)
    finally:
        reader.close()
        writer.close()


def test_a_result_stored_again_counts_as_most_recent(engine: Engine) -> None:
    """Two runs that missed at the same time both store their result: the second one is the most
    recently used entry (it was left in the first one's place, and dropped first)."""
    caches, db = QueryCaches(), engine.database("_system")
    caches.configure({"mode": "on", "maxResults": 2})

    def result(query: str) -> CachedResult:
        return CachedResult(query, {}, [1], {}, [], caches.signature(db), 10, 0.0)

    for query in ("RETURN 1", "RETURN 2", "RETURN 1", "RETURN 3"):
        caches.store(db, query, result(query))
    assert [e["query"] for e in caches.entries(db)] == ["RETURN 1", "RETURN 3"]
    assert caches.results["_system"].size == 20
