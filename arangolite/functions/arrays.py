"""Array functions: access (FIRST, NTH, POSITION), modification (PUSH, REMOVE_NTH, SLICE ...),
ordering (SORTED, UNIQUE) and shape (FLATTEN, INTERLEAVE)."""

from __future__ import annotations

from typing import Any

from arangolite.aql.values import aql_eq, sort_key, to_bool
from arangolite.functions._args import (
    array_arg,
    int_arg,
    list_arg,
    type_warning,
    unique,
    value_key,
)
from arangolite.functions.registry import aql_function


def _array_or_empty(value: Any, fname: str) -> list[Any]:
    """Null counts as an empty array; other non-arrays give warning 1542."""
    return [] if value is None else array_arg(value, fname)


def _contains(values: list[Any], search: Any) -> bool:
    return any(aql_eq(v, search) for v in values)


@aql_function("FIRST", 1)
def first(values: Any) -> Any:
    """The first member (null for an empty array)."""
    items = list_arg(values, "FIRST")
    return items[0] if items else None


@aql_function("LAST", 1)
def last(values: Any) -> Any:
    """The last member (null for an empty array)."""
    items = list_arg(values, "LAST")
    return items[-1] if items else None


@aql_function("NTH", 2)
def nth(values: Any, position: Any) -> Any:
    """The member at ``position`` (0-based); null when out of range."""
    items = list_arg(values, "NTH")
    index = int_arg(position)
    return items[index] if 0 <= index < len(items) else None


@aql_function("POSITION", 2, 3, aliases=("CONTAINS_ARRAY",))
def position(values: Any, search: Any, return_index: Any = False) -> bool | int:
    """Whether ``search`` is a member (or its first index, -1 if absent)."""
    items = array_arg(values, "POSITION")
    index = next((i for i, v in enumerate(items) if aql_eq(v, search)), -1)
    return index if to_bool(return_index) else index >= 0


@aql_function("PUSH", 2, 3)
def push(values: Any, value: Any, unique_only: Any = False) -> list[Any]:
    """A copy with ``value`` appended (not if ``unique`` and already present)."""
    items = _array_or_empty(values, "PUSH")
    if to_bool(unique_only) and _contains(items, value):
        return list(items)
    return [*items, value]


@aql_function("APPEND", 2, 3)
def append(values: Any, more: Any, unique_only: Any = False) -> list[Any]:
    """A copy with the members of ``more`` (or ``more`` itself) appended."""
    items = list(_array_or_empty(values, "APPEND"))
    additions = more if type(more) is list else [more]
    if not to_bool(unique_only):
        return items + additions
    for value in additions:
        if not _contains(items, value):
            items.append(value)
    return items


@aql_function("UNSHIFT", 2, 3)
def unshift(values: Any, value: Any, unique_only: Any = False) -> list[Any]:
    """A copy with ``value`` prepended (not if ``unique`` and already present)."""
    items = _array_or_empty(values, "UNSHIFT")
    if to_bool(unique_only) and _contains(items, value):
        return list(items)
    return [value, *items]


@aql_function("SHIFT", 1)
def shift(values: Any) -> list[Any]:
    """A copy without the first member."""
    return list(_array_or_empty(values, "SHIFT")[1:])


@aql_function("POP", 1)
def pop(values: Any) -> list[Any]:
    """A copy without the last member."""
    return list(_array_or_empty(values, "POP")[:-1])


@aql_function("REMOVE_VALUE", 2, 3)
def remove_value(values: Any, value: Any, limit: Any = None) -> list[Any]:
    """A copy without the members equal to ``value`` (at most ``limit`` removals)."""
    items = _array_or_empty(values, "REMOVE_VALUE")
    budget = -1 if limit is None else int_arg(limit)
    result = []
    for item in items:
        if budget != 0 and aql_eq(item, value):
            budget -= 1
            continue
        result.append(item)
    return result


@aql_function("REMOVE_VALUES", 2)
def remove_values(values: Any, removals: Any) -> list[Any]:
    """A copy without the members equal to any of ``removals``."""
    items = _array_or_empty(values, "REMOVE_VALUES")
    drop = {value_key(v) for v in (removals if type(removals) is list else [removals])}
    return [v for v in items if value_key(v) not in drop]


@aql_function("REMOVE_NTH", 2)
def remove_nth(values: Any, position: Any) -> list[Any]:
    """A copy without the member at ``position`` (negative counts from the end)."""
    items = list(_array_or_empty(values, "REMOVE_NTH"))
    index = int_arg(position)
    if index < 0:
        index += len(items)
    if 0 <= index < len(items):
        del items[index]
    return items


@aql_function("REPLACE_NTH", 3, 4)
def replace_nth(values: Any, position: Any, value: Any, *padding: Any) -> list[Any]:
    """A copy with the member at ``position`` replaced; gaps past the end get ``padding``."""
    items = list(_array_or_empty(values, "REPLACE_NTH"))
    index = int_arg(position)
    if index < 0:
        index = max(0, index + len(items))
    if index > len(items) and not padding:
        raise type_warning("REPLACE_NTH")
    if index >= len(items):
        items.extend([padding[0] if padding else None] * (index - len(items)))
        items.append(value)
    else:
        items[index] = value
    return items


@aql_function("SLICE", 2, 3)
def slice_(values: Any, start: Any, length: Any = None) -> list[Any]:
    """Members from ``start``; ``length`` members, or up to ``length`` from the end if negative."""
    items = array_arg(values, "SLICE")
    begin = int_arg(start)
    if begin < 0:
        begin = max(0, begin + len(items))
    if length is None:
        return items[begin:]
    count = int_arg(length)
    end = count + len(items) if count < 0 else begin + count
    return items[begin:end]


@aql_function("UNIQUE", 1)
def unique_(values: Any) -> list[Any]:
    """Distinct members in first-occurrence order."""
    return unique(list_arg(values, "UNIQUE"))


@aql_function("SORTED", 1)
def sorted_(values: Any) -> list[Any]:
    """Members in AQL sort order."""
    return sorted(list_arg(values, "SORTED"), key=sort_key)


@aql_function("SORTED_UNIQUE", 1)
def sorted_unique(values: Any) -> list[Any]:
    """Distinct members in AQL sort order."""
    return sorted(unique(list_arg(values, "SORTED_UNIQUE")), key=sort_key)


def _flatten(items: list[Any], depth: int) -> list[Any]:
    result: list[Any] = []
    for item in items:
        if type(item) is list and depth > 0:
            result.extend(_flatten(item, depth - 1))
        else:
            result.append(item)
    return result


@aql_function("FLATTEN", 1, 2)
def flatten(values: Any, depth: Any = 1) -> list[Any]:
    """Nested arrays merged into one, down to ``depth`` levels."""
    return _flatten(array_arg(values, "FLATTEN"), int_arg(depth))


@aql_function("INTERLEAVE", 2, None)
def interleave(*arrays: Any) -> list[Any]:
    """Members taken round-robin from each array until all are exhausted."""
    lists = [array_arg(a, "INTERLEAVE") for a in arrays]
    longest = max((len(items) for items in lists), default=0)
    return [items[i] for i in range(longest) for items in lists if i < len(items)]
