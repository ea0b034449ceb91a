"""A big commit on disk writes its rows with the engine lock let go (``Store.commit``, ``apart``).

The hook runs a step while the commit's rows are being written (the engine lock is free then,
the store's write transaction open): readers see the state before the commit; a writer that
comes meanwhile waits for the store and then finds the commit visible before it writes (it makes
it visible itself: the running transactions get the replaced versions, so a write of one of its
keys by a transaction that began before it is 1200, never a lost update); a failure there stores
nothing and frees the commit's keys; closing the engine meanwhile waits for the commit, which
stays stored and reported so.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import arangolite
from arangolite.aql.executor import execute
from arangolite.errors import ArangoError
from arangolite.storage.database import Database
from arangolite.storage.engine import Engine
from arangolite.storage.transactions import PREPARE_AHEAD

BIG = PREPARE_AHEAD + 200


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = Engine(str(tmp_path / "data"))
    db = eng.database("_system")
    db.create_collection("c")
    db.ensure_index("c", {"type": "persistent", "fields": ["n"]})
    execute(db, "FOR i IN 0..99 INSERT {_key: CONCAT('k', i), n: 0} INTO c")
    yield eng
    eng.close()


def _while_writing(engine: Engine, step: Callable[[], Any]) -> list[bool]:
    """Run ``step`` once, while the next big commit writes its rows (the engine lock must be
    free then); the list says whether it ran."""
    assert engine.store is not None
    store, write, ran = engine.store, engine.store._write, []

    def writing(*args: Any) -> int:
        if not ran:
            ran.append(True)
            assert not engine.lock._is_owned() and engine.lock.acquire(blocking=False)
            engine.lock.release()
            step()
        return write(*args)

    store._write = writing  # type: ignore[method-assign]
    return ran


def _big_commit(db: Database) -> None:
    """Insert BIG documents and update k5, in one transaction."""
    trx = db.begin(write=["c"])
    handle = trx.collection("c")
    for i in range(BIG):
        handle.insert({"_key": f"b{i}", "n": 1})
    handle.update("k5", {"n": 5})
    trx.commit()


def _insert_small(engine: Engine) -> None:
    """Insert one document, holding the engine lock as a request does."""
    with engine.lock:
        execute(engine.database("_system"), "INSERT {_key: 'small', n: 2} INTO c")


def _count(db: Database) -> int:
    return int(execute(db, "RETURN LENGTH(c)").rows[0])


def _reopened_count(engine: Engine) -> int:
    assert engine.path is not None
    engine.close()
    again = Engine(engine.path)
    try:
        return _count(again.database("_system"))
    finally:
        again.close()


def test_readers_see_the_state_before_the_commit_while_it_writes(engine: Engine) -> None:
    db = engine.database("_system")
    seen: list[Any] = []
    ran = _while_writing(engine, lambda: seen.extend([
        _count(db),
        execute(db, "FOR d IN c FILTER d.n == 1 RETURN d._key").rows,
        execute(db, "RETURN DOCUMENT('c/k5').n").rows[0],
    ]))
    _big_commit(db)
    assert ran and seen == [100, [], 0]
    assert _count(db) == 100 + BIG and execute(db, "RETURN DOCUMENT('c/k5').n").rows == [5]
    assert _reopened_count(engine) == 100 + BIG


def test_a_writer_meanwhile_waits_and_a_transaction_begun_before_cannot_lose_the_update(
    engine: Engine,
) -> None:
    """A transaction began before the big commit and read k5; a writer in another thread comes
    while the rows are written, waits for the store, and makes the big commit visible before
    its own; the early transaction still reads its snapshot, and its write of k5 is 1200."""
    db = engine.database("_system")
    early = db.begin(write=["c"])
    assert early.collection("c").get("k5")["n"] == 0
    writer: list[threading.Thread] = []

    def write_meanwhile() -> None:
        thread = threading.Thread(target=_insert_small, args=(engine,))
        thread.start()
        writer.append(thread)

    ran = _while_writing(engine, write_meanwhile)
    _big_commit(db)
    writer[0].join()
    assert ran and _count(db) == 101 + BIG
    # (its snapshot: the versions before the big commit, handed over before any snapshot moved)
    assert early.collection("c").get("k5")["n"] == 0 and early.collection("c").get("b0") is None
    with pytest.raises(ArangoError) as conflict:
        early.collection("c").update("k5", {"n": 99})
    assert conflict.value.error_num == 1200
    early.abort()
    assert execute(db, "RETURN DOCUMENT('c/k5').n").rows == [5]
    assert _reopened_count(engine) == 101 + BIG


class _Watched:
    """The store's gate, noting when another thread finds it taken."""

    def __init__(self, gate: Any, busy: threading.Event) -> None:
        self._gate, self._busy, self._owner = gate, busy, threading.get_ident()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if self._gate.acquire(blocking=False):
            return True
        if threading.get_ident() != self._owner:
            self._busy.set()
        return bool(blocking) and self._gate.acquire(True, timeout)

    def release(self) -> None:
        self._gate.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _waiting_beside(engine: Engine, request: Callable[[], Any], then: Callable[[], None]) -> list[Any]:
    """Start ``request`` in another thread while the big commit writes its rows; once it
    finds the store taken, run ``then`` (still during the write); after the commit and the
    thread are done, what the request raised (a list)."""
    assert engine.store is not None
    busy, threads, failed = threading.Event(), [], []
    engine.store.gate = _Watched(engine.store.gate, busy)  # type: ignore[assignment]

    def run() -> None:
        try:
            request()
        except Exception as exc:
            failed.append(exc)

    def start_then() -> None:
        threads.append(threading.Thread(target=run))
        threads[0].start()
        assert busy.wait(10)  # the request found the store taken
        then()

    ran = _while_writing(engine, start_then)
    _big_commit(engine.database("_system"))
    for thread in threads:
        thread.join()
    assert ran
    return failed


def _read_into(engine: Engine, seen: list[Any]) -> Callable[[], None]:
    """A reader: the count of ``c``, if the engine lock comes free within 5 s."""

    def read() -> None:
        if engine.lock.acquire(timeout=5):  # (held by a request that waits: times out)
            try:
                seen.append(_count(engine.database("_system")))
            finally:
                engine.lock.release()

    return read


def _close_then(engine: Engine) -> Callable[[], None]:
    """Close the engine in another thread; return once the close holds the lock."""

    def close() -> None:
        threading.Thread(target=engine.close).start()
        for _ in range(1000):  # (the close then waits for the store)
            if engine.lock.closed:
                return
            threading.Event().wait(0.01)

    return close


def test_a_writer_meanwhile_waits_for_the_store_with_the_engine_lock_let_go(
    engine: Engine,
) -> None:
    """A request that writes while the rows are written waits for the store without the engine
    lock: a reader that comes after it still runs (and sees the state before both)."""
    db, seen = engine.database("_system"), []
    failed = _waiting_beside(engine, lambda: _insert_small(engine), _read_into(engine, seen))
    assert failed == [] and seen == [100]
    assert _count(db) == 101 + BIG and execute(db, "RETURN DOCUMENT('c/small').n").rows == [2]
    assert _reopened_count(engine) == 101 + BIG


def test_a_writer_waiting_for_the_store_when_the_engine_closes_stores_nothing(
    engine: Engine,
) -> None:
    """The engine closes while a writer waits for the store: the big commit stays stored, the
    writer gets 30 (shutting down) and stores nothing."""
    failed = _waiting_beside(engine, lambda: _insert_small(engine), _close_then(engine))
    assert [getattr(exc, "error_num", None) for exc in failed] == [30]
    assert engine.path is not None
    again = Engine(engine.path)
    try:
        assert _count(again.database("_system")) == 100 + BIG
        assert execute(again.database("_system"), "RETURN DOCUMENT('c/small')").rows == [None]
    finally:
        again.close()


def _catalogue_request(client: Any, kind: str) -> None:
    if kind == "collection":
        client.create_collection("other")
    elif kind == "index":
        client.collection("c").add_index({"type": "persistent", "fields": ["m"]})
    else:
        client.create_graph("g", edge_definitions=[{
            "edge_collection": "e", "from_vertex_collections": ["c"], "to_vertex_collections": ["c"],
        }])


@pytest.mark.parametrize("kind", ["collection", "index", "graph"])
def test_a_catalogue_request_meanwhile_waits_for_the_store_with_the_lock_let_go(
    engine: Engine, kind: str
) -> None:
    """A request over REST that changes the catalogue (``Router.add(catalogue=True)``) while
    the rows are written waits for the commit before it starts, without the engine lock: a
    reader that comes after it still runs; the change is made once the commit is stored."""
    db, seen, client = engine.database("_system"), [], arangolite.connect(engine=engine)
    failed = _waiting_beside(
        engine, lambda: _catalogue_request(client, kind), _read_into(engine, seen)
    )
    assert failed == [] and seen == [100]
    made = {"collection": "other" in db.collections, "graph": "g" in db.graphs,
            "index": any(i.fields == ["m"] for i in db.get_collection("c").indexes)}
    assert made[kind]


def test_a_catalogue_request_waiting_when_the_engine_closes_gets_30(engine: Engine) -> None:
    client = arangolite.connect(engine=engine)
    failed = _waiting_beside(engine, lambda: client.create_collection("other"), _close_then(engine))
    assert [getattr(exc, "error_code", None) for exc in failed] == [30]
    assert engine.path is not None
    again = Engine(engine.path)
    try:
        assert "other" not in again.database("_system").collections
        assert _count(again.database("_system")) == 100 + BIG
    finally:
        again.close()


def test_a_catalogue_change_meanwhile_waits_for_the_commit(engine: Engine) -> None:
    db = engine.database("_system")
    other: list[threading.Thread] = []

    def create_meanwhile() -> None:
        thread = threading.Thread(target=db.create_collection, args=("other",))
        thread.start()
        other.append(thread)

    ran = _while_writing(engine, create_meanwhile)
    _big_commit(db)
    other[0].join()
    assert ran and "other" in db.collections and _count(db) == 100 + BIG
    assert engine.path is not None
    engine.close()
    again = Engine(engine.path)
    try:
        assert "other" in again.database("_system").collections
        assert _count(again.database("_system")) == 100 + BIG
    finally:
        again.close()


def test_a_failure_while_writing_stores_nothing_and_frees_the_keys(engine: Engine) -> None:
    db = engine.database("_system")

    def fail() -> None:
        raise sqlite3.OperationalError("disk I/O error")

    ran = _while_writing(engine, fail)
    with pytest.raises(ArangoError):
        _big_commit(db)
    assert ran and engine.disk is not None
    assert not engine.disk.writing_apart and engine.disk.known == {} and engine.disk.pending is None
    assert _count(db) == 100
    execute(db, "UPDATE 'k5' WITH {n: 7} IN c")  # (its key lock was given back)
    execute(db, "INSERT {_key: 'after', n: 1} INTO c")
    assert _count(db) == 101
    assert execute(db, "FOR d IN c FILTER d.n == 1 RETURN d._key").rows == ["after"]
    assert _reopened_count(engine) == 101


def test_closing_the_engine_meanwhile_waits_for_the_commit_which_stays_stored(
    engine: Engine,
) -> None:
    db = engine.database("_system")
    closing: list[threading.Thread] = []

    def close_meanwhile() -> None:
        thread = threading.Thread(target=engine.close)
        thread.start()
        closing.append(thread)

    ran = _while_writing(engine, close_meanwhile)
    _big_commit(db)  # (no error: it was stored)
    closing[0].join()
    assert ran and engine.path is not None
    again = Engine(engine.path)
    try:
        assert _count(again.database("_system")) == 100 + BIG
    finally:
        again.close()
