"""A full scan reads the same rows in the same order by a rowid walk as through the
``documents_scan`` index (``storage.scan_sql``), whatever other collections' rows and deleted
rows lie between a collection's rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from arango.client import ArangoClient
from arango.database import StandardDatabase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arangolite.client import InProcessHTTPClient
from arangolite.storage import scan_sql
from arangolite.storage.engine import Engine

COLLECTIONS = ("a", "b", "c")
QUERIES = [
    "FOR d IN @@c RETURN d._key",
    "FOR d IN @@c FILTER d.n % 3 == 1 RETURN [d._key, d.n]",
    "FOR d IN @@c FILTER d.n >= 5 && d.n < 40 RETURN d._key",
    "FOR d IN @@c FILTER d.s == 'x' RETURN d._key",
    "FOR d IN @@c FILTER d.n IN [2, 7, 30] || d.s == null RETURN d._key",
]


def _db(engine: Engine) -> StandardDatabase:
    client = ArangoClient(
        hosts="http://arangolite.invalid", http_client=InProcessHTTPClient(engine=engine)
    )
    return client.db("_system")


@pytest.fixture
def opened(tmp_path: Path) -> Iterator[Any]:
    """Open engines on one data directory (closed at the end)."""
    engines: list[Engine] = []

    def open_engine(path: Path = tmp_path / "d") -> Engine:
        engines.append(Engine(str(path)))
        return engines[-1]

    yield open_engine
    for engine in engines:
        engine.close()


def _answers(engine: Engine, others: float, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every query on every collection, each the first query of the engine (so prefiltered),
    with ``OTHERS`` set to ``others``: 1e9 walks every collection with rows, -1 none."""
    monkeypatch.setattr(scan_sql, "OTHERS", others)
    out = []
    for name in COLLECTIONS:
        for query in QUERIES:
            if engine.disk is not None:
                engine.disk.cache.clear()  # (no kept scan, no prefilter policy remembered)
            out.append(list(_db(engine).aql.execute(query, bind_vars={"@c": name})))
    return out


ops = st.lists(
    st.tuples(
        st.sampled_from(COLLECTIONS),
        st.sampled_from(["insert", "insert", "insert", "remove", "update"]),
        st.integers(0, 30),
        st.integers(-5, 50),
        st.sampled_from(["x", "y", None]),
    ),
    max_size=60,
)


def _apply(db: StandardDatabase, steps: list[tuple[str, str, int, int, Any]]) -> None:
    for name in COLLECTIONS:
        db.create_collection(name)
    for name, action, key, n, s in steps:
        coll = db.collection(name)
        doc = {"_key": f"k{key}", "n": n, "s": s}
        if action == "insert":
            coll.insert(doc, overwrite=True)
        elif action == "remove":
            coll.delete(f"k{key}", ignore_missing=True)
        elif coll.has(f"k{key}"):
            coll.update({"_key": f"k{key}", "n": n + 1})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ops)
def test_a_rowid_walk_reads_what_the_index_reads(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
    steps: list[tuple[str, str, int, int, Any]],
) -> None:
    path = tmp_path_factory.mktemp("walk")
    writer = Engine(str(path))
    memory = Engine(None)
    try:
        _apply(_db(writer), steps)
        _apply(_db(memory), steps)
    finally:
        writer.close()
    engine = Engine(str(path))
    try:
        walked = _answers(engine, 1e9, monkeypatch)
        indexed = _answers(engine, -1.0, monkeypatch)
        assert walked == indexed  # same rows, same order
        in_memory = _answers(memory, 1e9, monkeypatch)
        assert [sorted(map(str, rows)) for rows in walked] == [
            sorted(map(str, rows)) for rows in in_memory
        ]
    finally:
        engine.close()
        memory.close()


def test_a_dense_collection_is_walked_and_an_interleaved_one_is_not(opened: Any) -> None:
    engine = opened()
    db = _db(engine)
    dense, sparse = db.create_collection("dense"), db.create_collection("sparse")
    dense.import_bulk([{"_key": f"k{i}", "n": i} for i in range(100)])
    for i in range(30):  # one row of `sparse`, then three of `dense`, and so on
        sparse.insert({"_key": f"k{i}", "n": i})
        dense.import_bulk([{"_key": f"m{i}_{j}", "n": j} for j in range(3)])
    dense.delete_many([{"_key": f"k{i}"} for i in range(0, 100, 10)])  # gaps of deleted rows
    holes = db.create_collection("holes")  # mostly deleted rows, then another collection's
    holes.import_bulk([{"_key": f"h{i}"} for i in range(200)])
    holes.delete_many([{"_key": f"h{i}"} for i in range(1, 199)])
    db.create_collection("after").import_bulk([{"_key": f"a{i}"} for i in range(500)])
    assert engine.disk is not None
    conn = engine.disk.conn
    walks = {}
    for name in ("dense", "sparse", "holes"):
        coll = engine.database("_system").collections[name]
        query, _ = scan_sql.scan_sql(conn, coll.cid, coll.state.count(), "", [])
        walks[name] = query.walk
        assert not scan_sql.scan_sql(conn, coll.cid, None, "", [])[0].walk  # count unknown
    assert walks == {"dense": True, "sparse": False, "holes": True}
    fresh = opened()  # a scan of each, first after open, in write order
    fdb = _db(fresh)
    assert list(fdb.aql.execute("FOR d IN sparse RETURN d._key")) == [f"k{i}" for i in range(30)]
    assert list(fdb.aql.execute("FOR d IN holes RETURN d._key")) == ["h0", "h199"]
    expected = [f"k{i}" for i in range(100) if i % 10] + [
        f"m{i}_{j}" for i in range(30) for j in range(3)
    ]
    assert list(fdb.aql.execute("FOR d IN dense RETURN d._key")) == expected
    ones = [f"k{i}" for i in range(1, 100, 10)] + [f"m{i}_1" for i in range(30)]
    assert list(fdb.aql.execute("FOR d IN dense FILTER d.n % 10 == 1 RETURN d._key")) == ones


def test_an_empty_collection_reads_nothing(opened: Any) -> None:
    engine = opened()
    db = _db(engine)
    db.create_collection("empty")
    db.create_collection("other").insert({"n": 1})
    fresh = opened()
    assert list(_db(fresh).aql.execute("FOR d IN empty FILTER d.n == 1 RETURN d")) == []
    assert list(_db(fresh).aql.execute("FOR d IN empty RETURN d")) == []


def test_other_collections_rows_are_counted_up_to_the_budget(opened: Any) -> None:
    """``_others_within``: the rows of the other collections (before and after the scanned
    one's cid) between two rowids, against a budget, exactly at its edge."""
    engine = opened()
    db = _db(engine)
    before, scanned, after = (db.create_collection(n) for n in ("before", "scanned", "after"))
    scanned.insert({"_key": "first"})
    before.import_bulk([{"_key": f"b{i}"} for i in range(3)])
    after.import_bulk([{"_key": f"a{i}"} for i in range(4)])
    scanned.insert({"_key": "last"})
    before.insert({"_key": "outside"})  # past the scanned collection's last row
    assert engine.disk is not None
    conn = engine.disk.conn
    cid = engine.database("_system").collections["scanned"].cid
    first, last = scan_sql._bounds(conn, cid) or (0, 0)
    within = [scan_sql._others_within(conn, cid, first, last, b) for b in range(-1, 10)]
    assert within == [False] * 8 + [True] * 3  # seven other rows in range
