"""Sorted index entries held in memory, and the window of entries a read wants.

An entry is ``(values, rev, key)``: ``values`` a tuple of encoded attribute values (see
:func:`arangolite.storage.indexes.encode`), ``rev`` a tie-breaker (always ``""`` today) and
``key`` the document. :class:`SortedEntries` keeps them in one sorted list; every query is a
``bisect`` over it. The on-disk store offers the same methods over a SQLite table.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["Bound", "Entry", "SortedEntries", "Window"]

Entry = tuple[tuple[Any, ...], str, str]
Bound = tuple[Any, ...] | None
# above every encoded value (``indexes.encode`` ranks types 0-5): the end of an open range
_ABOVE = (6,)


class Window:
    """Which entries of an index a read wants: ``head(entry)`` within ``[low, high]``.

    ``prefix_len`` is the number of leading values compared (None: the first value only).
    """

    def __init__(
        self,
        head: Callable[[Entry], Any],
        low: Bound,
        low_incl: bool,
        high: Bound,
        high_incl: bool,
        prefix_len: int | None = None,
    ) -> None:
        self.head = head
        self.low, self.low_incl, self.high, self.high_incl = low, low_incl, high, high_incl
        self.prefix_len = prefix_len
        self.store_bounds: Any = None  # the on-disk store's byte bounds, worked out once
        # :meth:`prefix_then`: the equal values and the next value's bounds, as given
        self.then: tuple[tuple[Any, ...], Bound, bool, Bound, bool] | None = None

    @classmethod
    def prefix(cls, values: tuple[Any, ...]) -> Window:
        """Entries whose first ``len(values)`` encoded values equal ``values``."""
        n = len(values)
        return cls(lambda e: e[0][:n], values, True, values, True, n)

    @classmethod
    def prefix_then(
        cls, values: tuple[Any, ...], low: Bound, low_incl: bool, high: Bound, high_incl: bool
    ) -> Window:
        """Entries whose first ``len(values)`` encoded values equal ``values`` and whose next
        one lies within the bounds (None: unbounded): ``FILTER d.a == @a AND d.b > @after`` on
        an index on ``[a, b]``."""
        n = len(values)
        window = cls(
            lambda e: e[0][: n + 1],
            values if low is None else (*values, low),
            low is None or low_incl,
            (*values, _ABOVE if high is None else high),
            high is None or high_incl,
        )
        window.then = (values, low, low_incl, high, high_incl)
        return window

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


class SortedEntries:
    """A sorted list of entries with prefix and range queries."""

    def __init__(self) -> None:
        self.items: list[Entry] = []

    def clear(self) -> None:
        self.items = []

    def add(self, entry: Entry) -> None:
        bisect.insort(self.items, entry)

    def discard(self, entry: Entry) -> None:
        pos = bisect.bisect_left(self.items, entry)
        if pos < len(self.items) and self.items[pos] == entry:
            del self.items[pos]

    def bulk_load(self, entries: list[Entry]) -> None:
        self.items.extend(entries)
        self.items.sort()

    def native(self, entry: Entry) -> Any:
        """``entry`` in the form :meth:`chunk` returns (ordered like the chunk's entries)."""
        return entry

    def chunk(self, window: Window, last: Any, descending: bool, size: int) -> list[Any]:
        """Up to ``size`` entries of ``window`` after ``last`` (None: from the start), in order
        (reversed when ``descending``); each is a tuple whose last item is the document key."""
        items = self.items
        start, stop = window.positions(items)
        if descending:
            if last is not None:
                stop = bisect.bisect_left(items, last, lo=start, hi=stop)
            return items[max(start, stop - size) : stop][::-1]
        if last is not None:
            start = bisect.bisect_right(items, last, lo=start, hi=stop)
        return items[start : min(stop, start + size)]

    def prefix_keys(self, values: tuple[Any, ...]) -> list[str]:
        """Keys of entries whose first ``len(values)`` values equal ``values``, in order."""
        n = len(values)
        lo = bisect.bisect_left(self.items, values, key=lambda e: e[0][:n])
        hi = bisect.bisect_right(self.items, values, key=lambda e: e[0][:n], lo=lo)
        return [e[2] for e in self.items[lo:hi]]

    def prefix_count(self, values: tuple[Any, ...], cap: int | None = None) -> int:
        """How many entries have ``values`` as their first values (two ``bisect``s; at most
        ``cap``)."""
        n = len(values)
        lo = bisect.bisect_left(self.items, values, key=lambda e: e[0][:n])
        found = bisect.bisect_right(self.items, values, key=lambda e: e[0][:n], lo=lo) - lo
        return found if cap is None else min(found, cap)

    def runs(self, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[str, int]]:
        """``(key of the first entry, entries)`` per distinct value after ``prefix`` among the
        entries whose leading values equal ``prefix`` (none: per distinct first value), in
        order: one ``bisect`` per distinct value, however many entries each run holds."""
        items, n = self.items, len(prefix)
        lo, end = 0, len(items)
        if n:
            lo = bisect.bisect_left(items, prefix, key=lambda e: e[0][:n])
            end = bisect.bisect_right(items, prefix, lo=lo, key=lambda e: e[0][:n])
        while lo < end:
            value = items[lo][0][n]
            hi = bisect.bisect_right(items, value, lo=lo, hi=end, key=lambda e: e[0][n])
            yield items[lo][2], hi - lo
            lo = hi

    def min_number(self) -> float | None:
        """The first value of the first entry, when it is a number (TTL expiry times)."""
        if not self.items:
            return None
        head = self.items[0][0][0]
        return float(head[1]) if head[0] == 2 else None

    def duplicate(self) -> str | None:
        """Key of an entry whose values equal those of another document's entry (None)."""
        items = self.items
        for pos in range(1, len(items)):
            prev, cur = items[pos - 1], items[pos]
            if prev[0] == cur[0] and prev[2] != cur[2]:
                return cur[2]
        return None
