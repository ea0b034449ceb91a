"""SORT without an index: rows in AQL order, produced lazily so that a LIMIT reads only the top.

Rows are decorated as ``(key, seq, row)`` where ``key`` compares natively (the value itself when a
column holds only strings or only numbers, else :func:`values.order_key`) and ``seq`` keeps ties
in input order, as a stable sort does. The first rows come from ``heapq.nsmallest`` /
``nlargest`` (a top-k heap, O(n log k)); a consumer that wants more gets a larger top, and past a
quarter of the rows one full sort. So ``SORT x LIMIT 10`` over 100k rows costs one pass.

From :data:`OFF_LOCK_ROWS` rows on, the keys are computed and every sort step runs inside
``off()`` (``aql.turns.off_lock_under``: the engine lock let go): both read only the sort values
the query already holds and keys made from them, and stored documents are never changed in place
(``storage.docs``), so nothing another request does meanwhile can change what they read.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sized
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from arangolite.aql.values import order_key

__all__ = ["OFF_LOCK_ROWS", "off_for", "sorted_docs", "sorted_rows"]

_FIRST_TOP = 64
_GROWTH = 8
# rows from which a sort lets the engine lock go (``off``); below, releasing costs more than it
# lets others gain
OFF_LOCK_ROWS = 2048

Key = Callable[[Any], Any]
Off = Callable[[], AbstractContextManager[Any]]


def off_for(rows: Sized, off: Off) -> AbstractContextManager[Any]:
    """``off()`` for a step over ``rows`` long enough to be worth letting the lock go."""
    return off() if len(rows) >= OFF_LOCK_ROWS else nullcontext()


def native_key(values: list[Any]) -> Key:
    """The cheapest key ordering ``values`` as AQL does: identity for one native kind."""
    kinds = set(map(type, values))
    if kinds == {str} or (kinds and kinds <= {int, float}):
        return _identity
    return order_key


def _identity(value: Any) -> Any:
    return value


def _keys(values: list[Any]) -> list[Any]:
    """Keys ordering ``values`` as AQL does (the values themselves for one native kind)."""
    key = native_key(values)
    return values if key is _identity else [key(v) for v in values]


def _lazy(
    keys: list[Any], payloads: list[Any], descending: bool, off: Off = nullcontext
) -> Iterator[Any]:
    """``payloads`` in the order of ``keys`` (ties in input order), computing only what is
    consumed. Positions are ordered, not decorated tuples: no per-row allocation."""
    total, done, want = len(keys), 0, _FIRST_TOP
    pick = heapq.nlargest if descending else heapq.nsmallest
    key = keys.__getitem__
    while done < total:
        with off_for(keys, off):  # reads the keys only
            if want * 4 >= total:
                order = sorted(range(total), key=key, reverse=descending)
            else:
                order = pick(want, range(total), key=key)
        for pos in range(done, len(order)):
            yield payloads[order[pos]]
        done, want = len(order), want * _GROWTH


def sorted_values(
    values: list[Any], payloads: list[Any], descending: bool, off: Off = nullcontext
) -> Iterator[Any]:
    """``payloads`` ordered by the AQL values beside them (stable), lazily."""
    with off_for(values, off):  # reads the values only
        keys = _keys(values)
    return _lazy(keys, payloads, descending, off)


def sorted_docs(
    docs: list[Any], path: str, descending: bool, off: Off = nullcontext
) -> Iterator[Any]:
    """Documents in AQL order of the attribute ``path`` (``"a.b"``), lazily."""
    parts = path.split(".")
    with off_for(docs, off):  # reads the documents only (never changed in place)
        if len(parts) == 1:
            keys = _keys([d.get(path) for d in docs])
        else:
            keys = _keys([_resolve(d, parts) for d in docs])
    return _lazy(keys, docs, descending, off)


def _resolve(doc: Any, parts: list[str]) -> Any:
    for part in parts:
        if type(doc) is not dict:
            return None
        doc = doc.get(part)
    return doc


def sorted_rows(
    rows: list[Any], directions: tuple[bool, ...], off: Off = nullcontext
) -> Iterator[Any]:
    """SORT boundary rows (their first ``len(directions)`` items are the sort values), lazily."""
    with off_for(rows, off):  # reads the sort values only
        if len(directions) == 1:
            keys = _keys([r[0] for r in rows])
        else:
            keyed = [_keys([r[c] for r in rows]) for c in range(len(directions))]
            if any(d != directions[0] for d in directions):
                return iter(_stable_multipass(rows, directions, keyed))
            keys = list(zip(*keyed, strict=True))
    return _lazy(keys, rows, not directions[0], off)


def _stable_multipass(
    rows: list[Any], directions: tuple[bool, ...], keyed: list[list[Any]]
) -> list[Any]:
    """Mixed directions: one stable sort of the positions per column, last column first."""
    order = list(range(len(rows)))
    for column in range(len(directions) - 1, -1, -1):
        order.sort(key=keyed[column].__getitem__, reverse=not directions[column])
    return [rows[pos] for pos in order]
