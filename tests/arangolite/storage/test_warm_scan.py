"""Kept full scans (``DocCache.put_scan``): a collection whose decoded documents fit the cache's
share is scanned from memory the next time, and never shows a state other than the reader's.

On a data directory only (in memory every scan reads the dicts). Each invalidation path has a
test: commits of this engine (insert, update, remove, truncate), of another engine on the same
directory (catch-up), rename, drop; stream transactions and lock-free snapshot reads
(``snapshot_read.SnapshotRead``) must read their own snapshot, never a kept scan of another.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from arango.client import ArangoClient

from arangolite.client import InProcessHTTPClient
from arangolite.storage.cache import DocCache
from arangolite.storage.database import Database
from arangolite.storage.engine import Engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = Engine(str(tmp_path / "d"))
    db = eng.database("_system")
    db.create_collection("c")
    _commit(db, lambda h: [h.insert({"_key": f"k{i}", "n": i}) for i in range(50)])
    yield eng
    eng.close()


def _commit(db: Database, work: Any, coll: str = "c") -> None:
    trx = db.begin(write=[coll])
    work(trx.collection(coll))
    trx.commit()


def _scan(eng: Engine, coll: str = "c") -> list[dict[str, Any]]:
    return list(eng.database("_system").collections[coll].state.scan())


def _values(docs: list[dict[str, Any]]) -> dict[str, Any]:
    return {d["_key"]: d.get("n") for d in docs}


def _cache(eng: Engine) -> DocCache:
    assert eng.disk is not None
    return eng.disk.cache


def test_a_second_scan_iterates_the_kept_documents(engine: Engine) -> None:
    before = _cache(engine).used
    first = _scan(engine)
    assert _cache(engine).used > before  # charged against the budget
    second = _scan(engine)
    assert len(second) == 50 and all(a is b for a, b in zip(first, second, strict=True))


def test_a_collection_beyond_the_share_is_not_kept(tmp_path: Path) -> None:
    eng = Engine(str(tmp_path / "d"), cache_mb=0.01)  # 10 KiB: 50 documents cost more than 3/4
    try:
        db = eng.database("_system")
        db.create_collection("c")
        _commit(db, lambda h: [h.insert({"_key": f"k{i}", "n": i}) for i in range(50)])
        first, second = _scan(eng), _scan(eng)
        assert first == second and not any(a is b for a, b in zip(first, second, strict=True))
        assert _cache(eng).used <= 0.01 * (1 << 20)
    finally:
        eng.close()


@pytest.mark.parametrize("change", ["insert", "update", "replace", "remove", "truncate"])
def test_a_commit_of_this_engine_replaces_the_kept_scan(engine: Engine, change: str) -> None:
    db = engine.database("_system")
    expected = _values(_scan(engine))
    _scan(engine)  # kept
    if change == "insert":
        _commit(db, lambda h: h.insert({"_key": "new", "n": -1}))
        expected["new"] = -1
    elif change == "update":
        _commit(db, lambda h: h.update("k7", {"n": 700}))
        expected["k7"] = 700
    elif change == "replace":
        _commit(db, lambda h: h.replace("k7", {"m": 1}))
        expected["k7"] = None
    elif change == "remove":
        _commit(db, lambda h: h.remove("k7"))
        del expected["k7"]
    else:
        _commit(db, lambda h: h.truncate())
        expected = {}
    assert _values(_scan(engine)) == expected
    assert _values(_scan(engine)) == expected  # and the scan kept again is the new one


def test_a_commit_of_another_engine_replaces_the_kept_scan_at_catch_up(engine: Engine) -> None:
    other = Engine(engine.path)
    try:
        before = _values(_scan(engine))
        _scan(engine)  # kept
        _commit(other.database("_system"), lambda h: h.update("k3", {"n": 300}))
        assert _values(_scan(engine)) == before  # not caught up yet: the pinned snapshot
        engine.catch_up()
        assert _values(_scan(engine)) == {**before, "k3": 300}
    finally:
        other.close()


def test_a_rename_drops_the_kept_scan(engine: Engine) -> None:
    db = engine.database("_system")
    _scan(engine)
    _scan(engine)
    db.rename_collection("c", "renamed")
    assert {d["_id"] for d in _scan(engine, "renamed")} == {f"renamed/k{i}" for i in range(50)}


def test_a_drop_frees_the_kept_scan(engine: Engine) -> None:
    db = engine.database("_system")
    before = _cache(engine).used
    _scan(engine)
    assert _cache(engine).used > before
    db.drop_collection("c")
    assert _cache(engine).used == before
    db.create_collection("c")
    assert _scan(engine) == []


def test_a_drop_by_another_engine_frees_the_kept_scan(engine: Engine) -> None:
    other = Engine(engine.path)
    try:
        before = _cache(engine).used
        _scan(engine)
        other.database("_system").drop_collection("c")
        engine.catch_up()
        assert _cache(engine).used == before
    finally:
        other.close()


def test_a_stream_transaction_reads_its_snapshot_beside_kept_scans(engine: Engine) -> None:
    db = engine.database("_system")
    _scan(engine)
    trx = db.begin(read=["c"])
    try:
        _commit(db, lambda h: h.update("k1", {"n": 100}))
        assert _values(_scan(engine))["k1"] == 100
        _scan(engine)  # the new state kept
        seen = _values(list(trx.collection("c").all()))
        assert seen["k1"] == 1 and len(seen) == 50
    finally:
        trx.abort()


def test_a_snapshot_read_never_uses_a_kept_scan_of_another_snapshot(engine: Engine) -> None:
    db = engine.database("_system")
    snap = engine.open_snapshot(db)
    assert snap is not None
    try:
        assert _values(list(snap.collection("c").all()))["k1"] == 1  # its snapshot begins
        _commit(db, lambda h: h.update("k1", {"n": 100}))
        _scan(engine)
        _scan(engine)  # the newer state kept
        assert _values(list(snap.collection("c").all()))["k1"] == 1
    finally:
        snap.close()
    again = engine.open_snapshot(db)
    try:
        seen = list(again.collection("c").all())
        assert _values(seen)["k1"] == 100
        assert all(a is b for a, b in zip(seen, _scan(engine), strict=True))  # same snapshot
    finally:
        again.close()


def test_a_snapshot_read_newer_than_the_pinned_one_reads_its_own(engine: Engine) -> None:
    """Another engine committed and this one has not caught up: a lock-free query reads the
    newer snapshot, not the scan kept for the pinned one."""
    other = Engine(engine.path)
    try:
        _scan(engine)
        _scan(engine)
        _commit(other.database("_system"), lambda h: h.update("k2", {"n": 200}))
        snap = engine.open_snapshot(engine.database("_system"))
        assert snap is not None
        try:
            assert _values(list(snap.collection("c").all()))["k2"] == 200
        finally:
            snap.close()
    finally:
        other.close()


def test_queries_through_python_arango_see_each_commit(engine: Engine) -> None:
    client = ArangoClient(
        hosts="http://arangolite.invalid", http_client=InProcessHTTPClient(engine=engine)
    )
    db = client.db("_system")
    query = "FOR d IN c FILTER d.n >= @lo RETURN d.n"
    for step in range(5):
        for _ in range(2):  # the second one reads the kept scan
            found = sorted(db.aql.execute(query, bind_vars={"lo": 45}))
            assert found == sorted([*range(45, 50), *range(100, 100 + step)])
        db.collection("c").insert({"n": 100 + step})


def test_a_scan_paused_across_a_commit_is_not_kept(engine: Engine) -> None:
    """A lazy scan (a cursor between two requests) read the snapshot before a commit: what it
    read must not be kept as the scan of the newer state."""
    db = engine.database("_system")
    paused = engine.database("_system").collections["c"].state.scan()
    assert next(paused)["_key"] == "k0"
    _commit(db, lambda h: h.update("k4", {"n": 400}))
    assert _values(list(paused))["k4"] == 4  # its own snapshot to the end
    assert _values(_scan(engine))["k4"] == 400
