"""A prefiltered full scan returns only the attributes the query reads (``aql.projection``,
``storage.scan_sql.projection``) and the query answers exactly as with whole documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from arango.client import ArangoClient
from arango.database import StandardDatabase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arangolite.client import InProcessHTTPClient
from arangolite.storage import disk_state
from arangolite.storage.engine import Engine
from arangolite.storage.scan_sql import scan_sql

QUERIES = [
    "FOR d IN c FILTER d.n % 3 == 1 RETURN [d._key, d.a, d.s]",
    "FOR d IN c FILTER d.n >= 2 RETURN {k: d._key, id: d._id, b: d.a.b, first: d.a[0]}",
    "FOR d IN c FILTER d.s == 'x' SORT d._key RETURN [d.missing, d['s'], d._rev != null]",
    "FOR d IN c FILTER d.n IN [1, 2, 3] COLLECT s = d.s WITH COUNT INTO k SORT s RETURN [s, k]",
    "FOR d IN c FILTER d.n != null && d.n < 4 SORT d.n, d._key LIMIT 5 RETURN d.a",
    "FOR d IN c FILTER d.s >= 'x' LET o = (FOR e IN c FILTER e.n == d.n RETURN e._key) RETURN [d._key, o]",
    "FOR d IN c FILTER d.n % 3 == 1 RETURN d",  # (read whole: no projection)
]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 6), st.floats(-3, 6, allow_nan=False),
    st.sampled_from(["x", "y", "", "x\"q", "\u00e9"]),
)
values = st.one_of(scalars, st.lists(scalars, max_size=2), st.dictionaries(st.sampled_from(["b", "c"]), scalars, max_size=2))
documents = st.lists(
    st.fixed_dictionaries({}, optional={"n": values, "a": values, "s": values, "z": values}),
    max_size=25,
)


def _db(engine: Engine) -> StandardDatabase:
    client = ArangoClient(
        hosts="http://arangolite.invalid", http_client=InProcessHTTPClient(engine=engine)
    )
    return client.db("_system")


def _load(db: StandardDatabase, docs: list[dict[str, Any]]) -> None:
    coll = db.create_collection("c")
    coll.import_bulk([{"_key": f"k{i}", **doc} for i, doc in enumerate(docs)])


def _answers(engine: Engine) -> list[list[Any]]:
    out = []
    for query in QUERIES:
        if engine.disk is not None:
            engine.disk.cache.clear()  # (each query prefiltered: the first after open)
        rows = list(_db(engine).aql.execute(query))
        out.append(rows if "SORT" in query else sorted(rows, key=repr))
    return out


def _without_revs(rows: list[list[Any]]) -> list[list[Any]]:
    strip = lambda r: {k: v for k, v in r.items() if k != "_rev"} if isinstance(r, dict) else r  # noqa: E731
    return [[strip(r) for r in part] for part in rows]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=documents)
def test_projected_scans_answer_as_whole_documents_do(
    tmp_path_factory: pytest.TempPathFactory, docs: list[dict[str, Any]]
) -> None:
    path = tmp_path_factory.mktemp("proj")
    writer, memory = Engine(str(path)), Engine(None)
    try:
        _load(_db(writer), docs)
        _load(_db(memory), docs)
    finally:
        writer.close()
    engine = Engine(str(path))
    try:
        ours = _answers(engine)
        theirs = _answers(memory)
        assert _without_revs(ours[:-1]) == _without_revs(theirs[:-1])
        assert sorted(map(repr, _without_revs([ours[-1]])[0])) == sorted(
            map(repr, _without_revs([theirs[-1]])[0])
        )
    finally:
        engine.close()
        memory.close()


def test_the_scan_reads_only_the_projected_attributes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = Engine(str(tmp_path / "d"))
    _load(_db(engine), [{"n": i, "a": [i], "s": "x" * i} for i in range(20)])
    engine.close()
    engine = Engine(str(tmp_path / "d"))
    try:
        state = engine.database("_system").collections["c"].state
        docs = list(state.scan(where=[("n", "%", (3, 1)), ("", "fields", ("_key", "a", "n"))]))
        assert docs == [{"_key": f"k{i}", "a": [i], "n": i} for i in range(1, 20, 3)]
        asked: list[Any] = []

        def recording(*args: Any) -> Any:
            asked.append(args[-1])  # the fields
            return scan_sql(*args)

        monkeypatch.setattr(disk_state, "scan_sql", recording)
        assert engine.disk is not None
        engine.disk.cache.clear()
        rows = list(_db(engine).aql.execute("FOR d IN c FILTER d.n % 3 == 1 RETURN [d._key, d.a]"))
        assert rows == [[f"k{i}", [i]] for i in range(1, 20, 3)]
        engine.disk.cache.clear()
        whole = list(_db(engine).aql.execute("FOR d IN c FILTER d.n % 3 == 1 RETURN d"))
        assert [d["s"] for d in whole] == ["x" * i for i in range(1, 20, 3)]
        assert asked == [("_key", "a", "n"), None]
    finally:
        engine.close()


def test_a_stream_transaction_sees_its_writes_beside_a_projected_scan(tmp_path: Path) -> None:
    engine = Engine(str(tmp_path / "d"))
    try:
        db = _db(engine)
        _load(db, [{"n": i, "s": "old"} for i in range(10)])
        assert engine.disk is not None
        engine.disk.cache.clear()
        trx = db.begin_transaction(write="c")
        tc = trx.collection("c")
        tc.update({"_key": "k1", "s": "new"})
        tc.delete("k4")
        tc.insert({"_key": "k99", "n": 7, "s": "added"})
        query = "FOR d IN c FILTER d.n % 3 == 1 RETURN [d._key, d.s]"
        assert sorted(trx.aql.execute(query)) == [["k1", "new"], ["k7", "old"], ["k99", "added"]]
        trx.abort_transaction()
    finally:
        engine.close()
