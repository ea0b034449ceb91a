"""Lazy, ordered reads of one transaction's snapshot through a sorted index.

A snapshot of a collection is its committed documents, corrected by a *delta*: for keys another
transaction committed since this one began, their version at the start (``undo``); then this
transaction's own writes. :func:`ordered_scan` walks an index window (an equality prefix or a
range of the first field) and yields the snapshot's documents in index order, merged with the
delta's matching documents, a few entries at a time. Each round re-finds its place by the last
entry yielded, so the generator stays correct when other transactions commit while it is paused
(a lazy cursor between two requests): their changes are in ``undo`` by then.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from typing import Any

from arangolite.storage.indexes import Entry, PersistentIndex

__all__ = ["Window", "ordered_scan"]

Document = dict[str, Any]
Bound = tuple[Any, ...] | None
_FIRST_CHUNK = 16
_MAX_CHUNK = 2048


class Window:
    """Which entries of an index a read wants: ``head(entry)`` within ``[low, high]``."""

    def __init__(
        self,
        head: Callable[[Entry], Any],
        low: Bound,
        low_incl: bool,
        high: Bound,
        high_incl: bool,
    ) -> None:
        self.head = head
        self.low, self.low_incl, self.high, self.high_incl = low, low_incl, high, high_incl

    @classmethod
    def prefix(cls, values: tuple[Any, ...]) -> Window:
        """Entries whose first ``len(values)`` encoded values equal ``values``."""
        n = len(values)
        return cls(lambda e: e[0][:n], values, True, values, True)

    @classmethod
    def first_field(cls, low: Bound, low_incl: bool, high: Bound, high_incl: bool) -> Window:
        """Entries whose first encoded value lies within the bounds (None: unbounded)."""
        return cls(lambda e: e[0][0], low, low_incl, high, high_incl)

    def contains(self, entry: Entry) -> bool:
        value = self.head(entry)
        if self.low is not None and (value < self.low or (value == self.low and not self.low_incl)):
            return False
        return not (
            self.high is not None
            and (value > self.high or (value == self.high and not self.high_incl))
        )

    def positions(self, items: list[Entry]) -> tuple[int, int]:
        """``items[start:stop]`` is the window."""
        start, stop = 0, len(items)
        if self.low is not None:
            find = bisect.bisect_left if self.low_incl else bisect.bisect_right
            start = find(items, self.low, key=self.head)
        if self.high is not None:
            find = bisect.bisect_right if self.high_incl else bisect.bisect_left
            stop = find(items, self.high, key=self.head, lo=start)
        return start, max(start, stop)


def _next_chunk(
    items: list[Entry], window: Window, last: Entry | None, descending: bool, size: int
) -> list[Entry]:
    start, stop = window.positions(items)
    if descending:
        if last is not None:
            stop = bisect.bisect_left(items, last, lo=start, hi=stop)
        return items[max(start, stop - size) : stop][::-1]
    if last is not None:
        start = bisect.bisect_right(items, last, lo=start, hi=stop)
    return items[start : min(stop, start + size)]


def ordered_scan(
    index: PersistentIndex,
    window: Window,
    base: dict[str, Document],
    undo: dict[str, Document | None],
    writes: dict[str, Document | None],
    *,
    descending: bool = False,
) -> Iterator[Document]:
    """Snapshot documents in ``window`` of ``index``, in index order (each document once).

    Args:
        index: the sorted index.
        window: the entries wanted.
        base: committed documents by key (live).
        undo: this transaction's snapshot versions of keys changed since it began (live; grows).
        writes: this transaction's own writes, as of the start of the read (frozen by the caller).
        descending: walk the index backwards.
    """

    def pending_after(last: Entry | None) -> list[tuple[Entry, Document]]:
        found: list[tuple[Entry, Document]] = []
        for key, doc in {**undo, **writes}.items():
            if doc is None:
                continue
            for vals in index.values_of(doc):
                entry = (vals, "", key)
                if window.contains(entry) and (
                    last is None or (entry < last if descending else entry > last)
                ):
                    found.append((entry, doc))
        found.sort(key=lambda pair: pair[0], reverse=descending)
        return found

    yielded: set[str] | None = set() if index.expanding else None
    last: Entry | None = None
    pending = pending_after(None)
    undo_size = len(undo)
    size = _FIRST_CHUNK
    while True:
        if len(undo) != undo_size:  # another transaction committed while this read was paused
            pending, undo_size = pending_after(last), len(undo)
        chunk = _next_chunk(index.entries.items, window, last, descending, size)
        exhausted = len(chunk) < size
        size = min(size * 2, _MAX_CHUNK)
        rows: list[tuple[Entry, Document]] = []
        for entry in chunk:
            key = entry[2]
            if key in writes or key in undo:
                continue
            doc = base.get(key)
            if doc is not None:
                rows.append((entry, doc))
        if exhausted:
            take = len(pending)
        elif chunk:
            edge = chunk[-1]
            take = 0
            while take < len(pending) and (
                pending[take][0] > edge if descending else pending[take][0] < edge
            ):
                take += 1
        else:
            take = 0
        if take:
            rows.extend(pending[:take])
            del pending[:take]
            rows.sort(key=lambda pair: pair[0], reverse=descending)
        for _, doc in rows:
            if yielded is not None:
                if doc["_key"] in yielded:
                    continue
                yielded.add(doc["_key"])
            yield doc
        if exhausted:
            return
        last = chunk[-1]
