"""No request waits behind an unrelated slow query (issue 10), over the loopback server.

A slow query (a loop that keeps the CPU busy, ended by its ``maxRuntime``; ``SLEEP`` would not do,
as it lets the engine lock go while it sleeps) runs in one client thread; once
``/_api/query/current`` lists it, another client reads. Each read must complete while the slow
query is provably still running: right after the read returns, ``/_api/query/current`` still
lists the slow query. No timing is asserted. Most tests run the loop in a query that writes
(``SLOW_WRITE``), which holds the engine lock on both stores, so what completes meanwhile was
served without it; the read-only loop (``SLOW``) runs without the lock itself.

Served without the engine lock, on the in-memory store and on a data directory: a point read
(``storage.lockfree``); a batch read (``PUT /_api/document/{collection}?onlyget=true``,
python-arango's ``get_many``), all of it in one snapshot; point and batch reads of a collection
with a TTL index while it holds no expired document; read-only AQL queries, each on a snapshot
of its own (``storage.snapshot_read`` on disk, ``storage.memory_read`` in memory), including
queries over collections with a geo, fulltext or TTL index that read no geo or fulltext index
and, in memory, queries that read one (``NEAR``, ``FULLTEXT``, a geo filter on a geo index).
While the read-only slow query runs, another client's read-only query and an insert complete.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import pytest
from arango import ArangoClient
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError, DocumentInsertError

SLOW = "FOR i IN 1..1e12 FILTER i < 0 RETURN i"
# The same loop in a query that writes: it holds the engine lock on both stores (a read-only one
# runs on a snapshot of its own on disk and holds nothing).
SLOW_WRITE = "FOR i IN 1..1e12 FILTER i < 0 INSERT {i} INTO sink"


@pytest.fixture
def served(loopback: str) -> StandardDatabase:
    """python-arango's ``_system`` on a loopback server (both stores, ``conftest.loopback``)."""
    return ArangoClient(hosts=loopback).db("_system")


def _running(db: StandardDatabase, query: str = SLOW) -> list[str]:
    return [q["id"] for q in db.aql.queries() if q["query"] == query]


@contextlib.contextmanager
def _slow_write(db: StandardDatabase) -> Iterator[None]:
    """:data:`SLOW_WRITE` runs (listed, holding the engine lock) inside the block; it is killed
    when the block ends."""
    db.create_collection("sink")

    def run_slow() -> None:
        with contextlib.suppress(AQLQueryExecuteError):  # killed, or stopped by its maxRuntime
            list(db.aql.execute(SLOW_WRITE, max_runtime=4))

    slow = threading.Thread(target=run_slow, daemon=True)
    slow.start()
    while not _running(db, SLOW_WRITE):  # listed without the engine lock
        time.sleep(0.01)
    try:
        yield
    finally:
        for query_id in _running(db, SLOW_WRITE):
            db.aql.kill(query_id)
        slow.join()


def test_a_point_read_completes_while_a_slow_query_runs(served: StandardDatabase) -> None:
    served.create_collection("c").insert({"_key": "k", "v": 1})
    with _slow_write(served):  # holds the engine lock on both stores
        assert served.collection("c").get("k")["v"] == 1
        still = _running(served, SLOW_WRITE)
        assert still, "the point read returned only after the slow query had ended"


def test_a_query_and_an_insert_complete_while_a_slow_query_runs(served: StandardDatabase) -> None:
    coll = served.create_collection("c")
    coll.add_index({"type": "persistent", "fields": ["v"]})
    coll.insert_many([{"_key": f"k{i}", "v": i % 5} for i in range(50)])

    def run_slow() -> None:
        with contextlib.suppress(AQLQueryExecuteError):  # killed, or stopped by its maxRuntime
            list(served.aql.execute(SLOW, max_runtime=4))

    slow = threading.Thread(target=run_slow, daemon=True)
    slow.start()
    while not _running(served):
        time.sleep(0.01)
    try:
        counts = list(served.aql.execute(
            "FOR d IN @@c COLLECT v = d.v WITH COUNT INTO n RETURN [v, n]", bind_vars={"@c": "c"}
        ))
        assert counts == [[v, 10] for v in range(5)]
        assert _running(served), "the read-only query returned only after the slow query had ended"
        coll.insert({"_key": "new", "v": 9})
        assert _running(served), "the insert returned only after the slow query had ended"
        assert list(served.aql.execute("FOR d IN c FILTER d.v == 9 RETURN d._key")) == ["new"]
        assert _running(served)
    finally:
        for query_id in _running(served):
            served.aql.kill(query_id)
        slow.join()


def test_batch_and_ttl_reads_complete_while_a_slow_query_runs(served: StandardDatabase) -> None:
    """A batch read, and point and batch reads of a collection with a TTL index holding no
    expired document, while a query that writes holds the engine lock."""
    coll = served.create_collection("c")
    coll.insert_many([{"_key": f"k{i}", "v": i} for i in range(20)])
    sessions = served.create_collection("sessions")
    sessions.add_index({"type": "ttl", "fields": ["until"], "expireAfter": 0})
    sessions.insert_many([{"_key": f"s{i}", "until": time.time() + 3600} for i in range(5)])
    with _slow_write(served):
        found = coll.get_many(["k3", "c/k7", {"_key": "k11"}, "missing"])
        assert _running(served, SLOW_WRITE), "the batch read returned only after the slow query"
        assert sessions.get("s1")["_key"] == "s1"
        assert _running(served, SLOW_WRITE), "the read of a TTL collection waited"
        assert [d["_key"] for d in sessions.get_many(["s2", "s3"])] == ["s2", "s3"]
        assert _running(served, SLOW_WRITE), "the batch read of a TTL collection waited"
    assert [d["v"] for d in found] == [3, 7, 11]


def test_queries_over_geo_fulltext_and_ttl_collections_complete_while_a_slow_query_runs(
    served: StandardDatabase,
) -> None:
    """Scans and persistent-index reads of collections that also have a geo, fulltext or TTL
    index run on their own snapshot; a query that reads the geo index keeps the lock."""
    far = time.time() + 3600  # expires in an hour: nothing is expired while the test runs
    for name, extra in (
        ("places", {"type": "geo", "fields": ["at"]}),
        ("texts", {"type": "fulltext", "fields": ["text"]}),
        ("sessions", {"type": "ttl", "fields": ["until"], "expireAfter": 0}),
    ):
        coll = served.create_collection(name)
        coll.add_index(extra)
        coll.add_index({"type": "persistent", "fields": ["v"]})
        coll.insert_many([
            {"_key": f"k{i}", "v": i % 5, "at": [50.0 + i / 100, 8.0], "text": f"word{i} common",
             "until": far}
            for i in range(50)
        ])
    with _slow_write(served):
        for name in ("places", "texts", "sessions"):
            rows = list(served.aql.execute(
                "FOR d IN @@c FILTER d.v == 2 SORT d._key RETURN d._key", bind_vars={"@c": name}
            ))
            assert rows == sorted(f"k{i}" for i in range(2, 50, 5)), name
            assert _running(served, SLOW_WRITE), f"the query over '{name}' waited for the slow one"
            counts = list(served.aql.execute(
                "FOR d IN @@c COLLECT v = d.v WITH COUNT INTO n RETURN [v, n]",
                bind_vars={"@c": name},
            ))
            assert counts == [[v, 10] for v in range(5)]
            assert _running(served, SLOW_WRITE), f"the scan of '{name}' waited for the slow query"
        found = served.collection("sessions").get_many(["k1", "k2"])
        assert [d["_key"] for d in found] == ["k1", "k2"]
        assert _running(served, SLOW_WRITE), "the batch read of a TTL collection waited"
    near = list(served.aql.execute(  # reads the geo index (on disk under the lock)
        "FOR d IN NEAR(places, 50.0, 8.0, 3) RETURN d._key"
    ))
    assert near == ["k0", "k1", "k2"]


# -- requests served under the engine lock, in the gaps of a slow query that holds it --------------


def test_writes_complete_while_a_slow_writing_query_runs(served: StandardDatabase) -> None:
    """Inserts, an update, a remove and a writing query of other clients, each served under the
    engine lock, complete while the slow query that writes holds it: it hands the lock over
    between its rows (``aql/turns.py``). What the slow query has not committed stays unseen."""
    coll = served.create_collection("c")
    coll.insert({"_key": "old", "v": 1})
    with _slow_write(served):
        coll.insert({"_key": "a", "v": 2})
        assert _running(served, SLOW_WRITE), "the insert returned only after the slow query"
        coll.update({"_key": "old", "v": 3})
        coll.delete("a")
        assert _running(served, SLOW_WRITE), "the update and remove waited for the slow query"
        list(served.aql.execute("FOR i IN 1..10 INSERT {_key: CONCAT('q', i)} INTO c"))
        assert _running(served, SLOW_WRITE), "the writing query waited for the slow query"
        served.collection("sink").insert({"_key": "beside"})  # the collection it writes to
        assert _running(served, SLOW_WRITE), "the insert into its collection waited"
    assert coll.count() == 11
    assert coll.get("old")["v"] == 3
    assert [d["_key"] for d in served.collection("sink").all()] == ["beside"]  # killed: aborted


KEY_THEN_SLOW = (
    "LET mine = (INSERT {_key: 'k', by: 'query'} INTO c RETURN NEW._key) "
    + SLOW_WRITE
)


def test_a_write_to_a_key_the_slow_query_wrote_is_a_conflict(served: StandardDatabase) -> None:
    """The slow query inserted ``k`` (not committed) and loops on: another client's insert of
    ``k`` gets 1200 at once, never waits and never wins; the query's own insert is dropped with
    it when it is killed."""
    coll = served.create_collection("c")
    served.create_collection("sink")

    def run_slow() -> None:
        with contextlib.suppress(AQLQueryExecuteError):
            list(served.aql.execute(KEY_THEN_SLOW, max_runtime=4))

    slow = threading.Thread(target=run_slow, daemon=True)
    slow.start()
    while not _running(served, KEY_THEN_SLOW):
        time.sleep(0.01)
    time.sleep(0.05)  # past the INSERT of ``k`` (its first statement, in the lock's first turn)
    try:
        with pytest.raises(DocumentInsertError) as caught:
            coll.insert({"_key": "k", "by": "client"})
        assert caught.value.error_code == 1200
        assert _running(served, KEY_THEN_SLOW), "the conflicting insert waited for the slow query"
        assert coll.get("k") is None
    finally:
        for query_id in _running(served, KEY_THEN_SLOW):
            served.aql.kill(query_id)
        slow.join()
    assert coll.get("k") is None
    coll.insert({"_key": "k", "by": "client"})  # free again once the query is gone


def test_a_slow_query_writing_a_key_changed_meanwhile_fails_with_1200(
    served: StandardDatabase,
) -> None:
    """No lost update: the slow query read ``n`` in its snapshot, another client changes it
    meanwhile; the query's write of it then fails (1200) and the client's value stays."""
    coll = served.create_collection("c")
    coll.insert({"_key": "n", "v": 0})
    query = (
        "LET d = DOCUMENT('c/n') FOR i IN 1..1e12 FILTER i > 5000000 LIMIT 1 "
        "UPDATE d WITH {v: d.v + 1} IN c"
    )
    outcome: list[BaseException] = []

    def run_slow() -> None:
        try:
            list(served.aql.execute(query, max_runtime=30))
        except AQLQueryExecuteError as exc:
            outcome.append(exc)

    slow = threading.Thread(target=run_slow, daemon=True)
    slow.start()
    while not _running(served, query):
        time.sleep(0.01)
    coll.update({"_key": "n", "v": 10})
    assert _running(served, query), "the update waited for the slow query"
    slow.join()
    assert len(outcome) == 1 and getattr(outcome[0], "error_code", None) == 1200, outcome
    assert coll.get("n")["v"] == 10


def test_geo_and_fulltext_index_reads_complete_while_a_slow_query_runs(
    served: StandardDatabase,
) -> None:
    """A read-only query reading a geo or fulltext index, streaming or not: in memory it runs
    without the lock (``storage.memory_read``, the index corrected by its snapshot:
    ``storage.index_view``); on disk it is served under the lock (those indexes follow the
    pinned snapshot), in the gaps the slow query leaves (``aql/turns.py``)."""
    places = served.create_collection("places")
    places.add_index({"type": "geo", "fields": ["at"], "geoJson": True})
    places.insert_many([{"_key": f"p{i}", "at": [8.0, 50.0 + i / 10]} for i in range(10)])
    texts = served.create_collection("texts")
    texts.add_index({"type": "fulltext", "fields": ["text"]})
    texts.insert_many([{"_key": f"t{i}", "text": f"word{i % 2} common"} for i in range(10)])
    box = {"type": "Polygon", "coordinates": [
        [[7.9, 49.95], [8.1, 49.95], [8.1, 50.15], [7.9, 50.15], [7.9, 49.95]]
    ]}
    with _slow_write(served):
        for stream in (False, True):
            near = list(served.aql.execute(
                "FOR d IN NEAR(places, 50.0, 8.0, 3) RETURN d._key", stream=stream
            ))
            assert near == ["p0", "p1", "p2"]
            assert _running(served, SLOW_WRITE), "NEAR waited for the slow query"
            inside = list(served.aql.execute(
                "FOR d IN places FILTER GEO_CONTAINS(@box, d.at) SORT d._key RETURN d._key",
                bind_vars={"box": box}, stream=stream,
            ))
            assert inside == ["p0", "p1"]
            assert _running(served, SLOW_WRITE), "the geo filter waited for the slow query"
            words = list(served.aql.execute(
                "FOR d IN FULLTEXT(texts, 'text', 'word1') SORT d._key RETURN d._key",
                stream=stream,
            ))
            assert words == [f"t{i}" for i in range(1, 10, 2)]
            assert _running(served, SLOW_WRITE), "FULLTEXT waited for the slow query"
