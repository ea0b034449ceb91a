"""A slow query inside a stream transaction hands the engine lock over between rows; the
transaction's lease keeps its own other requests out (issue 10; ``storage.stream_lease``); a
writing query there is one statement: killed, past its ``maxRuntime`` or failing, it leaves
nothing in the transaction, which runs on (``storage.savepoint``).

Through python-arango on arangolite, in process and over the loopback server, on the in-memory
store and on a data directory. A slow query (a CPU-bound loop) runs in a stream transaction in
one client thread; once ``/_api/query/current`` lists it, other clients work, and the test ends
it by a kill once it has seen what it needs. A writing query that must end by itself waits
instead on a key that the test holds locked in another transaction (the query's transaction
has a ``lockTimeout``), which lets the engine lock go, and goes on when the test aborts that
transaction. What must complete while the query runs is checked right after it returns: the
query is still listed. No timing is asserted; timeouts and ``maxRuntime`` are hang guards only,
except the lease timeout that a test shortens to see it expire while the slow query provably
still runs, and the ``maxRuntime`` that a test gives a query to see it stopped by it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from arango import ArangoClient
from arango.collection import StandardCollection
from arango.database import StandardDatabase, TransactionDatabase
from arango.exceptions import (
    AQLQueryExecuteError,
    DocumentGetError,
    DocumentInsertError,
    DocumentUpdateError,
    TransactionCommitError,
)
from arango.request import Request

from arangolite.client import InProcessHTTPClient
from arangolite.storage.engine import Engine, open_engine
from tests.arangolite.rest.background import HANG_GUARD, in_thread, joined, until
from tests.arangolite.rest.conftest import loopback_server, url_of

SLOW = "FOR i IN 1..1e12 FILTER i < 0 RETURN i"  # read-only


@dataclass
class Served:
    engine: Engine
    connect: Callable[..., StandardDatabase]  # a new client (its own connection) on a database


@pytest.fixture(params=["in-process-memory", "in-process-disk", "loopback-memory", "loopback-disk"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    where, store = request.param.rsplit("-", 1)
    data = None if store == "memory" else str(tmp_path / "data")
    if where == "in-process":
        engine = open_engine(data)

        def in_process(name: str = "_system") -> StandardDatabase:
            client = InProcessHTTPClient(engine=engine)
            return ArangoClient(hosts="http://arangolite.invalid", http_client=client).db(name)

        try:
            yield Served(engine, in_process)
        finally:
            engine.close()
        return
    with loopback_server(data) as srv:
        url = url_of(srv)
        yield Served(srv.engine, lambda name="_system": ArangoClient(hosts=url).db(name))


def _running(db: StandardDatabase, query: str = SLOW) -> list[str]:
    return [q["id"] for q in db.aql.queries() if q["query"] == query]


def _start_slow(
    trx: TransactionDatabase, watcher: StandardDatabase
) -> tuple[threading.Thread, list[Any]]:
    """:data:`SLOW` started inside ``trx`` on a thread, seen running by ``watcher``; the list
    gets the error the query ends with."""
    thread, ended = in_thread(lambda: list(trx.aql.execute(SLOW, max_runtime=HANG_GUARD)))
    until(lambda: _running(watcher), thread, "the slow query was listed")
    return thread, ended


@contextlib.contextmanager
def _slow_in(trx: TransactionDatabase, watcher: StandardDatabase) -> Iterator[list[Any]]:
    """:data:`SLOW` runs inside ``trx`` (listed, holding the transaction's lease) inside the
    block; killed when the block ends. Yields the errors the query ended with."""
    thread, ended = _start_slow(trx, watcher)
    try:
        yield ended
    finally:
        for query_id in _running(watcher):
            watcher.aql.kill(query_id)
        joined(thread, "the slow query")


def _trx(db: StandardDatabase, tid: str) -> TransactionDatabase:
    """Another client's handle on stream transaction ``tid`` (its own connection)."""
    return db.fetch_transaction(tid)


def test_others_complete_while_a_slow_query_runs_in_a_stream_transaction(served: Served) -> None:
    """Another client's version request, inserts, update, remove and writing query complete,
    each served under the engine lock, while a query inside a stream transaction runs: it hands
    the lock over between rows as a query in its own transaction does."""
    db = served.connect()
    coll = db.create_collection("c")
    coll.insert({"_key": "old", "v": 1})
    trx = db.begin_transaction(read=["c"], write=["c"])
    other = served.connect()
    with _slow_in(trx, db) as ended:
        assert other.version()
        assert _running(db), "GET /_api/version waited for the slow query"
        other.collection("c").insert({"_key": "a", "v": 2})
        assert _running(db), "the insert returned only after the slow query"
        other.collection("c").update({"_key": "old", "v": 3})
        other.collection("c").delete("a")
        assert _running(db), "the update and remove waited for the slow query"
        list(other.aql.execute("FOR i IN 1..5 INSERT {_key: CONCAT('q', i)} INTO c"))
        assert _running(db), "the writing query waited for the slow query"
    assert len(ended) == 1 and getattr(ended[0], "error_code", None) == 1500  # killed
    # the stream transaction keeps its snapshot: none of the other client's commits
    assert trx.collection("c").get("old")["v"] == 1
    assert trx.collection("c").count() == 1
    trx.commit_transaction()
    assert coll.count() == 6 and coll.get("old")["v"] == 3


def test_a_request_of_the_busy_transaction_waits_then_gets_28(served: Served) -> None:
    """ArangoDB's lease: a write of the same stream transaction waits for the lease
    (``--transaction.streaming-lock-timeout``) and then fails with 28 ``cannot write-lock,
    transaction <id> is already in use``; a read fails with 28 at once; another client's
    requests meanwhile complete; nothing of the failed write is applied."""
    served.engine.streams.lock_timeout = 0.2  # shortened to see it expire (not a timing check)
    db = served.connect()
    db.create_collection("c").insert({"_key": "k"})
    trx = db.begin_transaction(write=["c"])
    same = _trx(served.connect(), trx.transaction_id)
    with _slow_in(trx, db):
        with pytest.raises(DocumentInsertError) as caught:
            same.collection("c").insert({"_key": "x"})
        assert caught.value.error_code == 28
        assert caught.value.http_code == 500
        assert f"cannot write-lock, transaction {trx.transaction_id} is already in use" in str(
            caught.value.error_message
        )
        with pytest.raises(AQLQueryExecuteError) as query_caught:
            same.aql.execute("RETURN 1")
        assert query_caught.value.error_code == 28
        with pytest.raises(DocumentGetError) as read_caught:
            same.collection("c").get_many(["k"])  # PUT ?onlyget: a read lease, never retried
        assert read_caught.value.error_code == 28
        assert "cannot read-lock" in str(read_caught.value.error_message)
        assert _running(db), "the slow query ended before the lease timed out"
    assert trx.collection("c").get("x") is None
    trx.commit_transaction()
    assert db.collection("c").get("x") is None


def test_a_request_waiting_for_the_lease_runs_once_the_query_ends(served: Served) -> None:
    """A write and a commit of the busy transaction wait for the lease (without the engine
    lock: other clients still get through) and succeed once the slow query has ended."""
    db = served.connect()
    db.create_collection("c")
    trx = db.begin_transaction(write=["c"])
    tid = trx.transaction_id
    lease = served.engine.streams.lease_of(tid)
    assert lease is not None
    outcome: dict[str, Any] = {}

    def insert_then_commit() -> None:
        same = _trx(served.connect(), tid)
        outcome["insert"] = same.collection("c").insert({"_key": "waited"})["_key"]
        outcome["commit"] = same.commit_transaction()

    with _slow_in(trx, db):
        waiter = threading.Thread(target=insert_then_commit, daemon=True)
        waiter.start()
        until(lambda: lease.waiting == 1)
        served.connect().collection("c").insert({"_key": "beside"})  # not held up by the waiter
        assert _running(db), "the other client waited"
        assert "insert" not in outcome
    joined(waiter, "the waiting insert")
    assert outcome == {"insert": "waited", "commit": True}
    assert sorted(d["_key"] for d in db.collection("c").all()) == ["beside", "waited"]


def test_commit_of_a_busy_transaction_waits_then_gets_28(served: Served) -> None:
    """Commit needs the lease alone too (ArangoDB retries for 9 s, then 28 ``... is in use``);
    the transaction is still running after and commits once the query has ended."""
    served.engine.streams.commit_wait = 0.2  # shortened to see it expire
    db = served.connect()
    db.create_collection("c")
    trx = db.begin_transaction(write=["c"])
    trx.collection("c").insert({"_key": "mine"})
    same = _trx(served.connect(), trx.transaction_id)
    with _slow_in(trx, db):
        with pytest.raises(TransactionCommitError) as caught:
            same.commit_transaction()
        assert caught.value.error_code == 28
        assert "is in use" in str(caught.value.error_message)
        assert _running(db)
    assert trx.transaction_status() == "running"
    trx.commit_transaction()
    assert db.collection("c").get("mine") is not None


# -- queries that write, inside stream transactions ----------------------------------------------

WRITING = "FOR i IN 1..1e12 INSERT {_key: CONCAT('w', i)} INTO sink"  # ended by the test


def _in_thread(
    trx: TransactionDatabase, query: str, binds: dict[str, Any] | None = None, **options: Any
) -> tuple[threading.Thread, list[Any]]:
    """``query`` run inside ``trx`` on a thread; the list gets its rows or its error."""
    return in_thread(lambda: list(trx.aql.execute(query, bind_vars=binds, **options)))


def _killed(out: list[Any]) -> None:
    error = out[0] if out else None
    assert getattr(error, "error_code", None) == 1500, out  # query killed
    assert getattr(error, "http_code", None) == 410


def test_a_writing_query_in_a_stream_transaction_lets_others_in_and_a_kill_rolls_it_back(
    served: Served,
) -> None:
    """The writing query hands the lock over between rows: another client's insert completes
    while it runs. Killed (``DELETE /_api/query/<id>``), it stops with 1500 (HTTP 410); what it
    wrote is gone from the transaction, which still runs with what its earlier statement wrote,
    and the key locks the query took are free again."""
    db = served.connect()
    db.create_collection("sink")
    db.create_collection("c")
    trx = db.begin_transaction(write=["sink"])
    list(trx.aql.execute("INSERT {_key: 'before'} INTO sink"))
    thread, out = _in_thread(trx, WRITING)
    until(lambda: _running(db, WRITING))
    other = served.connect()
    other.collection("c").insert({"_key": "beside"})
    assert _running(db, WRITING), "the insert waited for the writing query"
    for query_id in _running(db, WRITING):
        db.aql.kill(query_id)
    joined(thread, "the query")
    _killed(out)
    assert trx.transaction_status() == "running"
    assert sorted(d["_key"] for d in trx.collection("sink").all()) == ["before"]
    # the first key the query wrote is not locked by the transaction any more
    assert other.collection("sink").insert({"_key": "w1"})["_key"] == "w1"
    trx.commit_transaction()
    assert sorted(d["_key"] for d in db.collection("sink").all()) == ["before", "w1"]
    assert db.collection("c").get("beside") is not None


def test_max_runtime_stops_a_writing_query_in_a_stream_transaction_and_rolls_it_back(
    served: Served,
) -> None:
    """Past its ``maxRuntime`` the writing query stops with 1500 (HTTP 410) as in ArangoDB;
    its writes are rolled back, unique index entries included; the transaction's next request
    and its commit work."""
    db = served.connect()
    sink = db.create_collection("sink")
    sink.add_index({"type": "persistent", "fields": ["u"], "unique": True})
    trx = db.begin_transaction(write=["sink"])
    list(trx.aql.execute("INSERT {_key: 'before', u: 0} INTO sink"))
    query = "FOR i IN 1..1e12 INSERT {_key: CONCAT('w', i), u: i} INTO sink"
    thread, out = _in_thread(trx, query, max_runtime=0.3)
    joined(thread, "the query")
    _killed(out)
    assert trx.transaction_status() == "running"
    assert trx.collection("sink").count() == 1
    # u: 1 was the killed query's first value: free again in the transaction's unique index
    trx.collection("sink").insert({"_key": "after", "u": 1})
    trx.commit_transaction()
    assert sorted(d["_key"] for d in sink.all()) == ["after", "before"]


def test_a_failing_writing_query_leaves_nothing_in_the_stream_transaction(
    served: Served,
) -> None:
    """A writing query that fails half-way (a unique constraint violated by its sixth row)
    gets its error and leaves none of its first five inserts in the transaction."""
    db = served.connect()
    sink = db.create_collection("sink")
    sink.insert({"_key": "6"})
    trx = db.begin_transaction(write=["sink"])
    with pytest.raises(AQLQueryExecuteError) as caught:
        list(trx.aql.execute("FOR i IN 1..10 INSERT {_key: TO_STRING(i)} INTO sink"))
    assert caught.value.error_code == 1210
    assert trx.collection("sink").count() == 1
    list(trx.aql.execute("FOR i IN 1..5 INSERT {_key: TO_STRING(i)} INTO sink"))
    trx.commit_transaction()
    assert sink.count() == 6


@contextlib.contextmanager
def _gate(served: Served) -> Iterator[None]:
    """A transaction of another client holding key ``gate`` of ``gates`` locked for the block:
    a query inserting that key waits there (without the engine lock) until the block ends."""
    blocker = served.connect().begin_transaction(write=["gates"])
    blocker.collection("gates").insert({"_key": "gate"})
    try:
        yield
    finally:
        blocker.abort_transaction()


GATE = "LET gate = (INSERT {_key: 'gate'} INTO gates RETURN 1)"


def test_a_writing_query_in_a_stream_transaction_keeps_its_writes_across_gaps(
    served: Served,
) -> None:
    """The writing query writes, then waits (letting the lock go): another client's insert
    completes meanwhile; once it goes on, its writes are all in the transaction's overlay
    (unseen outside until the commit) and its result is right."""
    db = served.connect()
    for name in ("sink", "c", "gates"):
        db.create_collection(name)
    trx = db.begin_transaction(write=["sink", "gates"], lock_timeout=int(HANG_GUARD))
    query = (
        "LET rows = (FOR i IN 1..@n FILTER i % 512 == 0 "
        "INSERT {_key: TO_STRING(i), i} INTO sink RETURN i) "
        f"{GATE} FOR r IN rows RETURN r"
    )
    with _gate(served):
        thread, out = _in_thread(trx, query, {"n": 4096})
        until(lambda: _running(db, query))
        other = served.connect()
        other.collection("c").insert({"_key": "beside"})
        assert _running(db, query), "the insert waited for the writing query"
        assert other.collection("sink").count() == 0
    joined(thread, "the query")
    assert out == [[512 * i for i in range(1, 9)]]
    assert served.connect().collection("sink").count() == 0  # not committed yet
    trx.commit_transaction()
    assert sorted(int(d["_key"]) for d in db.collection("sink").all()) == out[0]
    assert db.collection("c").get("beside") is not None


def test_a_kill_stops_a_writing_query_waiting_for_a_key_lock(served: Served) -> None:
    """A writing query waiting (``lockTimeout``) for a key another transaction holds is killed:
    it stops with 1500 without waiting for the key; what it wrote before is rolled back, and the
    engine lock it waited without is whole (other requests, the transaction's commit work)."""
    db = served.connect()
    for name in ("sink", "gates"):
        db.create_collection(name)
    trx = db.begin_transaction(write=["sink", "gates"], lock_timeout=int(HANG_GUARD))
    list(trx.aql.execute("INSERT {_key: 'before'} INTO sink"))
    query = f"LET w = (INSERT {{_key: 'written'}} INTO sink RETURN 1) {GATE} RETURN w"
    with _gate(served):
        thread, out = _in_thread(trx, query)
        until(lambda: _running(db, query))
        for query_id in _running(db, query):
            db.aql.kill(query_id)
        joined(thread, "the query")  # while the gate is still held
        _killed(out)
        assert served.connect().collection("sink").insert({"_key": "beside"})
    assert sorted(d["_key"] for d in trx.collection("sink").all()) == ["before"]
    trx.commit_transaction()
    assert sorted(d["_key"] for d in db.collection("sink").all()) == ["before", "beside"]


@dataclass
class _AtTheGate:
    """A counter ``{_key: n, v: 0}`` in ``coll``, a query running in the stream transaction
    ``first`` and held at the gate, and another client's stream transaction ``second``."""

    db: StandardDatabase
    coll: StandardCollection
    first: TransactionDatabase
    second: TransactionDatabase
    query: str
    out: list[Any]  # the query's rows or error, once it has ended

    def running(self) -> bool:
        return bool(_running(self.db, self.query))


@contextlib.contextmanager
def _counter_query_at_the_gate(served: Served, query: str) -> Iterator[_AtTheGate]:
    """``query`` (which passes :data:`GATE`) runs in a stream transaction and is held at the
    gate for the block, once it is listed; the query has ended (or the hang guard failed the
    test) when the block has."""
    db = served.connect()
    coll = db.create_collection("c")
    db.create_collection("gates")
    coll.insert({"_key": "n", "v": 0})
    first = db.begin_transaction(write=["c", "gates"], lock_timeout=int(HANG_GUARD))
    with _gate(served):
        thread, out = _in_thread(first, query)
        until(lambda: _running(db, query))
        second = served.connect().begin_transaction(write=["c"])
        yield _AtTheGate(db, coll, first, second, query, out)
    joined(thread, "the query")


def test_no_lost_update_between_two_stream_transactions(served: Served) -> None:
    """Read-modify-write of one document in two stream transactions while one's query runs:
    the other's update completes in its gap and commits; the query's own later write of that
    document fails with 1200 and the other value stays (as in ArangoDB, never a lost update)."""
    query = f"LET d = DOCUMENT('c/n') {GATE} UPDATE d WITH {{v: d.v + 1}} IN c RETURN NEW.v"
    with _counter_query_at_the_gate(served, query) as at:
        n = at.second.collection("c").get("n")
        at.second.collection("c").update({"_key": "n", "v": n["v"] + 10})
        assert at.second.commit_transaction()
        assert at.running(), "the other transaction waited for the query"
    assert getattr(at.out[0], "error_code", None) == 1200, at.out
    at.first.abort_transaction()
    assert at.coll.get("n")["v"] == 10


def test_a_key_written_by_the_query_is_a_conflict_for_another_transaction(
    served: Served,
) -> None:
    """The query in the stream transaction wrote ``n`` first and goes on; another
    transaction's update of ``n`` gets 1200 at once while it runs; the first commits its value."""
    query = f"LET w = (UPDATE 'n' WITH {{v: 1}} IN c RETURN NEW.v) {GATE} RETURN w[0]"
    with _counter_query_at_the_gate(served, query) as at:
        # the query holds the engine lock from before it is listed until it waits at the gate,
        # after its UPDATE: this update meets the key it locked
        with pytest.raises(DocumentUpdateError) as caught:
            at.second.collection("c").update({"_key": "n", "v": 20})
        assert caught.value.error_code == 1200
        assert at.running(), "the conflicting update waited for the query"
        at.second.abort_transaction()
    assert at.out == [[1]]
    at.first.commit_transaction()
    assert at.coll.get("n")["v"] == 1


def test_a_query_whose_database_is_dropped_meanwhile_stops_with_1654(served: Served) -> None:
    """Dropping the database runs in the query's gaps and aborts its stream transaction; the
    query stops with 1654 when it takes the lock back instead of going on in an ended
    transaction."""
    served.connect().create_database("gone")
    db = served.connect("gone")
    db.create_collection("c")
    trx = db.begin_transaction(read=["c"])
    thread, ended = _start_slow(trx, db)
    assert served.connect().delete_database("gone")
    joined(thread, "the slow query")
    assert len(ended) == 1 and getattr(ended[0], "error_code", None) == 1654, ended


# -- a transaction id of another database -------------------------------------------------------


def test_a_busy_transaction_of_another_database_is_not_found_at_once(served: Served) -> None:
    """A request to ``_system`` carrying the id of a stream transaction of database ``other``
    gets 1655 (HTTP 404) at once, as in ArangoDB, also while a query of that transaction holds
    its lease: it neither waits for the lease nor gets 28; the query runs on."""
    served.engine.streams.lock_timeout = HANG_GUARD  # a wait for the lease would be a hang
    served.connect().create_database("other")
    other = served.connect("other")
    other.create_collection("c")
    trx = other.begin_transaction(write=["c"])
    system = served.connect()
    system.create_collection("c")
    headers = {"x-arango-trx-id": trx.transaction_id}
    with _slow_in(trx, other):
        for method, endpoint, data in (
            ("post", "/_api/document/c", {"_key": "x"}),
            ("get", "/_api/document/c/x", None),
            ("post", "/_api/cursor", {"query": "RETURN 1"}),
            ("put", f"/_api/transaction/{trx.transaction_id}", None),
            ("delete", f"/_api/transaction/{trx.transaction_id}", None),
        ):
            resp = system._conn.send_request(
                Request(method=method, endpoint=endpoint, data=data, headers=headers)
            )
            assert (resp.status_code, resp.body["errorNum"]) == (404, 1655), (method, endpoint)
        assert _running(other), "the query ended before the requests were answered"
    assert trx.transaction_status() == "running"
    trx.commit_transaction()
