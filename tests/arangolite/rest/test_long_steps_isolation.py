"""No request waits behind a long single step (issue 10), over the loopback server, on both
stores: a big import or array of documents, a SORT in a query that writes, a graph search
before its first row in a query that writes.

A big import (``POST /_api/import``, python-arango's ``import_bulk``) or array of documents
(``POST /_api/document/{collection}`` with an array, ``insert_many``) runs in one client thread,
in a transaction of its own under the engine lock. Once its transaction holds the key lock of its
first document (it has started and not committed: the locks go at its commit), another client
writes and reads. Each of those must complete while the batch is provably still running: right
after it returns, the batch's transaction still holds that key lock, and none of the batch's
documents is visible. No timing is asserted. Without the hand-over between documents
(``rest.doc_common.handing_over``) the other client's write waits for the commit and these
tests fail. Results stay right: the batch is all or nothing (its documents appear together, at
its commit), another client's write of a key the batch has written gets 1200 at once, and the
batch's own write of a key another client wrote in a gap fails that item with 1200 (the
client's document stays), as a writing query's does.

The SORT tests wait until the sorting query is listed while the engine lock is free (it holds
the lock from before it is listed until after, except while it sorts with the lock let go:
``aql.turns.off_lock_under``); the graph-search tests need only the query listed, as its search
starts at once and runs long before any row (safe points inside the search loop:
``Runtime.safe_point``). Both kinds keep their snapshot and conflict (1200) as a writing query
does between its rows.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from arango import ArangoClient
from arango.database import StandardDatabase
from arango.exceptions import DocumentInsertError

from arangolite.server import ArangoliteServer, serve
from arangolite.storage.engine import Engine

SIZE = 100_000  # documents of the batch: long enough to run over many hand-overs


@pytest.fixture(params=["memory", "disk"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[StandardDatabase, Engine]]:
    """python-arango's ``_system`` on a loopback server, and the server's engine (to see the
    batch's key lock, as ``/_api/query/current`` shows a query)."""
    srv: ArangoliteServer = serve(0, None if request.param == "memory" else str(tmp_path))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{srv.server_address[1]}"
        yield ArangoClient(hosts=url).db("_system"), srv.engine
    finally:
        srv.shutdown()
        srv.server_close()
        srv.engine.close()


def _holds(engine: Engine, coll: str, key: str) -> bool:
    """Whether a running transaction holds the write lock of ``coll/key`` (a batch that wrote it
    and has not ended)."""
    return engine.database("_system").get_collection(coll).locks.get(key) is not None


def _docs(prefix: str = "d") -> list[dict[str, Any]]:
    return [{"_key": f"{prefix}{i}", "v": i} for i in range(SIZE)]


def _in_thread(run: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []

    def target() -> None:
        try:
            out.append(run())
        except BaseException as exc:  # reported by the test
            out.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, out


def _started(engine: Engine, thread: threading.Thread, key: str = "d0") -> None:
    """Wait until the batch's transaction holds ``c/key`` (the batch runs and has not ended)."""
    while not _holds(engine, "c", key):
        assert thread.is_alive(), "the batch ended before it was seen running"
        time.sleep(0.002)


BATCHES = {
    "import": lambda db: db.collection("c").import_bulk(_docs(), halt_on_error=False),
    "insert_many": lambda db: db.collection("c").insert_many(_docs()),
}


@pytest.mark.parametrize("kind", sorted(BATCHES))
def test_writes_and_reads_complete_while_a_big_batch_runs(
    served: tuple[StandardDatabase, Engine], kind: str
) -> None:
    db, engine = served
    coll = db.create_collection("c")
    other = db.create_collection("other")
    coll.insert({"_key": "old", "v": -1})
    thread, out = _in_thread(lambda: BATCHES[kind](db))
    _started(engine, thread)
    other.insert({"_key": "beside"})
    assert _holds(engine, "c", "d0"), "the insert returned only after the batch had ended"
    coll.insert({"_key": "mine", "v": -2})  # into the collection the batch writes to
    coll.update({"_key": "old", "v": -3})
    assert _holds(engine, "c", "d0"), "the writes to its collection waited for the batch"
    list(db.aql.execute("FOR d IN other INSERT {_key: CONCAT(d._key, '2')} INTO other"))
    assert _holds(engine, "c", "d0"), "the writing query waited for the batch"
    assert coll.get("d0") is None  # the batch's writes stay its own until it commits
    assert coll.get("mine")["v"] == -2
    assert _holds(engine, "c", "d0"), "the batch had ended"
    thread.join()
    assert not isinstance(out[0], BaseException), out[0]
    if kind == "import":
        assert (out[0]["created"], out[0]["errors"]) == (SIZE, 0)
    assert coll.count() == SIZE + 2
    assert coll.get("old")["v"] == -3
    assert sorted(d["_key"] for d in other.all()) == ["beside", "beside2"]


@pytest.mark.parametrize("kind", sorted(BATCHES))
def test_keys_written_in_a_gap_conflict_and_the_batch_stays_whole(
    served: tuple[StandardDatabase, Engine], kind: str
) -> None:
    """Another client's insert of a key the batch wrote gets 1200 at once (and never wins); its
    insert of a key the batch has not reached yet succeeds in a gap, and the batch's own insert
    of that key then fails (1200, that item only: the client's document stays); everything else
    of the batch appears at its commit."""
    db, engine = served
    coll = db.create_collection("c")
    last = f"d{SIZE - 1}"
    thread, out = _in_thread(lambda: BATCHES[kind](db))
    _started(engine, thread)
    with pytest.raises(DocumentInsertError) as caught:
        coll.insert({"_key": "d0", "by": "client"})
    assert caught.value.error_code == 1200
    coll.insert({"_key": last, "by": "client"})
    assert _holds(engine, "c", "d0"), "the inserts waited for the batch"
    thread.join()
    result = out[0]
    assert not isinstance(result, BaseException), result
    if kind == "import":
        assert (result["created"], result["errors"]) == (SIZE - 1, 1)
        assert len(result["details"]) == 1
        assert "write-write conflict" in result["details"][0] and last in result["details"][0]
    else:
        failed = [r for r in result if isinstance(r, DocumentInsertError)]
        assert [r.error_code for r in failed] == [1200]
        assert result.index(failed[0]) == SIZE - 1
    assert coll.count() == SIZE
    assert coll.get("d0")["v"] == 0
    assert coll.get(last)["by"] == "client"


def test_a_complete_import_that_conflicts_leaves_nothing(
    served: tuple[StandardDatabase, Engine],
) -> None:
    """``complete=true``: the item that conflicts with a key written in a gap fails the whole
    import (1200), and none of its documents is kept."""
    db, engine = served
    coll = db.create_collection("c")
    last = f"d{SIZE - 1}"
    thread, out = _in_thread(lambda: coll.import_bulk(_docs(), halt_on_error=True))
    _started(engine, thread)
    coll.insert({"_key": last, "by": "client"})
    assert _holds(engine, "c", "d0"), "the insert waited for the import"
    thread.join()
    assert getattr(out[0], "error_code", None) == 1200, out[0]
    assert [d["_key"] for d in coll.all()] == [last]


def test_a_big_batch_inside_a_stream_transaction_lets_other_writes_in(
    served: tuple[StandardDatabase, Engine],
) -> None:
    """``insert_many`` inside a stream transaction (its request holds the transaction's lease
    alone, so no other request of the transaction runs in its gaps) hands the lock over too;
    its documents stay the transaction's until it commits."""
    db, engine = served
    coll = db.create_collection("c")
    trx = db.begin_transaction(write=["c"])
    thread, out = _in_thread(lambda: trx.collection("c").insert_many(_docs()))
    _started(engine, thread)
    coll.insert({"_key": "mine"})
    # the transaction keeps its key locks after the batch: its last key not locked yet is what
    # shows the batch still running
    assert not _holds(engine, "c", f"d{SIZE - 1}"), "the insert returned only after the batch"
    thread.join()
    assert not isinstance(out[0], BaseException), out[0]
    assert _holds(engine, "c", f"d{SIZE - 1}")
    assert coll.count() == 1  # the batch is the transaction's until it commits
    trx.commit_transaction()
    assert coll.count() == SIZE + 1


# -- SORT in a query that writes: the sort of rows already read runs with the lock let go ---------

# keys that compare slowly (97 strings sharing a 200 kB prefix, in a scrambled order): the sort
# step takes seconds, the loop before it a fraction of that
STRINGS = "LET strs = (FOR j IN 0..96 RETURN CONCAT(@prefix, j)) "
SORT_WRITE = (
    STRINGS + "LET s = (FOR i IN 1..@n SORT strs[(i * 7919) % 97] RETURN i) "
    "INSERT {_key: 'sorted', n: LENGTH(s)} INTO sink"
)
PREFIX = "x" * 200_000
# the writes test needs the sort to outlast four writes on disk (fsync each): longer keys
LONG_PREFIX = "x" * 800_000
ROWS = 12_000


def _listed(db: StandardDatabase, query: str) -> bool:
    return any(q["query"] == query for q in db.aql.queries())


def _in_its_sort(db: StandardDatabase, engine: Engine, query: str, thread: threading.Thread) -> None:
    """Wait until ``query`` is listed while the engine lock is free: it holds the lock from
    before it is listed until after, except while it sorts with the lock let go."""
    while True:
        assert thread.is_alive(), "the query ended before it was seen sorting"
        if _listed(db, query) and engine.lock.acquire(blocking=False):
            engine.lock.release()
            if _listed(db, query):
                return
        time.sleep(0.002)


def test_writes_complete_while_a_writing_query_sorts(
    served: tuple[StandardDatabase, Engine],
) -> None:
    db, engine = served
    sink = db.create_collection("sink")
    coll = db.create_collection("c")
    coll.insert({"_key": "old", "v": 1})
    thread, out = _in_thread(lambda: list(db.aql.execute(
        SORT_WRITE, bind_vars={"prefix": LONG_PREFIX, "n": ROWS}
    )))
    _in_its_sort(db, engine, SORT_WRITE, thread)
    coll.insert({"_key": "new", "v": 2})
    assert _listed(db, SORT_WRITE), "the insert returned only after the sorting query"
    coll.update({"_key": "old", "v": 3})
    sink.insert({"_key": "beside"})  # the collection the query writes to
    list(db.aql.execute("FOR i IN 1..10 INSERT {_key: CONCAT('q', i)} INTO c"))
    assert _listed(db, SORT_WRITE), "the writes waited for the sorting query"
    thread.join()
    assert out == [[]], out
    assert sink.get("sorted")["n"] == ROWS
    assert coll.count() == 12 and coll.get("old")["v"] == 3


SORT_UPDATE = (
    STRINGS + "FOR d IN c SORT strs[(d.v * 7919) % 97], d.v "
    "UPDATE d WITH {seen: true} IN c RETURN OLD.v"
)


@pytest.mark.parametrize("conflict", [False, True])
def test_a_sorting_query_keeps_its_snapshot_and_conflicts(
    served: tuple[StandardDatabase, Engine], conflict: bool
) -> None:
    """While the query sorts the documents it read, another client inserts one (not in the
    query's snapshot: never updated by it) or, with ``conflict``, updates one the query then
    updates: the query fails with 1200 and nothing of it is kept; the client's write stays.
    Otherwise the query's rows come in AQL's sort order."""
    db, engine = served
    coll = db.create_collection("c")
    coll.insert_many([{"_key": f"k{v}", "v": v} for v in range(ROWS)])
    thread, out = _in_thread(lambda: list(db.aql.execute(
        SORT_UPDATE, bind_vars={"prefix": PREFIX}
    )))
    _in_its_sort(db, engine, SORT_UPDATE, thread)
    if conflict:
        coll.update({"_key": "k5", "v": -5})
    else:
        coll.insert({"_key": "new", "v": 5})
    assert _listed(db, SORT_UPDATE), "the write returned only after the sorting query"
    thread.join()
    if conflict:
        assert getattr(out[0], "error_code", None) == 1200, out[0]
        assert coll.get("k5")["v"] == -5
        assert list(db.aql.execute("FOR d IN c FILTER d.seen RETURN 1")) == []
        return
    # by the strings (PREFIX + "10" before PREFIX + "2"), then by v
    assert out[0] == sorted(range(ROWS), key=lambda v: (str((v * 7919) % 97), v))
    assert "seen" not in coll.get("new")
    assert len(list(db.aql.execute("FOR d IN c FILTER d.seen RETURN 1"))) == ROWS


# -- traversals and path searches in a query that writes: safe points inside the search ------------

LAYERS = 17  # a ladder: two vertices a<i>, b<i> per layer, each linked to both of the next layer:
# 2^16 paths from a0 to the last layer, so a search through all of them takes a while


def _ladder(db: StandardDatabase) -> None:
    nodes = db.create_collection("nodes")
    edges = db.create_collection("edges", edge=True)
    db.create_collection("sink")
    nodes.insert_many([{"_key": f"{s}{i}"} for i in range(LAYERS) for s in "ab"])
    edges.insert_many([
        {"_from": f"nodes/{s}{i}", "_to": f"nodes/{t}{i + 1}"}
        for i in range(LAYERS - 1) for s in "ab" for t in "ab"
    ])


SEARCHES = {  # each searches every path and finds no row
    "traversal": "FOR v IN 40..40 OUTBOUND 'nodes/a0' edges OPTIONS {uniqueVertices: 'none'} "
                 "INSERT {v: v._key} INTO sink",
    "shortest_path": "FOR v IN OUTBOUND SHORTEST_PATH 'nodes/a0' TO 'nodes/far' edges "
                     "INSERT {v: v._key} INTO sink",
    "k_paths": "FOR p IN 1..40 OUTBOUND K_PATHS 'nodes/a0' TO 'nodes/far' edges "
               "INSERT {n: LENGTH(p.edges)} INTO sink",
}


@pytest.mark.parametrize("kind", sorted(SEARCHES))
def test_writes_complete_while_a_writing_query_searches_a_graph(
    served: tuple[StandardDatabase, Engine], kind: str
) -> None:
    """Before its first row, the search runs long; another client's writes complete in the
    gaps it leaves between two steps of its loop (``GraphMixin.safe_point``)."""
    db, _ = served
    _ladder(db)
    query = SEARCHES[kind]
    thread, out = _in_thread(lambda: list(db.aql.execute(query)))
    while not _listed(db, query):  # listed once it runs (without the engine lock)
        assert thread.is_alive(), "the query ended before it was listed"
        time.sleep(0.002)
    db.collection("nodes").insert({"_key": "beside"})
    assert _listed(db, query), "the insert returned only after the searching query"
    db.collection("sink").insert({"_key": "into_its_collection"})
    assert _listed(db, query), "the insert into its collection waited for the searching query"
    thread.join()
    assert out == [[]], out
    assert [d["_key"] for d in db.collection("sink").all()] == ["into_its_collection"]


# the layers' end linked on to 'far' by a chain long enough to reach depth 40 (added in a gap)
SEARCH_THEN_WRITE = (
    "LET found = (FOR v IN 40..40 OUTBOUND 'nodes/a0' edges OPTIONS {uniqueVertices: 'none'} "
    "RETURN v._key) INSERT {_key: 'result', found} INTO sink"
)


@pytest.mark.parametrize("conflict", [False, True])
def test_a_searching_query_keeps_its_snapshot_and_conflicts(
    served: tuple[StandardDatabase, Engine], conflict: bool
) -> None:
    """During the search another client links the ladder's last layer on to a chain reaching
    depth 40: the query, reading its snapshot, does not find it (a query begun after does).
    With ``conflict`` the client also writes the key the query writes after its search: the
    query fails with 1200 and the client's document stays."""
    db, _ = served
    _ladder(db)
    thread, out = _in_thread(lambda: list(db.aql.execute(SEARCH_THEN_WRITE)))
    while not _listed(db, SEARCH_THEN_WRITE):
        assert thread.is_alive(), "the query ended before it was listed"
        time.sleep(0.002)
    chain = [f"c{i}" for i in range(40 - (LAYERS - 1))]
    db.collection("nodes").insert_many([{"_key": k} for k in chain])
    db.collection("edges").insert_many([
        {"_from": f"nodes/{a}", "_to": f"nodes/{b}"}
        for a, b in zip([f"a{LAYERS - 1}", *chain], chain, strict=False)
    ])
    if conflict:
        db.collection("sink").insert({"_key": "result", "by": "client"})
    assert _listed(db, SEARCH_THEN_WRITE), "the writes returned only after the searching query"
    thread.join()
    sink = db.collection("sink")
    if conflict:
        assert getattr(out[0], "error_code", None) == 1200, out[0]
        assert sink.get("result")["by"] == "client"
    else:
        assert out == [[]], out
        assert sink.get("result")["found"] == []
    now = list(db.aql.execute(
        "FOR v IN 40..40 OUTBOUND 'nodes/a0' edges OPTIONS {uniqueVertices: 'none'} "
        "LIMIT 1 RETURN v._key"
    ))
    assert now == [chain[-1]]


# -- COLLECT in a query that writes: the grouping pass over rows already read takes turns ----------

# group values that hash slowly (an array holding 1,000 objects, the same one in every row): the
# grouping pass takes seconds, the loop that produces its rows a few milliseconds
COLLECT_WRITE = (
    "LET big = (FOR j IN 1..1000 RETURN {a: j}) "
    "FOR i IN 1..@n COLLECT g = [i % 10, big] INTO members = i "
    "INSERT {_key: TO_STRING(g[0]), n: LENGTH(members)} INTO sink"
)


def test_writes_complete_while_a_writing_query_groups(
    served: tuple[StandardDatabase, Engine],
) -> None:
    """Once the query has run past its short loop (its listed run time past 0.3 s, where the
    grouping pass alone takes seconds), another client's writes complete while it is still
    listed; its result is whole."""
    db, _ = served
    sink = db.create_collection("sink")
    coll = db.create_collection("c")
    thread, out = _in_thread(lambda: list(db.aql.execute(COLLECT_WRITE, bind_vars={"n": 2000})))
    while not [q for q in db.aql.queries() if q["query"] == COLLECT_WRITE and q["runtime"] > 0.3]:
        assert thread.is_alive(), "the query ended before it was seen grouping"
        time.sleep(0.01)
    coll.insert({"_key": "new"})
    assert _listed(db, COLLECT_WRITE), "the insert returned only after the grouping query"
    sink.insert({"_key": "beside"})
    assert _listed(db, COLLECT_WRITE), "the insert into its collection waited"
    thread.join()
    assert out == [[]], out
    assert sorted((d["_key"], d.get("n")) for d in sink.all()) == sorted(
        [(str(g), 200) for g in range(10)] + [("beside", None)]
    )


# WINDOW over every row for every row: its aggregation pass takes seconds after a short loop
WINDOW_WRITE = (
    "FOR i IN 1..@n WINDOW {preceding: 'unbounded', following: 'unbounded'} "
    "AGGREGATE total = SUM(i), top = MAX(i) LIMIT 1 INSERT {_key: 'w', total, top} INTO sink"
)


def test_writes_complete_while_a_writing_query_aggregates_a_window(
    served: tuple[StandardDatabase, Engine],
) -> None:
    """As for COLLECT: past the short loop, the WINDOW's per-row aggregation takes turns."""
    db, _ = served
    sink = db.create_collection("sink")
    coll = db.create_collection("c")
    n = 2500
    thread, out = _in_thread(lambda: list(db.aql.execute(WINDOW_WRITE, bind_vars={"n": n})))
    while not [q for q in db.aql.queries() if q["query"] == WINDOW_WRITE and q["runtime"] > 0.3]:
        assert thread.is_alive(), "the query ended before it was seen aggregating"
        time.sleep(0.01)
    coll.insert({"_key": "new"})
    assert _listed(db, WINDOW_WRITE), "the insert returned only after the WINDOW query"
    thread.join()
    assert out == [[]], out
    assert (sink.get("w")["total"], sink.get("w")["top"]) == (n * (n + 1) // 2, n)
