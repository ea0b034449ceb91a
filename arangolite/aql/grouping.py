"""COLLECT over materialised rows: grouping by AQL equality, output in AQL order of the groups.

Groups are keyed by :func:`hash_key` (equal AQL values, equal keys) and ordered natively when the
group values are all strings or all numbers, else by :func:`values.order_key`. ``count`` is the
fast path of ``COLLECT ... WITH COUNT INTO`` without INTO or AGGREGATE: a ``Counter`` over the
bare group values instead of a list of rows per group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from typing import Any

from arangolite.aql.ordering import Off, off_for
from arangolite.aql.values import order_key

__all__ = ["collect", "count", "hash_key", "resolve"]


def hash_key(value: Any) -> Any:
    """A hashable stand-in for an AQL value: equal AQL values give equal keys."""
    t = type(value)
    if t is str:
        return value
    if value is None:
        return ("null",)
    if t is bool:
        return ("bool", value)
    if t is int:
        return ("num", value)
    if t is float:
        return ("num", int(value) if value.is_integer() else value)
    if t is list:
        return ("arr", tuple(hash_key(v) for v in value))
    return ("obj", tuple(sorted((k, hash_key(v)) for k, v in value.items())))


def resolve(doc: Any, path: str) -> Any:
    """Value of a dotted attribute path (``"a.b"``) in a document, or None."""
    for part in path.split("."):
        if type(doc) is not dict:
            return None
        doc = doc.get(part)
    return doc


def _native(kinds: set[type]) -> bool:
    return kinds == {str} or bool(kinds and kinds <= {int, float})


def _as_is(rows: Iterable[Any]) -> Iterable[Any]:
    return rows


def count(
    values: list[Any], n_groups: int, turns: Callable[[Iterable[Any]], Iterable[Any]] = _as_is,
    off: Off = nullcontext,
) -> list[Any]:
    """Collect output rows ``((group,), None, count, ())`` of single-group (or no-group) counts.
    ``turns``: the query's safe points (``aql.turns``), every 256 values of a long Python pass;
    ``off``: where the query lets the engine lock go (``aql.turns.off_lock_under``), for the
    steps over values it holds that run in C or take no turns (counting native values, the sort
    of the groups)."""
    if n_groups == 0:
        return [((), None, len(values), ())]
    with off_for(values, off):  # reads the values only
        native = _native(set(map(type, values)))
        if native:
            counts = Counter(values)  # 1 and 1.0 share one entry, keyed by the first seen
            return [((v,), None, counts[v], ()) for v in sorted(counts)]
    groups: dict[Any, list[Any]] = {}
    for value in turns(values):
        key = order_key(value)  # equal for AQL-equal values, as an index's runs are
        entry = groups.get(key)
        if entry is None:
            groups[key] = [value, 1]
        else:
            entry[1] += 1
    with off_for(groups, off):  # the groups' keys only
        return [((groups[k][0],), None, groups[k][1], ()) for k in sorted(groups)]


def collect(
    rows: list[Any], n_groups: int, specs: tuple[Any, ...], aggregate: Callable[[Any, list[Any]], Any],
    turns: Callable[[Iterable[Any]], Iterable[Any]] = _as_is, off: Off = nullcontext,
) -> list[Any]:
    """Rows ``(groups, into, inputs)`` grouped; output ``(groups, intos, count, aggregates)``.
    ``turns``: the query's safe points (``aql.turns``): the rows were read already, so the
    grouping pass may let other requests in every 256 rows, as the loop that read them did;
    ``off``: the sort of the groups and the aggregates (AQL's aggregate functions over values
    the query holds, touching nothing of the engine) run with the engine lock let go
    (``aql.turns.off_lock_under``) when there are many rows."""
    groups: dict[Any, list[Any]] = {}
    single = n_groups == 1
    for group, into, inputs in turns(rows):
        key = hash_key(group[0]) if single else tuple(hash_key(g) for g in group)
        entry = groups.get(key)
        if entry is None:
            entry = groups[key] = [group, [], [[] for _ in specs]]
        entry[1].append(into)
        if specs:
            for bucket, value in zip(entry[2], inputs, strict=True):
                bucket.append(value)
    if not groups and n_groups == 0:
        groups[()] = [(), [], [[] for _ in specs]]
    with off_for(rows, off):  # reads the groups and the values they hold only
        if single and _native({type(e[0][0]) for e in groups.values()}):
            ordered = sorted(groups.values(), key=lambda e: e[0][0])
        else:
            ordered = sorted(groups.values(), key=lambda e: order_key(list(e[0])))
        return [
            (group, into, len(into),
             tuple(aggregate(s, v) for s, v in zip(specs, inputs, strict=True)))
            for group, into, inputs in ordered
        ]
