"""Set-like array functions: UNION, UNION_DISTINCT, INTERSECTION, OUTERSECTION, MINUS, JACCARD.

The order of INTERSECTION, OUTERSECTION and MINUS results is unspecified in ArangoDB; here it
follows first occurrence.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from arangolite.functions._args import array_arg, unique, value_key
from arangolite.functions.registry import aql_function


def _arrays(arrays: tuple[Any, ...], fname: str) -> list[list[Any]]:
    return [array_arg(a, fname) for a in arrays]


@aql_function("UNION", 2, None)
def union(*arrays: Any) -> list[Any]:
    """All members of all arrays, duplicates kept."""
    return [v for items in _arrays(arrays, "UNION") for v in items]


@aql_function("UNION_DISTINCT", 2, None)
def union_distinct(*arrays: Any) -> list[Any]:
    """All distinct members of all arrays."""
    return unique(v for items in _arrays(arrays, "UNION_DISTINCT") for v in items)


def _key_counts(lists: list[list[Any]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for items in lists:
        counts.update({value_key(v) for v in items})
    return counts


@aql_function("INTERSECTION", 2, None)
def intersection(*arrays: Any) -> list[Any]:
    """Distinct members present in every array."""
    lists = _arrays(arrays, "INTERSECTION")
    counts = _key_counts(lists)
    return [v for v in unique(lists[0]) if counts[value_key(v)] == len(lists)]


@aql_function("OUTERSECTION", 2, None)
def outersection(*arrays: Any) -> list[Any]:
    """Members that occur in exactly one of the arrays."""
    lists = _arrays(arrays, "OUTERSECTION")
    counts = _key_counts(lists)
    everything = unique(v for items in lists for v in items)
    return [v for v in everything if counts[value_key(v)] == 1]


@aql_function("MINUS", 2, None)
def minus(*arrays: Any) -> list[Any]:
    """Distinct members of the first array absent from all others."""
    first, *others = _arrays(arrays, "MINUS")
    drop = {value_key(v) for items in others for v in items}
    return [v for v in unique(first) if value_key(v) not in drop]


@aql_function("JACCARD", 2)
def jaccard(a: Any, b: Any) -> float | int:
    """Jaccard index of the two arrays as sets (1 for two empty arrays)."""
    left = {value_key(v) for v in array_arg(a, "JACCARD")}
    right = {value_key(v) for v in array_arg(b, "JACCARD")}
    union_size = len(left | right)
    return 1 if union_size == 0 else len(left & right) / union_size
