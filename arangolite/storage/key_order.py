"""The primary index read in ``_key`` order: ``SORT d._key`` and ranges on ``_key`` without a
pass over the collection.

ArangoDB's primary index (RocksDB) is sorted by key, and its optimizer reads it for a range on
``_key`` and for ``SORT d._key`` (``use-index-for-sort``), so ``FILTER d._key > @last SORT
d._key LIMIT n``, the usual way to page through a collection, costs what it returns. Here the
committed state gives its keys in order (``CommittedState.key_entries``: on disk
:class:`KeyRows`, the documents table's ``UNIQUE (cid, key)`` index; in memory :class:`KeyList`,
the keys sorted again after one is added or removed: plain strings, since sorting them costs a
twentieth of sorting a persistent index's entry tuples, 88 ms against 2.1 s for 1M keys) and
:class:`KeyOrder` is what :func:`arangolite.storage.scan.ordered_scan` walks, as it walks a
persistent index: the transaction's own writes and its snapshot's versions merged in, a chunk
at a time. It is read when a LIMIT follows (``TrxCollection.range``); without one every match is
read anyway, and a scan does that in one pass.

Keys are strings, compared as AQL compares strings (UTF-8 bytes, which SQLite's ``BINARY``
collation and Python's ``str`` order agree on), so a bound of another type either admits every
key or none: below strings (null, bool, number) a lower bound admits all and an upper one
none; above them (array, object) the other way round. The window is then exactly the FILTER's
bounds.
"""

from __future__ import annotations

import bisect
import functools
from typing import TYPE_CHECKING, Any

from arangolite.storage.entries import Entry, Window
from arangolite.storage.indexes import encode

if TYPE_CHECKING:
    from arangolite.storage.pins import Pins

__all__ = ["KeyList", "KeyOrder", "KeyRows"]

Document = dict[str, Any]
_STRING = 3  # the type rank ``indexes.encode`` gives a string
KeyBounds = tuple[str | None, bool, str | None, bool]  # (low, incl., high, incl.), None: open


class KeyOrder:
    """A collection's committed documents in key order, shaped as a persistent index on
    ``_key`` for ``ordered_scan``."""

    expanding = False

    def __init__(self, entries: KeyRows | KeyList) -> None:
        self.entries = entries  # a committed state's ``key_entries()``

    @staticmethod
    def values_of(doc: Document) -> list[tuple[Any, ...]]:
        return [(encode(doc["_key"]),)]


class _KeyChunks:
    """The entries of both stores: 1-tuples of keys, read in chunks (``chunk``)."""

    @staticmethod
    def native(entry: Entry) -> tuple[str]:
        """An entry of a document of the transaction's delta, in the chunks' form."""
        return (entry[2],)

    def chunk(self, window: Window, last: Any, descending: bool, size: int) -> list[tuple[str]]:
        """Up to ``size`` keys in the window, in order, past ``last`` (a chunk's last entry)."""
        found = window.store_bounds
        if found is None:
            found = window.store_bounds = (_key_bounds(window),)  # worked out once per read
        if found[0] is None:
            return []
        low, low_incl, high, high_incl = found[0]
        if last is not None:
            if descending:
                high, high_incl = last[0], False
            else:
                low, low_incl = last[0], False
        return self.read((low, low_incl, high, high_incl), descending, size)

    def read(self, bounds: KeyBounds, descending: bool, size: int) -> list[tuple[str]]:
        """Up to ``size`` keys within ``bounds``, in order."""
        raise NotImplementedError


class KeyRows(_KeyChunks):
    """On disk, a collection's keys in order from the documents table's ``UNIQUE (cid, key)``
    index (read on the pinned snapshot)."""

    def __init__(self, pins: Pins, cid: int) -> None:
        self.pins = pins
        self.cid = cid

    def read(self, bounds: KeyBounds, descending: bool, size: int) -> list[tuple[str]]:
        low, low_incl, high, high_incl = bounds
        sql = _key_order_text(low is not None, low_incl, high is not None, high_incl, descending)
        params = [p for p in (self.cid, low, high) if p is not None]
        return self.pins.current.conn.execute(sql, (*params, min(size, 1 << 62))).fetchall()


class KeyList(_KeyChunks):
    """In memory, a collection's keys sorted (``MemoryState`` makes it again after a key is
    added or removed)."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys

    def read(self, bounds: KeyBounds, descending: bool, size: int) -> list[tuple[str]]:
        low, low_incl, high, high_incl = bounds
        keys = self.keys
        start, stop = 0, len(keys)
        if low is not None:
            start = (bisect.bisect_left if low_incl else bisect.bisect_right)(keys, low)
        if high is not None:
            stop = (bisect.bisect_right if high_incl else bisect.bisect_left)(keys, high, lo=start)
        if descending:
            return [(k,) for k in reversed(keys[max(start, stop - size) : stop])]
        return [(k,) for k in keys[start : min(stop, start + size)]]


def _key_bounds(window: Window) -> KeyBounds | None:
    """The window's bounds (encoded AQL values) as bounds on key strings; None: no key is in it."""
    low: str | None = None
    high: str | None = None
    if window.low is not None:
        rank = window.low[0]
        if rank > _STRING:
            return None
        if rank == _STRING:
            low = _ascii(window.low[1])
    if window.high is not None:
        rank = window.high[0]
        if rank < _STRING:
            return None
        if rank == _STRING:
            high = _ascii(window.high[1])
    return low, window.low_incl, high, window.high_incl


def _ascii(bound: str) -> str:
    """A bound that orders every key as ``bound`` does, and that SQLite can take: keys are
    ASCII, so from a bound's first other character on (a lone surrogate included, which UTF-8
    cannot encode) only that it is above every ASCII character counts: U+0080 stands for it."""
    if bound.isascii():
        return bound
    cut = next(i for i, ch in enumerate(bound) if ord(ch) > 0x7F)
    return bound[:cut] + "\x80"


@functools.cache
def _key_order_text(lo: bool, lo_incl: bool, hi: bool, hi_incl: bool, descending: bool) -> str:
    """The query of :meth:`KeyRows.chunk` of one shape (the covering index walked in order)."""
    where = ["cid = ?"]
    if lo:
        where.append("key >= ?" if lo_incl else "key > ?")
    if hi:
        where.append("key <= ?" if hi_incl else "key < ?")
    order = "key DESC" if descending else "key"
    return f"SELECT key FROM documents WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?"
