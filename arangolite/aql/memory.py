"""What a query holds in memory: the rows it has materialised, for ``memoryLimit``.

A query materialises rows in accumulators: the input of a SORT, a COLLECT or a WINDOW, the result
of every subquery (an array) and the query's result. With a memory limit, each accumulator is a
:class:`Rows` (a plain list that can be watched) registered under its place in the compiled code
(the *site*) and its query level. The query watchdog estimates the bytes each one holds from a
few sampled rows (their deep size, objects shared within a row counted once) and adds up:

- per level, the largest accumulator: the segments of one level pass their rows along (a SORT's
  input and the rows after it share their values), so a level holds about its largest one;
- over the levels (a subquery running inside an outer row holds its own rows besides).

Only the latest accumulator of a site is watched (a subquery runs once per outer row; its earlier
results live on inside the outer rows and are counted there), so the bookkeeping is bounded by
the size of the query text, not by the data. Without a memory limit nothing is registered and
accumulators are plain lists.
"""

from __future__ import annotations

import sys
import weakref
from typing import Any

__all__ = ["HeldRows", "Rows", "deep_size"]

_SAMPLE_ROWS = 8
_SAMPLE_ITEMS = 16
_BUDGET = 4000  # objects visited per sampled row at most
_LIST = sys.getsizeof([])
_SLOT = 8  # a pointer in a list


class Rows(list):  # type: ignore[type-arg]
    """An accumulator of rows that the watchdog can follow (a list with a weak reference)."""

    __slots__ = ("__weakref__",)


class _Site:
    __slots__ = ("level", "per_row", "ref", "sampled_at")

    def __init__(self, level: int, rows: Rows) -> None:
        self.level = level
        self.ref: weakref.ref[Rows] = weakref.ref(rows)
        self.sampled_at = 0
        self.per_row = 0.0

    def estimate(self) -> int:
        rows = self.ref()
        if rows is None:
            return 0
        n = len(rows)
        if n and (n >= self.sampled_at * 5 // 4 + 1 or not self.per_row):
            self.per_row = _mean_row(rows, n)
            self.sampled_at = n
        return _LIST + n * (_SLOT + int(self.per_row))


class HeldRows:
    """The accumulators of one query execution and the bytes they hold."""

    def __init__(self) -> None:
        self._sites: dict[int, _Site] = {}

    def new(self, site: int, level: int) -> Rows:
        """A fresh accumulator for ``site`` (replacing the site's previous one)."""
        rows = Rows()
        self._sites[site] = _Site(level, rows)
        return rows

    def adopt(self, site: int, level: int, rows: list[Any]) -> list[Any]:
        """Watch ``rows`` produced at ``site`` (a COLLECT's or WINDOW's output)."""
        watched = Rows(rows)
        self._sites[site] = _Site(level, watched)
        return watched

    def estimate(self) -> int:
        """Bytes held now: per level the largest accumulator, summed over the levels."""
        per_level: dict[int, int] = {}
        for site in list(self._sites.values()):
            size = site.estimate()
            if size > per_level.get(site.level, 0):
                per_level[site.level] = size
        return sum(per_level.values())


def _mean_row(rows: list[Any], n: int) -> float:
    k = min(n, _SAMPLE_ROWS)
    total = 0
    for i in range(k):
        try:
            total += deep_size(rows[i * n // k])
        except IndexError:  # the list changed meanwhile (another thread appends)
            break
    return total / k


def deep_size(value: Any) -> int:
    """Bytes held by ``value`` and what it contains (each object counted once; containers with
    many items are sampled; at most ``_BUDGET`` objects are visited)."""
    seen: set[int] = set()
    budget = [_BUDGET]
    return _size(value, seen, budget)


def _size(value: Any, seen: set[int], budget: list[int]) -> int:
    kind = type(value)
    if value is None or kind is bool:
        return 0
    if kind is int or kind is float:
        return sys.getsizeof(value)
    key = id(value)
    if key in seen:
        return 0
    seen.add(key)
    own = sys.getsizeof(value)
    budget[0] -= 1
    if budget[0] <= 0 or kind is str:
        return own
    if isinstance(value, dict):
        return own + _items(list(value), seen, budget) + _items(list(value.values()), seen, budget)
    if isinstance(value, (list, tuple)):
        return own + _items(value, seen, budget)
    return own


def _items(items: Any, seen: set[int], budget: list[int]) -> int:
    n = len(items)
    if n <= _SAMPLE_ITEMS:
        return sum(_size(item, seen, budget) for item in items)
    step = n / _SAMPLE_ITEMS
    sampled = sum(_size(items[int(i * step)], seen, budget) for i in range(_SAMPLE_ITEMS))
    return int(sampled * n / _SAMPLE_ITEMS)
