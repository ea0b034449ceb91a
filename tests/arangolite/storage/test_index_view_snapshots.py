"""Geo and fulltext index reads in a stream transaction answer as of its snapshot (issue 10).

ArangoDB's RocksDB engine reads every index of a transaction in the transaction's snapshot,
with its own uncommitted writes: ``NEAR``, ``WITHIN``, ``WITHIN_RECTANGLE``, ``FULLTEXT`` and a
``GEO_CONTAINS`` filter answered by a geo index must find a document by its location or text as
of the transaction's start (or as the transaction itself wrote it), and return that version,
however other clients changed it since. Each index answer is checked against the same question
asked by a scan of the transaction, which reads its snapshot. Both stores (``conftest.py``).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from arango.database import StandardDatabase

from arangolite.storage.engine import Engine

CENTER = (50.0, 8.0)  # lat, lon
# a GeoJSON polygon (lon, lat) around p0 and p1 only
BOX = {
    "type": "Polygon",
    "coordinates": [[[7.9, 49.95], [8.1, 49.95], [8.1, 50.15], [7.9, 50.15], [7.9, 49.95]]],
}


@pytest.fixture
def places(db: StandardDatabase) -> Any:
    coll = db.create_collection("places")
    coll.add_index({"type": "geo", "fields": ["at"], "geoJson": True})
    coll.insert_many([{"_key": f"p{i}", "at": [8.0, 50.0 + i / 10]} for i in range(10)])
    return coll


@pytest.fixture
def texts(db: StandardDatabase) -> Any:
    coll = db.create_collection("texts")
    coll.add_index({"type": "fulltext", "fields": ["text"]})
    coll.insert_many(
        [{"_key": f"t{i}", "text": ("alpha" if i % 2 == 0 else "beta") + " common"}
         for i in range(6)]
    )
    return coll


def _run(trx: Any, query: str, **binds: Any) -> list[Any]:
    return list(trx.aql.execute(query, bind_vars=binds or None))


def _keys(trx: Any, query: str, **binds: Any) -> list[str]:
    return [d["_key"] for d in _run(trx, query, **binds)]


def _near(trx: Any, n: int) -> list[dict[str, Any]]:
    return _run(trx, "FOR d IN NEAR(places, @la, @lo, @n) RETURN d",
                la=CENTER[0], lo=CENTER[1], n=n)


def _nearest_by_scan(trx: Any, n: int) -> list[dict[str, Any]]:
    return _run(trx, "FOR d IN places SORT GEO_DISTANCE([@lo, @la], d.at), d._key LIMIT @n"
                     " RETURN d", la=CENTER[0], lo=CENTER[1], n=n)


def _geo_questions(trx: Any) -> dict[str, Any]:
    """Every geo index read of the tests, with what a scan of the same snapshot says."""
    la, lo = CENTER
    return {
        "near": (_near(trx, 3), _nearest_by_scan(trx, 3)),
        "near_distance": (
            _run(trx, "FOR d IN NEAR(places, @la, @lo, 2, 'm') RETURN [d._key, ROUND(d.m)]",
                 la=la, lo=lo),
            _run(trx, "FOR d IN places LET m = GEO_DISTANCE([@lo, @la], d.at) SORT m, d._key"
                      " LIMIT 2 RETURN [d._key, ROUND(m)]", la=la, lo=lo),
        ),
        "within": (
            _run(trx, "FOR d IN WITHIN(places, @la, @lo, 12000) RETURN d", la=la, lo=lo),
            _run(trx, "FOR d IN places LET m = GEO_DISTANCE([@lo, @la], d.at)"
                      " FILTER m <= 12000 SORT m RETURN d", la=la, lo=lo),
        ),
        "rectangle": (
            sorted(_keys(trx, "FOR d IN WITHIN_RECTANGLE(places, 49.95, 7.9, 50.15, 8.1)"
                              " RETURN d")),
            sorted(_keys(trx, "FOR d IN places FILTER d.at[1] >= 49.95 && d.at[1] <= 50.15"
                              " && d.at[0] >= 7.9 && d.at[0] <= 8.1 RETURN d")),
        ),
        "contains": (
            _run(trx, "FOR d IN places FILTER GEO_CONTAINS(@box, d.at) SORT d._key RETURN d",
                 box=BOX),
            _run(trx, "FOR d IN places FILTER d.at[1] >= 49.95 && d.at[1] <= 50.15"
                      " && d.at[0] >= 7.9 && d.at[0] <= 8.1 SORT d._key RETURN d"),
        ),
    }


def _assert_agree(answers: dict[str, Any]) -> None:
    for name, (by_index, by_scan) in answers.items():
        assert by_index == by_scan, name


def test_geo_reads_of_a_transaction_answer_as_of_its_snapshot(
    db: StandardDatabase, places: Any
) -> None:
    trx = db.begin_transaction(read="places")
    before = _geo_questions(trx)
    _assert_agree(before)
    assert [d["_key"] for d in before["near"][0]] == ["p0", "p1", "p2"]
    places.update({"_key": "p0", "at": [8.0, 10.0]})  # moved far away
    places.insert({"_key": "new", "at": [8.0, 50.0]})  # right at the centre
    places.delete("p1")
    # the update's new version and the insert are far from / at the centre only after the commit
    during = _geo_questions(trx)
    _assert_agree(during)
    assert during == before
    assert during["near"][0][0]["at"] == [8.0, 50.0]
    trx.commit_transaction()
    after = _geo_questions(db)
    _assert_agree(after)
    assert [d["_key"] for d in after["near"][0]] == ["new", "p2", "p3"]
    assert [d["_key"] for d in after["contains"][0]] == ["new"]


def test_geo_reads_see_the_transactions_own_writes_as_its_scans_do(
    db: StandardDatabase, places: Any
) -> None:
    trx = db.begin_transaction(write="places")
    own = trx.collection("places")
    own.insert({"_key": "mine", "at": [8.0, 50.05]})
    own.update({"_key": "p2", "at": [8.0, 10.0]})
    own.delete("p3")
    own.update({"_key": "p9", "at": [8.01, 50.01]})
    places.update({"_key": "p1", "at": [8.0, 10.0]})  # another client's commit meanwhile
    places.insert({"_key": "other", "at": [8.0, 50.02]})
    answers = _geo_questions(trx)
    _assert_agree(answers)
    assert [d["_key"] for d in answers["near"][0]] == ["p0", "p9", "mine"]
    assert [d["_key"] for d in _near(trx, 5)] == ["p0", "p9", "mine", "p1", "p4"]
    assert [d["_key"] for d in answers["contains"][0]] == ["mine", "p0", "p1", "p9"]
    trx.abort_transaction()
    assert [d["_key"] for d in _near(db, 3)] == ["p0", "other", "p2"]


def _fulltext(trx: Any, words: str, limit: int | None = None) -> list[dict[str, Any]]:
    query = "FOR d IN FULLTEXT(texts, 'text', @w) SORT d._key RETURN d"
    binds: dict[str, Any] = {"w": words}
    if limit is not None:
        query = "RETURN LENGTH(FULLTEXT(texts, 'text', @w, @n))"
        binds["n"] = limit
    return _run(trx, query, **binds)


def _containing(trx: Any, word: str) -> list[dict[str, Any]]:
    return _run(trx, "FOR d IN texts FILTER @w IN SPLIT(d.text, ' ') SORT d._key RETURN d",
                w=word)


def _text_questions(trx: Any) -> dict[str, Any]:
    return {
        word: (_fulltext(trx, word), _containing(trx, word))
        for word in ("alpha", "beta", "gamma", "common")
    }


def test_fulltext_reads_of_a_transaction_answer_as_of_its_snapshot(
    db: StandardDatabase, texts: Any
) -> None:
    trx = db.begin_transaction(read="texts")
    before = _text_questions(trx)
    _assert_agree(before)
    texts.update({"_key": "t0", "text": "gamma common"})
    texts.insert({"_key": "t9", "text": "alpha gamma"})
    texts.delete("t2")
    texts.update({"_key": "t1", "text": "alpha"})
    during = _text_questions(trx)
    _assert_agree(during)
    assert during == before
    assert [d["_key"] for d in during["alpha"][0]] == ["t0", "t2", "t4"]
    assert during["alpha"][0][0]["text"] == "alpha common"
    assert _fulltext(trx, "gamma") == []
    assert _keys(trx, "FOR d IN FULLTEXT(texts, 'text', 'prefix:gam') RETURN d") == []
    # live, t1 ("alpha") and t9 ("alpha gamma") match: no "common" in them any more
    assert _keys(trx, "FOR d IN FULLTEXT(texts, 'text', 'alpha,|beta,-prefix:comm') RETURN d") == []
    assert _fulltext(trx, "common", limit=100) == [6]
    assert _fulltext(trx, "common", limit=4) == [4]
    trx.commit_transaction()
    assert [d["_key"] for d in _fulltext(db, "alpha")] == ["t1", "t4", "t9"]
    assert [d["_key"] for d in _fulltext(db, "gamma")] == ["t0", "t9"]


def test_fulltext_reads_see_the_transactions_own_writes_as_its_scans_do(
    db: StandardDatabase, texts: Any
) -> None:
    trx = db.begin_transaction(write="texts")
    own = trx.collection("texts")
    own.update({"_key": "t4", "text": "delta"})
    own.insert({"_key": "t8", "text": "alpha new"})
    own.delete("t1")
    texts.update({"_key": "t0", "text": "gamma"})  # another client's commit meanwhile
    texts.insert({"_key": "t7", "text": "alpha"})
    answers = _text_questions(trx)
    _assert_agree(answers)
    assert [d["_key"] for d in answers["alpha"][0]] == ["t0", "t2", "t8"]
    assert [d["_key"] for d in answers["beta"][0]] == ["t3", "t5"]
    assert _fulltext(trx, "common", limit=100) == [4]
    trx.abort_transaction()
    assert [d["_key"] for d in _fulltext(db, "alpha")] == ["t2", "t4", "t7"]


LOCK_FREE_QUESTIONS = [
    "FOR d IN NEAR(places, 50.0, 8.0, 3, 'm') RETURN [d._key, d.at, ROUND(d.m)]",
    "FOR d IN WITHIN(places, 50.0, 8.0, 12000) RETURN [d._key, d.at]",
    "FOR d IN WITHIN_RECTANGLE(places, 49.95, 7.9, 50.15, 8.1) SORT d._key RETURN d._key",
    "FOR d IN places FILTER GEO_CONTAINS(@box, d.at) SORT d._key RETURN [d._key, d.at]",
    "FOR d IN FULLTEXT(texts, 'text', 'alpha') SORT d._key RETURN [d._key, d.text]",
    "RETURN LENGTH(FULLTEXT(texts, 'text', 'prefix:comm', 4))",
]


def _ask_lock_free(snap: Any) -> list[list[Any]]:
    from arangolite.aql.executor import execute

    return [
        execute(snap.db, q, {"box": BOX} if "@box" in q else None, trx=snap).rows
        for q in LOCK_FREE_QUESTIONS
    ]


def test_a_lock_free_in_memory_query_reads_geo_and_fulltext_indexes_as_of_its_snapshot(
    engine: Engine, db: StandardDatabase, places: Any, texts: Any
) -> None:
    """In memory a read-only query outside a transaction reads these indexes without the engine
    lock (``memory_read``): under ``engine.applying``, corrected by the versions commits hand
    it, so it answers as of its start while others commit."""
    if engine.disk is not None:
        pytest.skip("on disk these indexes follow the pinned snapshot: such a query keeps the lock")
    snap = engine.open_snapshot(engine.database(db.name))
    assert snap is not None
    try:
        before = _ask_lock_free(snap)
        assert [k for k, *_ in before[0]] == ["p0", "p1", "p2"]
        assert [k for k, _ in before[4]] == ["t0", "t2", "t4"] and before[5] == [4]
        places.update({"_key": "p0", "at": [8.0, 10.0]})
        places.insert({"_key": "new", "at": [8.0, 50.0]})
        places.delete("p1")
        texts.update({"_key": "t0", "text": "gamma"})
        texts.insert({"_key": "t9", "text": "alpha"})
        texts.delete("t2")
        assert _ask_lock_free(snap) == before
    finally:
        snap.close()
    again = engine.open_snapshot(engine.database(db.name))
    try:
        after = _ask_lock_free(again)
        assert [k for k, *_ in after[0]] == ["new", "p2", "p3"]
        assert [k for k, _ in after[4]] == ["t4", "t9"]
    finally:
        again.close()


def _commit_midway(engine: Engine, db_name: str, coll: str, commit: Any) -> list[threading.Thread]:
    """Make the first committed-document read of ``coll`` (the index read's) start ``commit``
    in another thread and give it time to finish before reading on; the threads started."""
    state = engine.database(db_name).collections[coll].state
    started: list[threading.Thread] = []

    def midway(read: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not started:
                started.append(threading.Thread(target=commit))
                started[0].start()
                started[0].join(0.5)  # done by now, unless the read holds it back
            return read(*args, **kwargs)

        return wrapper

    state.get_many = midway(state.get_many)
    state.scan = midway(state.scan)
    return started


@pytest.mark.parametrize("question", [
    "FOR d IN NEAR(places, 50.0, 8.0, 2) RETURN [d._key, d.at]",
    "FOR d IN places FILTER GEO_CONTAINS(@box, d.at) SORT d._key RETURN [d._key, d.at]",
    "FOR d IN FULLTEXT(texts, 'text', 'alpha') SORT d._key RETURN [d._key, d.text]",
])
def test_a_commit_cannot_land_inside_a_lock_free_index_read(
    engine: Engine, db: StandardDatabase, places: Any, texts: Any, question: str
) -> None:
    """In memory a lock-free query reads the index, the committed documents and its ``undo``
    in one hold of ``engine.applying``: a commit that comes in the middle of that read waits
    for it to end (without the hold, the read would take the new version of p0 or t0, whose
    old entry the index had already answered for)."""
    if engine.disk is not None:
        pytest.skip("on disk these indexes follow the pinned snapshot: such a query keeps the lock")
    from arangolite.aql.executor import execute

    snap = engine.open_snapshot(engine.database(db.name))
    assert snap is not None
    binds = {"box": BOX} if "@box" in question else None
    try:
        before = execute(snap.db, question, binds, trx=snap).rows
        assert before[0][0] in ("p0", "t0")

        def commit() -> None:
            places.update({"_key": "p0", "at": [8.0, 10.0]})
            texts.update({"_key": "t0", "text": "gamma"})

        name = "texts" if "FULLTEXT" in question else "places"
        threads = _commit_midway(engine, db.name, name, commit)
        assert execute(snap.db, question, binds, trx=snap).rows == before
    finally:
        snap.close()
    for thread in threads:
        thread.join()
    assert places.get("p0")["at"] == [8.0, 10.0] and texts.get("t0")["text"] == "gamma"


def test_commits_of_another_process_are_corrected_too(tmp_path: Path) -> None:
    """Two engines on one data directory: the other engine's commits reach this one by its
    catch-up, which moves the geo and fulltext indexes and hands the running transaction the
    versions they replace; its index reads still answer as of its start."""
    import arangolite

    engine, other = Engine(str(tmp_path)), Engine(str(tmp_path))
    try:
        db = arangolite.connect(engine=engine, db_name="shop")
        coll = db.create_collection("c")
        coll.add_index({"type": "geo", "fields": ["loc"]})
        coll.add_index({"type": "fulltext", "fields": ["t"]})
        coll.insert_many([{"_key": f"k{i}", "loc": [i, i], "t": f"word{i}"} for i in range(5)])
        trx = db.begin_transaction(read="c")
        theirs = arangolite.connect(engine=other, db_name="shop").collection("c")
        theirs.update({"_key": "k0", "loc": [80, 80], "t": "moved"})
        theirs.insert({"_key": "new", "loc": [0, 0], "t": "word0"})
        theirs.delete("k1")

        def ask(reader: Any) -> list[Any]:
            return [
                _run(reader, "FOR d IN NEAR(c, 0, 0, 2) RETURN [d._key, d.loc]"),
                _run(reader, "FOR d IN WITHIN_RECTANGLE(c, -1, -1, 1.5, 1.5) SORT d._key"
                             " RETURN d._key"),
                _run(reader, "FOR d IN FULLTEXT(c, 't', 'word0,|word1,|moved') SORT d._key"
                             " RETURN [d._key, d.t]"),
            ]

        assert ask(trx) == [
            [["k0", [0, 0]], ["k1", [1, 1]]], ["k0", "k1"], [["k0", "word0"], ["k1", "word1"]]
        ]
        trx.abort_transaction()
        assert ask(db) == [
            [["new", [0, 0]], ["k2", [2, 2]]], ["new"], [["k0", "moved"], ["new", "word0"]]
        ]
    finally:
        other.close()
        engine.close()
