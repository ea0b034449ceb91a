"""Safe points at which a query that holds the engine lock lets waiting requests in.

A query outside a stream transaction runs in a transaction of its own, which reads its snapshot
and keeps its writes to itself until it commits; what it must not share is the engine's Python
structures while another request changes them, which the engine lock prevents. Between two rows
of a FOR loop nothing of the engine is half-read (the same point a streaming cursor stops at
between two batches), so there, every :data:`ROWS` rows, a query that has held the lock for a
while and finds another request waiting for it hands it over (``storage.engine_lock``) and takes
it back after. A slow query that writes therefore no longer holds up every other write: they run
in its gaps, and a write to a key it has written, or that it writes after them, is a
write-write conflict (1200) as in ArangoDB, never a lost update.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any, NamedTuple

from arangolite import errors
from arangolite.aql import limits
from arangolite.errors import ArangoError
from arangolite.storage.api import Transaction
from arangolite.storage.engine_lock import EngineLock
from arangolite.storage.scan import Chunks

__all__ = [
    "ROWS", "Counted", "Kit", "kit_under", "no_safe_point", "no_turns", "off_lock_under",
    "safe_point_under", "turns_under",
]

# rows of a FOR loop between two safe points
ROWS = 256
_SIZED = (list, range)
_END = object()


def no_turns(source: Iterable[Any]) -> Iterable[Any]:
    """A query that must keep the lock (or holds none): its loops as they are."""
    return source


def turns_under(
    lock: EngineLock,
    stream: Transaction | None = None,
    check: Callable[[], None] | None = None,
) -> Callable[[Iterable[Any]], Iterable[Any]]:
    """``turns(source)`` for a query holding ``lock``: a FOR loop's source with a safe point
    every :data:`ROWS` rows (a closure: the compiled loops call it for every FOR they start).
    ``stream``: the stream transaction the query runs in, whose lease its request holds alone;
    if it was aborted in a gap (its database dropped), the query stops with 1654. ``check``:
    called after every hand-over, to stop (raise) when something the caller holds ended in the
    gap (a batch write's collection dropped: ``rest.doc_common.handing_over``)."""
    chain = itertools.chain.from_iterable
    turn = safe_point_under(lock, stream, check)

    def turns(source: Iterable[Any]) -> Iterable[Any]:
        if type(source) is Counted:  # counted and turned in one generator
            return _chunk_turns(source.chunks(), source.stats, turn)
        if type(source) in _SIZED:
            if len(source) <= ROWS:  # type: ignore[arg-type]
                if lock.waiting:
                    turn()
                return source
            return chain(_slices(source, turn))  # type: ignore[arg-type]
        return chain(_chunks(iter(source), turn))

    return turns


class Kit(NamedTuple):
    """A query's ``turns``, ``off_lock`` and ``safe_point`` (``Runtime`` holds the three)."""

    turns: Callable[[Iterable[Any]], Iterable[Any]]
    off_lock: Callable[[], AbstractContextManager[None]]
    safe_point: Callable[[], None]


# the kit of queries in a transaction of their own, one per engine lock (made once: every
# query outside a stream transaction asks for it)
_OWN: weakref.WeakKeyDictionary[EngineLock, Kit] = weakref.WeakKeyDictionary()


def kit_under(lock: EngineLock, stream: Transaction | None = None) -> Kit:
    """The three of :func:`turns_under`, :func:`off_lock_under` and :func:`safe_point_under`
    for a query holding ``lock`` (in ``stream``, whose lease its request holds alone)."""
    if stream is not None:
        return Kit(turns_under(lock, stream), off_lock_under(lock, stream), safe_point_under(lock, stream))
    kit = _OWN.get(lock)
    if kit is None:
        kit = _OWN[lock] = Kit(turns_under(lock), off_lock_under(lock), safe_point_under(lock))
    return kit


def safe_point_under(
    lock: EngineLock,
    stream: Transaction | None = None,
    check: Callable[[], None] | None = None,
) -> Callable[[], None]:
    """``turn()``: one safe point (as in :func:`turns_under`), for a long step that is not a
    FOR loop's rows but has points where nothing of the engine is half-read: between two
    steps of a traversal's or path search's loop (``aql.graphs``), where it keeps only paths
    of documents it read from its snapshot."""

    def turn() -> None:
        if lock.wanted():
            with limits.uninterrupted():
                lock.hand_over()
            _after_gap(lock, stream)
            if check is not None:
                check()

    return turn


def no_safe_point() -> None:
    """A query that must keep the lock (or holds none): no safe point."""


def _after_gap(lock: EngineLock, stream: Transaction | None) -> None:
    """Stop when what the query holds ended while it had let the lock go."""
    if lock.closed:  # shut down meanwhile: the query's transaction is aborted
        raise ArangoError(errors.SHUTTING_DOWN)
    if stream is not None and stream.status != "running":
        raise ArangoError(
            errors.TRANSACTION_ABORTED, message=f"transaction {stream.id} is {stream.status}"
        )


def off_lock_under(
    lock: EngineLock, stream: Transaction | None = None
) -> Callable[[], AbstractContextManager[None]]:
    """``with off_lock(): ...`` for a query holding ``lock`` (as :func:`turns_under`): the
    block runs with the lock let go whole, and the lock is taken back after it (queueing as
    any waiter). For a long step that reads nothing of the engine, only values the query
    holds: the sort of rows already read (``aql.ordering``), whose sort keys are the query's
    own values and stored documents, which nobody changes in place (``storage.docs``). The
    query is at a safe point (its loops paused between rows, as at a turn), so requests may
    run meanwhile; the block is not interrupted (a kill or maxRuntime takes effect at its
    end), as a sort in C never was. (A partial of one module-level context manager: every query
    gets one, and decorating a new closure per query cost about 5 us of a 20 us ``RETURN 1``.)"""
    return functools.partial(_off_lock, lock, stream)


@contextlib.contextmanager
def _off_lock(lock: EngineLock, stream: Transaction | None) -> Iterator[None]:
    with limits.uninterrupted(), lock.released():
        yield
    _after_gap(lock, stream)


def _slices(rows: list[Any] | range, turn: Callable[[], None]) -> Iterator[Iterable[Any]]:
    for start in range(0, len(rows), ROWS):
        turn()
        yield rows[start:start + ROWS]


def _chunks(rows: Iterator[Any], turn: Callable[[], None]) -> Iterator[Iterable[Any]]:
    while True:
        turn()
        first = next(rows, _END)
        if first is _END:
            return
        yield (first,)
        yield itertools.islice(rows, ROWS - 1)


class Counted:
    """Documents read through an index, counted into ``stats["scannedIndex"]`` as they are
    handed out (so a suspended streaming query reports them too, and a LIMIT that stops inside
    a chunk counts what it took). Iterated as it is, it counts; the ``turns`` of
    :func:`turns_under` counts and makes its safe points in the same generator (the most common
    FOR loop's source: one layer over the rows, over the read's own lists for a chunked read,
    ``storage.scan.Chunks``)."""

    __slots__ = ("docs", "stats")

    def __init__(self, docs: Iterable[Any], stats: dict[str, int]) -> None:
        self.docs = docs
        self.stats = stats

    def chunks(self) -> Iterator[Iterable[Any]]:
        """The read's chunks (any other read: itself, one lazy chunk)."""
        docs = self.docs
        return docs.chunks if type(docs) is Chunks else iter((docs,))

    def __iter__(self) -> Iterator[Any]:
        stats = self.stats
        for chunk in self.chunks():
            for doc in chunk:
                stats["scannedIndex"] += 1
                yield doc


def _chunk_turns(
    chunks: Iterator[Iterable[Any]], stats: dict[str, int], turn: Callable[[], None]
) -> Iterator[Any]:
    """A counted read row by row (see :class:`Counted`), with a safe point before the first row
    and every :data:`ROWS` rows."""
    turn()
    since = 0
    for chunk in chunks:
        for doc in chunk:
            if since == ROWS:
                turn()
                since = 0
            since += 1
            stats["scannedIndex"] += 1
            yield doc
