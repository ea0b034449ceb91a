"""WINDOW frames: which rows each row aggregates over.

Row-based frames (``WINDOW {preceding: 1, following: 1}``) take neighbouring rows by position.
Range-based frames (``WINDOW value WITH {preceding: 10, following: 5}``) first order the rows by
the range value (a stable sort, as the SORT ArangoDB's optimizer inserts) and take the rows whose
value lies in ``[value - preceding, value + following]``; with ISO 8601 duration bounds
(``"PT30M"``) the value is a timestamp in milliseconds and the bounds are calendar arithmetic.
Frames are found by binary search over the ordered values.
"""

from __future__ import annotations

import bisect
from contextlib import nullcontext
from typing import Any

from arangolite import errors
from arangolite.aql.ordering import Off, off_for
from arangolite.aql.values import is_number, sort_key, to_number
from arangolite.errors import ArangoError
from arangolite.functions.dates import shift_by_duration

__all__ = ["by_range", "range_frames", "row_frames"]

UNBOUNDED = "unbounded"
Frame = tuple[int, int]


def _offset(bound: Any, name: str) -> Any:
    """A numeric offset, ``"unbounded"``, or a duration string, checked."""
    if bound == UNBOUNDED:
        return bound
    if type(bound) is str and bound.upper().startswith("P"):
        return bound.upper()
    if not is_number(bound) or not 0 <= bound < float("inf"):
        raise ArangoError(
            errors.BAD_PARAMETER,
            f"WINDOW '{name}' must be a non-negative number, \"unbounded\" or an ISO duration",
        )
    return bound


def bounds_of(spec: Any) -> tuple[Any, Any]:
    """``(preceding, following)`` of a WINDOW bounds object (missing bounds are 0)."""
    if type(spec) is not dict:
        raise ArangoError(errors.BAD_PARAMETER, "WINDOW bounds must be an object")
    preceding = _offset(spec.get("preceding", 0), "preceding")
    return preceding, _offset(spec.get("following", 0), "following")


def _is_duration(bound: Any) -> bool:
    return type(bound) is str and bound != UNBOUNDED


def row_frames(count: int, preceding: Any, following: Any) -> list[Frame]:
    """``[start, stop)`` of each row's frame by position."""
    if _is_duration(preceding) or _is_duration(following):
        raise ArangoError(
            errors.BAD_PARAMETER, "WINDOW durations need a range value (WINDOW value WITH {...})"
        )
    frames = []
    for index in range(count):
        low = 0 if preceding == UNBOUNDED else max(0, index - int(preceding))
        high = count if following == UNBOUNDED else min(count, index + int(following) + 1)
        frames.append((low, high))
    return frames


def by_range(
    rows: list[Any], preceding: Any, following: Any, off: Off = nullcontext
) -> tuple[list[Any], list[Frame]]:
    """``rows`` (``(inputs, range value, live)``) in ascending AQL order of their range values,
    with each row's frame. ``off``: where the query lets the engine lock go
    (``aql.turns.off_lock_under``), for many rows: the sort and the frames read only the values
    the query holds."""
    with off_for(rows, off):
        ordered = [rows[i] for i in order_by_value([r[1] for r in rows])]
        return ordered, range_frames([r[1] for r in ordered], preceding, following)


def order_by_value(values: list[Any]) -> list[int]:
    """Row indexes in ascending AQL order of their range values (stable)."""
    return sorted(range(len(values)), key=lambda i: sort_key(values[i]))


def _shift(value: float, bound: Any, sign: int) -> float:
    if bound == UNBOUNDED:
        return float("-inf") if sign < 0 else float("inf")
    if type(bound) is str:
        moved = shift_by_duration(int(value), bound, sign)
        if moved is None:
            raise ArangoError(errors.BAD_PARAMETER, f"invalid WINDOW duration '{bound}'")
        return moved
    return float(value + sign * bound)


def range_frames(ordered_values: list[Any], preceding: Any, following: Any) -> list[Frame]:
    """``[start, stop)`` of each row's frame; ``ordered_values`` are in ascending order."""
    keys = [float(to_number(v)) for v in ordered_values]
    frames = []
    for key in keys:
        low = bisect.bisect_left(keys, _shift(key, preceding, -1))
        high = bisect.bisect_right(keys, _shift(key, following, 1), lo=low)
        frames.append((low, high))
    return frames
