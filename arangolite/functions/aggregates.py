"""Aggregate-style functions over an array (also used by COLLECT AGGREGATE and WINDOW).

Nulls are ignored. The numeric ones (SUM, AVERAGE, MEDIAN, PERCENTILE, VARIANCE*, STDDEV*,
PRODUCT) return null when a member is neither null nor a number; a non-array argument gives
null and warning 1563.
"""

from __future__ import annotations

import math
from typing import Any

from arangolite.aql.values import compare, is_number, sort_key, to_string
from arangolite.functions._args import list_arg, number_result, type_warning, unique
from arangolite.functions.registry import aql_function


@aql_function("LENGTH", 1, aliases=("COUNT",))
def length(value: Any) -> int:
    """Members of an array, attributes of an object, characters of a string or number, 0/1 for
    booleans and 0 for null."""
    if value is None or value is False:
        return 0
    if value is True:
        return 1
    if type(value) is list or type(value) is dict:
        return len(value)
    return len(to_string(value))


def _numbers(values: Any, fname: str) -> list[float | int] | None:
    """The non-null members, or None if one of them is not a number."""
    members = [v for v in list_arg(values, fname) if v is not None]
    return members if all(is_number(v) for v in members) else None


@aql_function("MIN", 1)
def min_(values: Any) -> Any:
    """Smallest non-null member in AQL order (null for none)."""
    members = [v for v in list_arg(values, "MIN") if v is not None]
    return min(members, key=sort_key) if members else None


@aql_function("MAX", 1)
def max_(values: Any) -> Any:
    """Largest member in AQL order (null for an empty array)."""
    members = [v for v in list_arg(values, "MAX") if v is not None]
    best = None
    for v in members:
        if best is None or compare(v, best) > 0:
            best = v
    return best


@aql_function("SUM", 1)
def sum_(values: Any) -> int | float | None:
    """Sum of the numbers (0 for an empty array)."""
    numbers = _numbers(values, "SUM")
    return None if numbers is None else number_result(sum(numbers))


@aql_function("PRODUCT", 1)
def product(values: Any) -> int | float | None:
    """Product of the numbers (1 for an empty array)."""
    numbers = _numbers(values, "PRODUCT")
    return None if numbers is None else number_result(math.prod(numbers))


@aql_function("AVERAGE", 1, aliases=("AVG",))
def average(values: Any) -> float | int | None:
    """Arithmetic mean (null for no numbers)."""
    numbers = _numbers(values, "AVERAGE")
    if not numbers:
        return None
    return number_result(sum(numbers) / len(numbers))


@aql_function("MEDIAN", 1)
def median(values: Any) -> float | int | None:
    """Middle value (mean of the two middle values for an even count)."""
    numbers = _numbers(values, "MEDIAN")
    if not numbers:
        return None
    ordered = sorted(numbers)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def _percentile(ordered: list[float | int], border: float, interpolate: bool) -> Any:
    count = len(ordered)
    if count == 1:
        return ordered[0]
    idx = (count + 1) * border / 100.0 if interpolate else count * border / 100.0
    pos = math.floor(idx) if interpolate else math.ceil(idx)
    if pos >= count:
        return ordered[-1]
    if pos <= 0:
        return None
    if not interpolate:
        return ordered[pos - 1]
    delta = idx - pos
    return ordered[pos - 1] + delta * (ordered[pos] - ordered[pos - 1])


@aql_function("PERCENTILE", 2, 3)
def percentile(values: Any, n: Any, method: Any = "rank") -> Any:
    """The ``n``-th percentile (0 < n <= 100) by method "rank" or "interpolation"."""
    numbers = _numbers(values, "PERCENTILE")
    if not is_number(n) or not 0 < n <= 100 or method not in ("rank", "interpolation"):
        raise type_warning("PERCENTILE")
    if not numbers:
        return None
    return _percentile(sorted(numbers), float(n), method == "interpolation")


def _variance(values: Any, fname: str, sample: bool) -> float | None:
    numbers = _numbers(values, fname)
    if numbers is None or len(numbers) < (2 if sample else 1):
        return None
    mean = sum(numbers) / len(numbers)
    squares = sum((x - mean) ** 2 for x in numbers)
    return number_result(squares / (len(numbers) - 1 if sample else len(numbers)))


@aql_function("VARIANCE_POPULATION", 1, aliases=("VARIANCE",))
def variance_population(values: Any) -> float | None:
    """Population variance."""
    return _variance(values, "VARIANCE_POPULATION", sample=False)


@aql_function("VARIANCE_SAMPLE", 1)
def variance_sample(values: Any) -> float | None:
    """Sample variance (null for fewer than two numbers)."""
    return _variance(values, "VARIANCE_SAMPLE", sample=True)


def _sqrt(value: float | None) -> float | None:
    return None if value is None else math.sqrt(value)


@aql_function("STDDEV_POPULATION", 1, aliases=("STDDEV",))
def stddev_population(values: Any) -> float | None:
    """Population standard deviation."""
    return _sqrt(_variance(values, "STDDEV_POPULATION", sample=False))


@aql_function("STDDEV_SAMPLE", 1)
def stddev_sample(values: Any) -> float | None:
    """Sample standard deviation."""
    return _sqrt(_variance(values, "STDDEV_SAMPLE", sample=True))


@aql_function("COUNT_DISTINCT", 1, aliases=("COUNT_UNIQUE",))
def count_distinct(values: Any) -> int:
    """Number of distinct members."""
    return len(unique(list_arg(values, "COUNT_DISTINCT")))
