"""Numeric functions: rounding, powers, logarithms, trigonometry, RAND and RANGE.

Arguments go through AQL's number conversion; NaN and infinite results become null.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

from arangolite.aql import limits
from arangolite.aql.operators import RANGE_MATERIALIZATION_LIMIT
from arangolite.aql.operators import range_ as range_value
from arangolite.aql.values import to_number
from arangolite.errors import QUERY_NUMBER_OUT_OF_RANGE, ArangoError
from arangolite.functions._args import number_result, type_warning
from arangolite.functions.registry import aql_function

__all__ = ["integral"]



def integral(value: float) -> int | float:
    """An integral float as int when it is exactly representable, else the float itself."""
    if math.isfinite(value) and abs(value) < 2**53:
        return int(value)
    return value


def _math(func: Callable[[float], float], value: Any) -> int | float | None:
    try:
        return number_result(func(float(to_number(value))))
    except (ValueError, OverflowError):
        return None


def _unary(name: str, func: Callable[[float], float]) -> None:
    def impl(value: Any) -> int | float | None:
        return _math(func, value)

    impl.__doc__ = f"AQL {name}(): {func.__name__} of the argument (null when not finite)."
    aql_function(name, 1)(impl)


for _name, _func in {
    "SQRT": math.sqrt,
    "LOG": math.log,
    "LOG2": math.log2,
    "LOG10": math.log10,
    "EXP": math.exp,
    "EXP2": lambda x: math.pow(2.0, x),
    "SIN": math.sin,
    "COS": math.cos,
    "TAN": math.tan,
    "ASIN": math.asin,
    "ACOS": math.acos,
    "ATAN": math.atan,
    "RADIANS": math.radians,
    "DEGREES": math.degrees,
}.items():
    _unary(_name, _func)


def _rounding(value: Any, func: Callable[[float], float]) -> int | float | None:
    number = to_number(value)
    if type(number) is int:
        return number
    return number_result(integral(func(number)))


@aql_function("FLOOR", 1)
def floor(value: Any) -> int | float | None:
    """Largest integer not greater than the value."""
    return _rounding(value, math.floor)


@aql_function("CEIL", 1)
def ceil(value: Any) -> int | float | None:
    """Smallest integer not less than the value."""
    return _rounding(value, math.ceil)


@aql_function("ROUND", 1)
def round_(value: Any) -> int | float | None:
    """Nearest integer; halves round towards positive infinity (``ROUND(-2.5) == -2``)."""
    return _rounding(value, lambda x: math.floor(x + 0.5))


@aql_function("ABS", 1)
def abs_(value: Any) -> int | float:
    """Absolute value."""
    return abs(to_number(value))


@aql_function("POW", 2)
def pow_(base: Any, exponent: Any) -> int | float | None:
    """``base`` raised to ``exponent``."""
    b, e = to_number(base), to_number(exponent)
    if type(b) is int and type(e) is int and 0 <= e <= 64:
        return number_result(float(b**e)) if abs(b**e) >= 2**53 else b**e
    try:
        return number_result(math.pow(float(b), float(e)))
    except (ValueError, OverflowError, ZeroDivisionError):
        return None


@aql_function("ATAN2", 2)
def atan2(y: Any, x: Any) -> float:
    """Arc tangent of y/x in the right quadrant."""
    return math.atan2(float(to_number(y)), float(to_number(x)))


@aql_function("PI", 0)
def pi() -> float:
    """The constant pi."""
    return math.pi


@aql_function("RAND", 0, deterministic=False)
def rand() -> float:
    """A pseudo-random number in [0, 1)."""
    return random.random()


@aql_function("RANGE", 2, 3)
def range_(start: Any, stop: Any, step: Any = None) -> list[int | float]:
    """Numbers from ``start`` to ``stop`` inclusive; without ``step`` the bounds are truncated."""
    if step is None:
        return list(range_value(start, stop))
    lo: int | float = to_number(start)
    hi: int | float = to_number(stop)
    inc: int | float = to_number(step)
    if inc == 0 or (lo < hi and inc < 0) or (lo > hi and inc > 0):
        raise type_warning("RANGE")
    if abs((hi - lo) / inc) > RANGE_MATERIALIZATION_LIMIT:
        raise ArangoError(QUERY_NUMBER_OUT_OF_RANGE, message="range is too big to be materialized")
    limits.charge(int(16 * abs((hi - lo) / inc)))
    result: list[int | float] = []
    current: int | float = lo
    while (inc > 0 and current <= hi) or (inc < 0 and current >= hi):
        result.append(current)
        current += inc
    return result
