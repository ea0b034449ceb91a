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

The SORT, COLLECT and WINDOW tests hold the query inside the step they test, with a pure
function of the engine wrapped by the test (:class:`_Hold`): a step that runs with the engine lock
let go (``aql.turns.off_lock_under``: a big sort, a big COLLECT's group sort and aggregates, a
range WINDOW's ordering) waits in it until the test lets it go, and the test checks the lock is
free and writes meanwhile (were the lock held, the writes would wait until the hold gives up and
the test fails); a step that takes turns (COLLECT's grouping pass, WINDOW's aggregation) keeps
running, each call spending a millisecond of CPU, until the test lets it go, and the test checks
the step was still running when the writes returned. The graph-search tests need only the query
listed, as its search starts at once and runs long before any row (safe points inside the search
loop: ``Runtime.safe_point``). All keep their snapshot and conflict (1200) as a writing query
does between its rows. The engine lock's turn is 2 ms here (20 ms by default), so the other
client's requests need less of a step's time.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from arango import ArangoClient
from arango.collection import StandardCollection
from arango.database import StandardDatabase
from arango.exceptions import DocumentInsertError, IndexCreateError
from arango.request import Request

from arangolite import strict_json
from arangolite.aql import grouping, ordering, window
from arangolite.aql.ordering import OFF_LOCK_ROWS
from arangolite.aql.runtime import Runtime
from arangolite.storage import engine_lock, index_build, persistence
from arangolite.storage.engine import Engine
from tests.arangolite.rest.background import in_thread, joined, until
from tests.arangolite.rest.conftest import loopback_server, url_of

SIZE = 100_000  # documents of the batch: long enough to run over many hand-overs
HOLD = 20.0  # seconds a held step waits for the test at most (then the test fails)


@pytest.fixture(params=["memory", "disk"])
def served(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[StandardDatabase, Engine]]:
    """python-arango's ``_system`` on a loopback server, and the server's engine (to see the
    batch's key lock and the engine lock); the lock's turn 2 ms."""
    monkeypatch.setattr(engine_lock, "TURN", 0.002)
    with loopback_server(None if request.param == "memory" else str(tmp_path)) as srv:
        yield ArangoClient(hosts=url_of(srv)).db("_system"), srv.engine


def _sink_and_c(db: StandardDatabase) -> tuple[StandardCollection, StandardCollection]:
    """Collections ``sink`` (the query writes there) and ``c`` (the other client's)."""
    return db.create_collection("sink"), db.create_collection("c")


def _lock_free(engine: Engine) -> bool:
    """Whether nobody holds the engine lock (this thread takes it and lets it go at once)."""
    if not engine.lock.acquire(blocking=False):
        return False
    engine.lock.release()
    return True


def _spin(seconds: float) -> None:
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


class _Hold:
    """``fn`` (a pure function of the engine) wrapped by a test: the first call that ``when``
    accepts is where the query is held (:attr:`inside`). ``block``: that call waits until
    :meth:`release` (at most :data:`HOLD`: then :attr:`timed_out`), for a step that runs with
    the engine lock let go. Otherwise every later call spends a millisecond of CPU until then,
    so a step that takes turns keeps running, and taking them, while the test needs it;
    :attr:`calls` counts those calls."""

    def __init__(self, fn: Callable[..., Any], when: Callable[..., bool], block: bool) -> None:
        self._fn, self._when, self._block = fn, when, block
        self.inside = threading.Event()
        self._go = threading.Event()
        self.timed_out = False
        self.calls = 0

    def __call__(self, *args: Any) -> Any:
        if not self._go.is_set():
            if self.inside.is_set():
                if not self._block:
                    self.calls += 1
                    _spin(0.001)
            elif self._when(*args):
                self.inside.set()
                if self._block:
                    self.timed_out = not self._go.wait(HOLD)
        return self._fn(*args)

    def entered(self, thread: threading.Thread) -> None:
        until(self.inside.is_set, thread, "it reached the held step")

    def release(self) -> None:
        self._go.set()


@contextlib.contextmanager
def _holding(
    monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, *, block: bool,
    when: Callable[..., bool] = lambda *args: True,
) -> Iterator[_Hold]:
    """``owner.name`` held as :class:`_Hold` says for the block (let go at its end); a plain
    function stands in for it, so a method of a class binds as before."""
    hold = _Hold(getattr(owner, name), when, block)

    def held(*args: Any) -> Any:
        return hold(*args)

    monkeypatch.setattr(owner, name, held)
    try:
        yield hold
    finally:
        hold.release()


def _holds(engine: Engine, coll: str, key: str) -> bool:
    """Whether a running transaction holds the write lock of ``coll/key`` (a batch that wrote it
    and has not ended)."""
    return engine.database("_system").get_collection(coll).locks.get(key) is not None


def _docs(prefix: str = "d") -> list[dict[str, Any]]:
    return [{"_key": f"{prefix}{i}", "v": i} for i in range(SIZE)]


def _started(engine: Engine, thread: threading.Thread, key: str = "d0") -> None:
    """Wait until the batch's transaction holds ``c/key`` (the batch runs and has not ended)."""
    until(lambda: _holds(engine, "c", key), thread, "the batch was seen running")


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
    thread, out = in_thread(lambda: BATCHES[kind](db))
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
    joined(thread, "the long step")
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
    thread, out = in_thread(lambda: BATCHES[kind](db))
    _started(engine, thread)
    with pytest.raises(DocumentInsertError) as caught:
        coll.insert({"_key": "d0", "by": "client"})
    assert caught.value.error_code == 1200
    coll.insert({"_key": last, "by": "client"})
    assert _holds(engine, "c", "d0"), "the inserts waited for the batch"
    joined(thread, "the long step")
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
    thread, out = in_thread(lambda: coll.import_bulk(_docs(), halt_on_error=True))
    _started(engine, thread)
    coll.insert({"_key": last, "by": "client"})
    assert _holds(engine, "c", "d0"), "the insert waited for the import"
    joined(thread, "the long step")
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
    thread, out = in_thread(lambda: trx.collection("c").insert_many(_docs()))
    _started(engine, thread)
    coll.insert({"_key": "mine"})
    # the transaction keeps its key locks after the batch: its last key not locked yet is what
    # shows the batch still running
    assert not _holds(engine, "c", f"d{SIZE - 1}"), "the insert returned only after the batch"
    joined(thread, "the long step")
    assert not isinstance(out[0], BaseException), out[0]
    assert _holds(engine, "c", f"d{SIZE - 1}")
    assert coll.count() == 1  # the batch is the transaction's until it commits
    trx.commit_transaction()
    assert coll.count() == SIZE + 1


@pytest.mark.parametrize("kind", sorted(BATCHES))
def test_a_big_commit_prepares_its_rows_with_the_lock_let_go(
    served: tuple[StandardDatabase, Engine], monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """On disk, a big batch's commit works out its documents' JSON text and its new index rows
    with the engine lock let go (``Transaction.commit``, ``EnginePersistence.prepare``): held
    there, the lock is free, and another client creates an index on the batch's collection and
    writes beside it. The commit then writes the rows of that new index too (the rows worked
    out ahead were for the indexes of before), and the batch is whole."""
    db, engine = served
    if engine.store is None:
        pytest.skip("in memory a commit writes nothing to prepare")
    coll = db.create_collection("c")
    before = coll.add_index({"type": "persistent", "fields": ["v"]})
    other = db.create_collection("other")
    with _holding(monkeypatch, persistence, "rows_ahead", block=True) as hold:
        thread, out = in_thread(lambda: BATCHES[kind](db))
        hold.entered(thread)
        assert _lock_free(engine), "the commit prepared its rows under the engine lock"
        other.insert({"_key": "beside"})
        coll.add_index({"type": "persistent", "fields": ["v"], "sparse": True, "name": "late"})
        assert _holds(engine, "c", "d0") and coll.get("d0") is None  # not committed yet
        hold.release()
        joined(thread, "the batch's commit")
    assert not hold.timed_out and not isinstance(out[0], BaseException), out[0]
    assert coll.count() == SIZE and other.count() == 1
    coll.delete_index(before["id"])  # what remains to read ``v`` through is the late index
    query = "FOR d IN c FILTER d.v >= @lo && d.v < @hi SORT d.v RETURN d._key"
    found = list(db.aql.execute(query, bind_vars={"lo": 7, "hi": 10}))
    assert found == ["d7", "d8", "d9"]


def _made(engine: Engine) -> str:
    """The function of ``storage.index_build`` that makes a new index: its rows on disk, its
    entries in memory."""
    return "fill" if engine.store is None else "build_rows"


def test_an_index_build_makes_its_rows_with_the_lock_let_go(
    served: tuple[StandardDatabase, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new persistent index is made with the engine lock let go, on a snapshot of its own
    (``storage.index_build``; on disk its rows, in memory its entries): held there, the lock is
    free, and another client inserts, updates and removes documents of the collection and writes
    another one. The index stored after holds their writes: reads through it answer as they
    should."""
    db, engine = served
    coll = db.create_collection("c")
    coll.insert_many([{"_key": f"d{i}", "v": i} for i in range(1000)])
    other = db.create_collection("other")
    spec = {"type": "persistent", "fields": ["v"]}
    with _holding(monkeypatch, index_build, _made(engine), block=True) as hold:
        thread, out = in_thread(lambda: coll.add_index(spec))
        hold.entered(thread)
        assert _lock_free(engine), "the index build made its rows under the engine lock"
        other.insert({"_key": "beside"})
        coll.insert({"_key": "new", "v": -1})
        coll.update({"_key": "d5", "v": -5})
        coll.delete("d1")
        assert [i["type"] for i in coll.indexes()] == ["primary"]  # not stored yet
        hold.release()
        joined(thread, "the index build")
    assert not hold.timed_out and not isinstance(out[0], BaseException), out[0]
    cursor = db.aql.execute("FOR d IN c FILTER d.v < 4 SORT d.v RETURN d._key")
    assert list(cursor) == ["d5", "new", "d0", "d2", "d3"]
    assert cursor.statistics()["scanned_full"] == 0  # (read through the index)
    assert list(db.aql.execute("FOR d IN c FILTER d.v IN [1, 5] RETURN d._key")) == []
    assert other.count() == 1


def test_a_collection_renamed_during_an_index_build_gets_the_index(
    served: tuple[StandardDatabase, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another client renames the collection while the index is made: the index is created on
    it, and the answer names it by its new name (it was 1203 after the index was made)."""
    db, engine = served
    coll = db.create_collection("c")
    coll.insert_many([{"_key": f"d{i}", "v": i} for i in range(100)])
    with _holding(monkeypatch, index_build, _made(engine), block=True) as hold:
        thread, out = in_thread(lambda: coll.add_index({"type": "persistent", "fields": ["v"]}))
        hold.entered(thread)
        db.collection("c").rename("d")
        hold.release()
        joined(thread, "the index build")
    assert not isinstance(out[0], BaseException), out[0]
    assert out[0]["isNewlyCreated"] is True
    assert [i["type"] for i in db.collection("d").indexes()] == ["primary", "persistent"]


def test_a_duplicate_written_during_a_unique_index_build_fails_it(
    served: tuple[StandardDatabase, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another client writes a value the collection already holds while a unique index's rows
    are made with the lock let go: the build fails with 1210 and stores nothing."""
    db, engine = served
    coll = db.create_collection("c")
    coll.insert_many([{"_key": f"d{i}", "v": i} for i in range(1000)])
    spec = {"type": "persistent", "fields": ["v"], "unique": True}
    with _holding(monkeypatch, index_build, _made(engine), block=True) as hold:
        thread, out = in_thread(lambda: coll.add_index(spec))
        hold.entered(thread)
        coll.insert({"_key": "twin", "v": 7})
        hold.release()
        joined(thread, "the index build")
    assert isinstance(out[0], IndexCreateError) and out[0].error_code == 1210, out[0]
    assert [i["type"] for i in coll.indexes()] == ["primary"]
    assert coll.count() == 1001


IMPORT_BODIES = {  # form -> (body of the documents, import parameters)
    "documents": (lambda docs: "\n".join(json.dumps(d) for d in docs), {"type": "documents"}),
    "tabular": (
        lambda docs: '["_key", "v"]\n' + "\n".join(json.dumps([d["_key"], d["v"]]) for d in docs),
        {},
    ),
    "array": (lambda docs: json.dumps(docs), {"type": "array"}),
}


@pytest.mark.parametrize("form", sorted(IMPORT_BODIES))
def test_a_big_import_body_is_parsed_before_the_engine_lock(
    served: tuple[StandardDatabase, Engine], monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    """JSON lines, tabular rows and a JSON array: every JSON parse of a big import body runs
    before its request takes the engine lock (nobody waits for it), and the import stores every
    document. (Before, a JSON-lines or tabular body was parsed line by line under the lock.)"""
    db, engine = served
    db.create_collection("c")
    under_lock: list[bool] = []
    parse = strict_json.loads

    def watched(text: str) -> Any:
        under_lock.append(bool(engine.lock._is_owned()))
        return parse(text)

    monkeypatch.setattr(strict_json, "loads", watched)
    make, params = IMPORT_BODIES[form]
    body = make(_docs())
    assert len(body) >= 256 * 1024  # a big body (router._BULK_BODY)
    resp = db._conn.send_request(
        Request(
            method="post", endpoint="/_api/import", params={"collection": "c", **params}, data=body
        )
    )
    assert resp.status_code == 201 and resp.body["created"] == SIZE, resp.body
    assert under_lock and not any(under_lock), (
        f"{sum(under_lock)} of {len(under_lock)} parses under the lock"
    )
    assert db.collection("c").count() == SIZE


# -- SORT in a query that writes: the sort of rows already read runs with the lock let go ---------

STRINGS = "LET strs = (FOR j IN 0..96 RETURN CONCAT('s', j)) "
SORT_WRITE = (
    STRINGS + "LET s = (FOR i IN 1..@n SORT strs[(i * 7919) % 97] RETURN i) "
    "INSERT {_key: 'sorted', n: LENGTH(s)} INTO sink"
)
ROWS = OFF_LOCK_ROWS + 100  # enough rows for the sort to let the lock go


def _listed(db: StandardDatabase, query: str) -> bool:
    return any(q["query"] == query for q in db.aql.queries())


def _big(values: list[Any]) -> bool:
    return len(values) >= OFF_LOCK_ROWS


def test_writes_complete_while_a_writing_query_sorts(
    served: tuple[StandardDatabase, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held in its sort (the keys of the sorted values: ``ordering._keys``), the query has let
    the engine lock go, and another client's writes complete, also into its collection."""
    db, engine = served
    sink, coll = _sink_and_c(db)
    coll.insert({"_key": "old", "v": 1})
    with _holding(monkeypatch, ordering, "_keys", block=True, when=_big) as hold:
        thread, out = in_thread(
            lambda: list(db.aql.execute(SORT_WRITE, bind_vars={"n": ROWS}))
        )
        hold.entered(thread)
        assert _lock_free(engine), "the sorting query holds the engine lock"
        coll.insert({"_key": "new", "v": 2})
        coll.update({"_key": "old", "v": 3})
        sink.insert({"_key": "beside"})  # the collection the query writes to
        list(db.aql.execute("FOR i IN 1..10 INSERT {_key: CONCAT('q', i)} INTO c"))
        assert not hold.timed_out, "the writes waited for the sorting query"
    joined(thread, "the long step")
    assert out == [[]], out
    assert sink.get("sorted")["n"] == ROWS
    assert coll.count() == 12 and coll.get("old")["v"] == 3


SORT_UPDATE = (
    STRINGS + "FOR d IN c SORT strs[(d.v * 7919) % 97], d.v "
    "UPDATE d WITH {seen: true} IN c RETURN OLD.v"
)


@pytest.mark.parametrize("conflict", [False, True])
def test_a_sorting_query_keeps_its_snapshot_and_conflicts(
    served: tuple[StandardDatabase, Engine], monkeypatch: pytest.MonkeyPatch, conflict: bool
) -> None:
    """While the query sorts the documents it read, another client inserts one (not in the
    query's snapshot: never updated by it) or, with ``conflict``, updates one the query then
    updates: the query fails with 1200 and nothing of it is kept; the client's write stays.
    Otherwise the query's rows come in AQL's sort order."""
    db, engine = served
    coll = db.create_collection("c")
    coll.insert_many([{"_key": f"k{v}", "v": v} for v in range(ROWS)])
    with _holding(monkeypatch, ordering, "_keys", block=True, when=_big) as hold:
        thread, out = in_thread(lambda: list(db.aql.execute(SORT_UPDATE)))
        hold.entered(thread)
        assert _lock_free(engine)
        if conflict:
            coll.update({"_key": "k5", "v": -5})
        else:
            coll.insert({"_key": "new", "v": 5})
        assert not hold.timed_out, "the write waited for the sorting query"
    joined(thread, "the long step")
    if conflict:
        assert getattr(out[0], "error_code", None) == 1200, out[0]
        assert coll.get("k5")["v"] == -5
        assert list(db.aql.execute("FOR d IN c FILTER d.seen RETURN 1")) == []
        return
    # by the strings ("s10" before "s2"), then by v
    assert out[0] == sorted(range(ROWS), key=lambda v: (f"s{(v * 7919) % 97}", v))
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
    thread, out = in_thread(lambda: list(db.aql.execute(query)))
    until(lambda: _listed(db, query), thread, "the query was listed")
    db.collection("nodes").insert({"_key": "beside"})
    assert _listed(db, query), "the insert returned only after the searching query"
    db.collection("sink").insert({"_key": "into_its_collection"})
    assert _listed(db, query), "the insert into its collection waited for the searching query"
    joined(thread, "the long step")
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
    thread, out = in_thread(lambda: list(db.aql.execute(SEARCH_THEN_WRITE)))
    until(lambda: _listed(db, SEARCH_THEN_WRITE), thread, "the query was listed")
    chain = [f"c{i}" for i in range(40 - (LAYERS - 1))]
    db.collection("nodes").insert_many([{"_key": k} for k in chain])
    db.collection("edges").insert_many([
        {"_from": f"nodes/{a}", "_to": f"nodes/{b}"}
        for a, b in zip([f"a{LAYERS - 1}", *chain], chain, strict=False)
    ])
    if conflict:
        db.collection("sink").insert({"_key": "result", "by": "client"})
    assert _listed(db, SEARCH_THEN_WRITE), "the writes returned only after the searching query"
    joined(thread, "the long step")
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


# -- COLLECT in a query that writes: its grouping pass takes turns, its group sort and
# aggregates run with the lock let go ---------------------------------------------------------------

COLLECT_WRITE = (
    "FOR i IN 1..@n COLLECT g = i % 10 INTO members = i "
    "INSERT {_key: TO_STRING(g), n: LENGTH(members)} INTO sink"
)
PASS = 50_000  # rows of a pass held by the test: it cannot end on its own while the test writes


def test_writes_complete_while_a_writing_query_groups(
    served: tuple[StandardDatabase, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held in its grouping pass (every row's group value hashed: ``grouping.hash_key``, a
    millisecond of CPU each), the query takes turns, and another client's writes complete
    while the pass still runs; its result is whole."""
    db, _ = served
    sink, coll = _sink_and_c(db)
    with _holding(monkeypatch, grouping, "hash_key", block=False) as hold:
        thread, out = in_thread(
            lambda: list(db.aql.execute(COLLECT_WRITE, bind_vars={"n": PASS}))
        )
        hold.entered(thread)
        coll.insert({"_key": "new"})
        sink.insert({"_key": "beside"})  # the collection the query writes to
        assert hold.calls < PASS - 1, "the writes returned only after the grouping pass"
    joined(thread, "the long step")
    assert out == [[]], out
    assert sorted((d["_key"], d.get("n")) for d in sink.all()) == sorted(
        [(str(g), PASS // 10) for g in range(10)] + [("beside", None)]
    )


def _writes_beside_a_held_off_lock_step(
    served: tuple[StandardDatabase, Engine],
    monkeypatch: pytest.MonkeyPatch,
    step: tuple[Any, str],
    query: str,
    what: str,
) -> StandardCollection:
    """``query`` (``@n`` = :data:`ROWS`, writing into ``sink``) held in ``step`` (owner and
    name of a pure function it calls in a step that runs with the engine lock let go): the lock
    is free and another client's writes complete before the hold gives up. Returns ``sink``
    once the query has ended, with no rows."""
    db, engine = served
    sink, coll = _sink_and_c(db)
    with _holding(monkeypatch, *step, block=True) as hold:
        thread, out = in_thread(lambda: list(db.aql.execute(query, bind_vars={"n": ROWS})))
        hold.entered(thread)
        assert _lock_free(engine), f"the {what} holds the engine lock"
        coll.insert({"_key": "new"})
        sink.insert({"_key": "beside"})
        assert not hold.timed_out, f"the writes waited for the {what}"
    joined(thread, "the long step")
    assert out == [[]], out
    return sink


def test_writes_complete_while_a_writing_query_sorts_its_groups(
    served: tuple[StandardDatabase, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held in the sort of its groups (array group values: ``grouping.order_key``), a COLLECT
    of many rows has let the engine lock go, and another client's writes complete."""
    query = (
        "FOR i IN 1..@n COLLECT g = [i % 10] AGGREGATE total = SUM(i) "
        "INSERT {_key: TO_STRING(g[0]), total} INTO sink"
    )
    sink = _writes_beside_a_held_off_lock_step(
        served, monkeypatch, (grouping, "order_key"), query, "grouping query"
    )
    totals = {d["_key"]: d.get("total") for d in sink.all()}
    assert totals == {
        **{str(g): sum(i for i in range(1, ROWS + 1) if i % 10 == g) for g in range(10)},
        "beside": None,
    }


# -- WINDOW in a query that writes: its aggregation takes turns, a range WINDOW's ordering runs
# with the lock let go --------------------------------------------------------------------------

WINDOW_WRITE = (
    "FOR i IN 1..@n WINDOW {preceding: 1, following: 1} AGGREGATE s = SUM(i) "
    "FILTER i == @n INSERT {_key: 'w', s} INTO sink"
)


def test_writes_complete_while_a_writing_query_aggregates_a_window(
    served: tuple[StandardDatabase, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held in its per-row aggregation (``Runtime._aggregate``, a millisecond of CPU a row),
    the query takes turns, and another client's writes complete while it still aggregates."""
    db, _ = served
    sink, coll = _sink_and_c(db)
    with _holding(monkeypatch, Runtime, "_aggregate", block=False) as hold:
        thread, out = in_thread(lambda: list(db.aql.execute(WINDOW_WRITE, bind_vars={"n": PASS})))
        hold.entered(thread)
        coll.insert({"_key": "new"})
        sink.insert({"_key": "beside"})
        assert hold.calls < PASS - 1, "the writes returned only after the aggregation"
    joined(thread, "the long step")
    assert out == [[]], out
    assert sink.get("w")["s"] == (PASS - 1) + PASS


def test_writes_complete_while_a_range_window_orders_its_rows(
    served: tuple[StandardDatabase, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held in the ordering of its rows by range value (``window.sort_key``), a range WINDOW
    of many rows has let the engine lock go, and another client's writes complete."""
    query = (
        "FOR i IN 1..@n WINDOW i WITH {preceding: 1, following: 0} AGGREGATE s = SUM(i) "
        "FILTER i == @n INSERT {_key: 'w', s} INTO sink"
    )
    sink = _writes_beside_a_held_off_lock_step(
        served, monkeypatch, (window, "sort_key"), query, "WINDOW query"
    )
    assert sink.get("w")["s"] == (ROWS - 1) + ROWS
