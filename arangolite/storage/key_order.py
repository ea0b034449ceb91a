"""The primary index read in ``_key`` order: ``SORT d._key`` and ranges on ``_key`` without a
pass over the collection.

ArangoDB's primary index (RocksDB) is sorted by key, and its optimizer reads it for a range on
``_key`` and for ``SORT d._key`` (``use-index-for-sort``), so ``FILTER d._key > @last SORT
d._key LIMIT n``, the usual way to page through a collection, costs what it returns. Here the
committed state gives its keys in order (on disk the documents table's ``UNIQUE (cid, key)``
index; in memory a sorted list of the keys, made again after a key is added or removed) and
:class:`KeyOrder` is what :func:`arangolite.storage.scan.ordered_scan` walks, as it walks a
persistent index: the transaction's own writes and its snapshot's versions merged in, a chunk at
a time. It is read when a LIMIT follows (``TrxCollection.range``); without one every match is
read anyway, and a scan does that in one pass.

Keys are strings, compared as AQL compares strings (UTF-8 bytes, which SQLite's ``BINARY``
collation and Python's ``str`` order agree on), so a bound of another type either admits every
key or none: below strings (null, bool, number) a lower bound admits all and an upper one none;
above them (array, object) the other way round. The window is then exactly the FILTER's bounds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from arangolite.storage.entries import Window
from arangolite.storage.indexes import encode

if TYPE_CHECKING:
    from arangolite.storage.state import CommittedState, KeyBounds

__all__ = ["KeyOrder", "key_bounds"]

Document = dict[str, Any]
_STRING = 3  # the type rank ``indexes.encode`` gives a string


def key_bounds(window: Window) -> KeyBounds | None:
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


class KeyOrder:
    """A collection's committed documents in key order, shaped as a persistent index on
    ``_key`` for ``ordered_scan``: it is its own ``entries``, whose chunks are 1-tuples of keys."""

    expanding = False

    def __init__(self, state: CommittedState) -> None:
        self.state = state
        self.entries = self

    @staticmethod
    def values_of(doc: Document) -> list[tuple[Any, ...]]:
        return [(encode(doc["_key"]),)]

    @staticmethod
    def native(entry: Any) -> tuple[str]:
        """An entry ``(values, rev, key)`` of a document of the transaction's delta, in the
        form of the chunks' entries, which it is compared with."""
        return (entry[2],)

    def chunk(self, window: Window, last: Any, descending: bool, size: int) -> list[tuple[str]]:
        """Up to ``size`` keys in the window, in order, past ``last`` (a chunk's last entry)."""
        bounds = window.store_bounds
        if bounds is None:
            bounds = window.store_bounds = (key_bounds(window),)  # worked out once per read
        if bounds[0] is None:
            return []
        after = None if last is None else last[0]
        return [(k,) for k in self.state.keys_in_order(bounds[0], after, descending, size)]
