"""Safe points of a query holding the engine lock: every row is produced once, in order, lazily,
and a waiting thread gets the lock between rows (``aql/turns.py``)."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from arangolite.aql import turns
from arangolite.aql.turns import turns_under
from arangolite.errors import ArangoError
from arangolite.storage import engine_lock
from arangolite.storage.engine_lock import EngineLock
from arangolite.storage.scan import Chunks


@pytest.mark.parametrize("size", [0, 1, turns.ROWS - 1, turns.ROWS, turns.ROWS + 1, 3 * turns.ROWS + 7])
def test_every_row_once_in_order(size: int) -> None:
    lock = EngineLock()
    step = turns_under(lock)
    with lock:
        assert list(step(list(range(size)))) == list(range(size))
        assert list(step(range(size))) == list(range(size))
        assert list(step(iter(range(size)))) == list(range(size))


def _noted(pulled: list[int]) -> Iterator[int]:
    """0, 1, 2, ... each noted in ``pulled`` as it is read."""
    for i in itertools.count():
        pulled.append(i)
        yield i


def test_rows_are_pulled_only_as_the_loop_asks_for_them() -> None:
    pulled: list[int] = []
    rows = turns_under(EngineLock())(_noted(pulled))
    assert list(itertools.islice(rows, 3)) == [0, 1, 2]
    assert pulled == [0, 1, 2]  # a LIMIT stops the read where it is


@pytest.mark.parametrize("size", [0, 1, turns.ROWS - 1, turns.ROWS, turns.ROWS + 1, 3 * turns.ROWS + 7])
def test_an_indexed_read_gives_every_row_once_counted_as_read(size: int) -> None:
    """``Counted`` (a read through an index): its safe points and its count in one generator."""
    lock = EngineLock()
    stats = {"scannedIndex": 0}
    with lock:
        assert list(turns_under(lock)(turns.Counted(iter(range(size)), stats))) == list(range(size))
    assert stats["scannedIndex"] == size
    assert list(turns.Counted(range(size), stats)) == list(range(size))  # (no safe points)
    assert stats["scannedIndex"] == 2 * size


def test_an_indexed_read_is_pulled_and_counted_only_as_the_loop_asks() -> None:
    pulled: list[int] = []
    stats = {"scannedIndex": 0}
    rows = turns_under(EngineLock())(turns.Counted(_noted(pulled), stats))
    assert list(itertools.islice(rows, 3)) == [0, 1, 2]
    assert pulled == [0, 1, 2] and stats["scannedIndex"] == 3


def _in_chunks(rows: list[int], sizes: list[int]) -> Chunks:
    """``rows`` as a chunked read (``storage.scan.Chunks``) of lists of these sizes, in turn."""
    def chunks():  # type: ignore[no-untyped-def]
        start = 0
        for size in itertools.cycle(sizes):
            if start >= len(rows):
                return
            yield rows[start:start + size]
            start += size
    return Chunks(chunks())


@pytest.mark.parametrize("sizes", [[1], [16, 32, 64], [turns.ROWS], [turns.ROWS + 1], [2048, 5]])
@pytest.mark.parametrize("total", [0, 1, turns.ROWS, 3 * turns.ROWS + 7, 5000])
def test_a_chunked_indexed_read_gives_every_row_once_counted(sizes: list[int], total: int) -> None:
    lock = EngineLock()
    stats = {"scannedIndex": 0}
    rows = list(range(total))
    with lock:
        assert list(turns_under(lock)(turns.Counted(_in_chunks(rows, sizes), stats))) == rows
    assert stats["scannedIndex"] == total
    assert list(turns.Counted(_in_chunks(rows, sizes), stats)) == rows  # (no safe points)
    assert list(_in_chunks(rows, sizes)) == rows  # (a plain read: one by one)
    assert stats["scannedIndex"] == 2 * total


def test_a_chunked_indexed_read_is_read_a_chunk_at_a_time() -> None:
    pulled: list[int] = []

    def chunks():  # type: ignore[no-untyped-def]
        for start in itertools.count(0, 16):
            pulled.append(start)
            yield list(range(start, start + 16))

    stats = {"scannedIndex": 0}
    rows = turns_under(EngineLock())(turns.Counted(Chunks(chunks()), stats))
    assert list(itertools.islice(rows, 20)) == list(range(20))
    # read a chunk at a time, counted as the rows are handed out (a LIMIT inside a chunk)
    assert pulled == [0, 16] and stats["scannedIndex"] == 20


@pytest.mark.parametrize("kind", ["rows", "indexed read", "chunked read"])
def test_a_waiter_gets_the_lock_between_rows(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """Also inside a chunk longer than ``ROWS`` (a chunked read's last chunks are 2,048 rows)."""
    monkeypatch.setattr(engine_lock, "TURN", 0.0)
    lock = EngineLock()
    seen: list[int] = []
    served = threading.Event()
    source: Any = range(10 * turns.ROWS)
    if kind == "indexed read":
        source = turns.Counted(iter(source), {"scannedIndex": 0})
    elif kind == "chunked read":
        source = turns.Counted(_in_chunks(list(source), [2048]), {"scannedIndex": 0})
    with lock:
        loop = iter(turns_under(lock)(source))
        seen.append(next(loop))

        def waiter() -> None:
            with lock:
                seen.append(-1)
                served.set()

        thread = threading.Thread(target=waiter, daemon=True)
        thread.start()
        while not lock.waiting:
            time.sleep(0.001)
        seen.extend(loop)
        assert served.is_set()
    thread.join()
    # served at the second safe point after it came (the first starts counting the holder's
    # CPU time): within two chunks of rows
    assert 0 < seen.index(-1) <= 2 * turns.ROWS + 1
    assert [r for r in seen if r >= 0] == list(range(10 * turns.ROWS))


def _error_after_a_gap(lock: EngineLock, step: Any, change: Callable[[], None]) -> int:
    """The error code a loop under ``lock`` stops with once another thread, served in one of
    its gaps, has made ``change`` under the lock."""
    with lock:
        loop = iter(step(range(10 * turns.ROWS)))
        next(loop)

        def other() -> None:
            with lock:
                change()

        thread = threading.Thread(target=other, daemon=True)
        thread.start()
        while not lock.waiting:
            time.sleep(0.001)
        with pytest.raises(ArangoError) as caught:
            list(loop)
    thread.join()
    return caught.value.code.num


def test_a_query_resumed_after_the_engine_closed_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_lock, "TURN", 0.0)
    lock = EngineLock()

    def close() -> None:
        lock.closed = True

    assert _error_after_a_gap(lock, turns_under(lock), close) == 30


def test_a_stream_query_whose_transaction_ended_in_a_gap_stops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A query inside a stream transaction that was aborted while it let the lock go (its
    database dropped, say) stops with 1654 rather than go on in an ended transaction."""
    monkeypatch.setattr(engine_lock, "TURN", 0.0)
    lock = EngineLock()

    class Stream:
        id = "7"
        status = "running"
        held_alone = True

    stream = Stream()

    def drop() -> None:
        stream.status = "aborted"

    assert _error_after_a_gap(lock, turns_under(lock, stream), drop) == 1654  # type: ignore[arg-type]
