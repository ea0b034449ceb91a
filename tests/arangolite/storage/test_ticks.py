"""Ticks (ids, traditional keys) come from blocks reserved in the store (``storage.ticks``).

With a block of 64 ticks: two engines on one directory never hand out the same key; after a
reopen every new tick is above the old ones; the next block is reserved ahead while the store is
free, so a block that runs out while a big commit writes its rows with the engine lock let go
(holding the store) does not make the request wait for that commit under the lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from arangolite import errors
from arangolite.aql.executor import execute
from arangolite.errors import ArangoError
from arangolite.storage import durability
from arangolite.storage.database import Database
from arangolite.storage.engine import Engine
from arangolite.storage.ticks import Ticks
from arangolite.storage.transactions import PREPARE_AHEAD

BLOCK = 64


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(durability, "_TICK_BLOCK", BLOCK)
    first = Engine(str(tmp_path / "data"))
    first.database("_system").create_collection("c")
    first.close()
    yield str(tmp_path / "data")


def _insert_generated(db: Database, n: int) -> list[int]:
    """Insert ``n`` documents with generated (traditional) keys in one transaction."""
    with db.engine.lock:
        rows = execute(db, "FOR i IN 1..@n INSERT {i} INTO c RETURN NEW._key", {"n": n}).rows
    return [int(key) for key in rows]


def test_two_engines_on_one_directory_never_hand_out_the_same_key(path: str) -> None:
    one, two = Engine(path), Engine(path)
    try:
        keys: list[int] = []
        for _ in range(12):  # each engine crosses several blocks, in turns
            for engine in (one, two):
                made = _insert_generated(engine.database("_system"), 25)
                assert made == sorted(made)  # increasing within one engine
                keys += made
        assert len(set(keys)) == len(keys) == 600
        assert _count(one.database("_system")) == 600
    finally:
        one.close()
        two.close()


def test_ticks_after_a_reopen_are_above_every_tick_handed_out_before(path: str) -> None:
    engine = Engine(path)
    before = _insert_generated(engine.database("_system"), 3 * BLOCK // 2)  # a block reserved ahead
    engine.close()
    engine = Engine(path)
    try:
        after = _insert_generated(engine.database("_system"), 10)
        assert min(after) > max(before)
    finally:
        engine.close()


def _count(db: Database) -> int:
    return int(execute(db, "RETURN LENGTH(c)").rows[0])


def test_a_block_running_out_while_a_commit_writes_apart_takes_the_block_reserved_ahead(
    path: str,
) -> None:
    """A big commit holds the store while it writes its rows (the engine lock let go); another
    thread's insert, under the engine lock, goes past the end of its block then: it takes the
    block reserved ahead instead of waiting for the store (which would hold the lock until the
    commit is done: before, the insert finished only after it)."""
    engine = Engine(path)
    try:
        db = engine.database("_system")
        _insert_generated(db, BLOCK // 2 + 4)  # past the middle of the first block
        assert engine.store is not None
        store, write = engine.store, engine.store._write
        keyed, threads = threading.Event(), list[threading.Thread]()
        early, made = list[bool](), list[int]()

        def insert_past_the_block() -> None:  # (its commit then waits for the big one)
            trx = db.begin(write=["c"])
            made.extend(int(trx.collection("c").insert({})[1]["_key"]) for _ in range(BLOCK))
            keyed.set()
            trx.commit()

        def writing(*args: Any) -> int:
            if not early:
                threads.append(threading.Thread(target=insert_past_the_block))
                threads[0].start()
                early.append(keyed.wait(10))  # the keys made while the rows are written
            return write(*args)

        store._write = writing  # type: ignore[method-assign,assignment]
        trx = db.begin(write=["c"])
        for i in range(PREPARE_AHEAD + 10):
            trx.collection("c").insert({"_key": f"big{i}"})
        trx.commit()
        threads[0].join()
        assert early == [True] and len(set(made)) == BLOCK
        assert _count(db) == 3 * BLOCK // 2 + 4 + PREPARE_AHEAD + 10
    finally:
        engine.close()


def test_a_block_is_reserved_ahead_only_while_the_store_is_free() -> None:
    """Past the middle of a block the next is asked for without waiting; a busy store (None)
    is asked again on the next tick; at the end of the block the one reserved ahead is used, and
    only without one does the reservation wait."""
    calls: list[tuple[int, bool]] = []
    busy = [True]
    blocks = iter([(1000, 1010), (2000, 2010)])

    def reserve(at_least: int, wait: bool) -> tuple[int, int] | None:
        calls.append((at_least, wait))
        if not wait and busy[0]:
            return None
        return next(blocks)

    ticks = Ticks(reserve)
    assert [ticks() for _ in range(5)] == [1000, 1001, 1002, 1003, 1004]
    assert calls == [(101, True)]
    assert ticks() == 1005 and calls[-1] == (1010, False)  # busy: nothing reserved
    busy[0] = False
    assert ticks() == 1006 and calls[-1] == (1010, False)  # free: (2000, 2010) reserved ahead
    assert [ticks() for _ in range(4)] == [1007, 1008, 1009, 2000]
    assert len(calls) == 3
    assert Ticks()() == 101  # in memory: nothing to reserve


def test_the_store_reserves_ahead_only_when_it_is_free_at_once(path: str) -> None:
    """``reserve_ticks(..., wait=False)``: None while another thread holds the store or this
    one is inside its own write transaction; a block above ``at_least`` otherwise."""
    engine = Engine(path)
    try:
        store = engine.store
        assert store is not None
        held, release = threading.Event(), threading.Event()

        def hold() -> None:
            with store.transaction():
                held.set()
                release.wait(10)

        thread = threading.Thread(target=hold)
        thread.start()
        assert held.wait(10)
        assert store.reserve_ticks(0, wait=False) is None
        release.set()
        thread.join()
        with store.transaction():
            assert store.reserve_ticks(0, wait=False) is None
        block = store.reserve_ticks(10**9, wait=False)
        assert block is not None and block[0] >= 10**9 and block[1] - block[0] == BLOCK
    finally:
        engine.close()


def test_a_reservation_ahead_that_fails_fails_no_insert(path: str) -> None:
    """The store's write fails once, as the next block is reserved ahead (another process held
    the store past the busy timeout, say): the insert that came past the middle of the block
    goes through, and the block is reserved later."""
    engine = Engine(path)
    try:
        db = engine.database("_system")
        store = engine.store
        assert store is not None
        _insert_generated(db, 2)  # the first block reserved
        begin, failed = store._begin, list[bool]()

        def busy_once() -> Any:
            if not failed:
                failed.append(True)
                raise ArangoError(errors.LOCK_TIMEOUT, "the store is busy")
            return begin()

        store._begin = busy_once  # type: ignore[method-assign]
        made = _insert_generated(db, BLOCK)  # past the middle, then past the end of the block
        assert failed == [True] and len(set(made)) == BLOCK and made == sorted(made)
        assert _count(db) == BLOCK + 2
    finally:
        engine.close()
