"""AQL operators as small Python functions, called by compiled queries.

Each takes plain values and returns plain values, with fast paths for the common same-type cases
and ``values.compare`` for everything else.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from arangolite import errors
from arangolite.aql import limits
from arangolite.aql.values import AqlWarning, compare, to_bool, to_number, type_rank
from arangolite.errors import ArangoError

_NUM = (int, float)


def eq(a: Any, b: Any) -> bool:
    """``a == b``. Python's ``!=`` settles it for scalars, but not for arrays and objects: an array
    ends in implicit nulls (``[] == [null]``, ``{a: [1]} == {a: [1, null]}``), so those compare."""
    if a == b:
        ta = type(a)
        if ta is type(b) and (ta is str or ta is int or ta is float or a is None):
            return True
        return compare(a, b) == 0
    ta = type(a)
    return (ta is list or ta is dict) and ta is type(b) and compare(a, b) == 0


def ne(a: Any, b: Any) -> bool:
    """``a != b``."""
    return not eq(a, b)


# The orderings: Python's operator when both are numbers or both strings (code point order, as
# arangolite compares strings), ``values.compare`` otherwise. The type test is written out in
# each (no helper call): a FILTER calls them for every row.


def lt(a: Any, b: Any) -> bool:
    """``a < b``."""
    ta, tb = type(a), type(b)
    if ((ta is int or ta is float) and (tb is int or tb is float)) or (ta is str and tb is str):
        return a < b  # type: ignore[no-any-return]
    return compare(a, b) < 0


def le(a: Any, b: Any) -> bool:
    """``a <= b``."""
    ta, tb = type(a), type(b)
    if ((ta is int or ta is float) and (tb is int or tb is float)) or (ta is str and tb is str):
        return a <= b  # type: ignore[no-any-return]
    return compare(a, b) <= 0


def gt(a: Any, b: Any) -> bool:
    """``a > b``."""
    ta, tb = type(a), type(b)
    if ((ta is int or ta is float) and (tb is int or tb is float)) or (ta is str and tb is str):
        return a > b  # type: ignore[no-any-return]
    return compare(a, b) > 0


def ge(a: Any, b: Any) -> bool:
    """``a >= b``."""
    ta, tb = type(a), type(b)
    if ((ta is int or ta is float) and (tb is int or tb is float)) or (ta is str and tb is str):
        return a >= b  # type: ignore[no-any-return]
    return compare(a, b) >= 0


def in_(a: Any, arr: Any) -> bool:
    """``a IN arr``: false when ``arr`` is not an array."""
    if type(arr) is not list:
        return False
    ta = type(a)
    if ta is str:
        return a in arr and any(type(x) is str and x == a for x in arr)
    return any(eq(a, x) for x in arr)


def not_in(a: Any, arr: Any) -> bool:
    """``a NOT IN arr``."""
    return not in_(a, arr)


def _num(value: Any) -> int | float:
    t = type(value)
    if t is int or t is float:
        return value  # type: ignore[no-any-return]
    return to_number(value)


def _finite(value: int | float) -> int | float | None:
    if type(value) is float and (math.isinf(value) or math.isnan(value)):
        return None
    return value


def add(a: Any, b: Any) -> int | float | None:
    """``a + b`` (numeric; non-numbers converted, non-finite results become null)."""
    return _finite(_num(a) + _num(b))


def sub(a: Any, b: Any) -> int | float | None:
    """``a - b``."""
    return _finite(_num(a) - _num(b))


def mul(a: Any, b: Any) -> int | float | None:
    """``a * b``."""
    return _finite(_num(a) * _num(b))


def div(a: Any, b: Any) -> int | float | None:
    """``a / b``; division by zero gives null and warning 1562."""
    divisor = _num(b)
    if divisor == 0:
        raise AqlWarning(1562, "division by zero")
    result = _num(a) / divisor
    if result.is_integer() and abs(result) < 2**53:
        return int(result)
    return _finite(result)


def mod(a: Any, b: Any) -> int | float | None:
    """``a % b`` with the sign of the dividend (C semantics); by zero: null + warning 1562."""
    if type(a) is int and type(b) is int and b:  # what the general path gives, without its steps
        return int(math.fmod(a, b))
    divisor = _num(b)
    if divisor == 0:
        raise AqlWarning(1562, "division by zero")
    result = math.fmod(_num(a), divisor)
    if result.is_integer():
        return int(result)
    return _finite(result)


def neg(a: Any) -> int | float | None:
    """Unary minus."""
    return _finite(-_num(a))


def pos(a: Any) -> int | float | None:
    """Unary plus."""
    return _finite(_num(a))


def not_(a: Any) -> bool:
    """``!a``."""
    return not to_bool(a)


@lru_cache(maxsize=512)
def like_pattern(pattern: str, case_insensitive: bool = False) -> re.Pattern[str]:
    """Compile an AQL LIKE pattern (``%``, ``_``, backslash escapes) to a regex."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    from arangolite.functions.regex_engine import compile_pattern  # linear time: `%a%a%a%b` too

    return compile_pattern("(?s)" + "".join(out), case_insensitive)  # type: ignore[no-any-return]


def like(a: Any, pattern: Any) -> bool:
    """``a LIKE pattern`` (case-sensitive)."""
    from arangolite.aql.values import to_string

    return like_pattern(to_string(pattern)).fullmatch(to_string(a)) is not None


def not_like(a: Any, pattern: Any) -> bool:
    """``a NOT LIKE pattern``."""
    return not like(a, pattern)


def regex_match(a: Any, pattern: Any) -> bool | None:
    """``a =~ pattern``."""
    from arangolite.aql.values import to_string
    from arangolite.functions.regex import compile_regex

    return compile_regex(to_string(pattern)).search(to_string(a)) is not None


def regex_not_match(a: Any, pattern: Any) -> bool | None:
    """``a !~ pattern``."""
    result = regex_match(a, pattern)
    return None if result is None else not result


#: Most values a range may be turned into a list of (ArangoDB's Range::MaterializationLimit).
RANGE_MATERIALIZATION_LIMIT = 10_000_000
_INT64 = 1 << 63


def _bound(value: Any) -> int:
    number = _num(value)
    if type(number) is float and not math.isfinite(number):
        return 0
    return max(-_INT64, min(_INT64 - 1, int(number)))


def range_iter(low: Any, high: Any) -> range:
    """``low .. high`` without building it: ``FOR i IN 1..1e8`` iterates lazily."""
    lo, hi = _bound(low), _bound(high)
    return range(lo, hi + 1) if lo <= hi else range(lo, hi - 1, -1)


def range_(low: Any, high: Any) -> list[int]:
    """``low .. high`` as a value: integers from low to high inclusive (descending if low > high).

    More than ten million values is ArangoDB's 1504 (range too big to be materialized).
    """
    lo, hi = range_span(low, high)
    if hi - lo >= RANGE_MATERIALIZATION_LIMIT:
        raise ArangoError(errors.QUERY_NUMBER_OUT_OF_RANGE, message="range is too big to be materialized")
    limits.charge(16 * (hi - lo + 1))
    return list(range_iter(low, high))


def range_span(low: Any, high: Any) -> tuple[int, int]:
    """The smallest and largest value of ``low .. high``."""
    lo, hi = _bound(low), _bound(high)
    return (lo, hi) if lo <= hi else (hi, lo)


def in_range(a: Any, low: Any, high: Any) -> bool:
    """``a IN low .. high`` as a bounds check (the range is never built)."""
    t = type(a)
    if t is not int and (t is not float or not a.is_integer()):
        return False
    lo, hi = range_span(low, high)
    return bool(lo <= a <= hi)


def not_in_range(a: Any, low: Any, high: Any) -> bool:
    """``a NOT IN low .. high``."""
    return not in_range(a, low, high)


COMPARATORS = {
    "==": eq,
    "!=": ne,
    "<": lt,
    "<=": le,
    ">": gt,
    ">=": ge,
    "IN": in_,
    "NOT IN": not_in,
}

BINARY = {
    **COMPARATORS,
    "+": add,
    "-": sub,
    "*": mul,
    "/": div,
    "%": mod,
    "LIKE": like,
    "NOT LIKE": not_like,
    "=~": regex_match,
    "!~": regex_not_match,
}


def array_compare(quantifier: str, op: str, left: Any, right: Any, at_least: Any = None) -> bool:
    """``left ALL|ANY|NONE|AT LEAST (n) op right``: left must be an array (else false)."""
    if type(left) is not list:
        return False
    fn = COMPARATORS[op]
    hits = sum(1 for item in left if fn(item, right))
    if quantifier == "ALL":
        return hits == len(left)
    if quantifier == "ANY":
        return hits > 0
    if quantifier == "NONE":
        return hits == 0
    return hits >= int(_num(at_least))


def get_attr(obj: Any, name: str) -> Any:
    """``obj.name``: null unless ``obj`` is an object."""
    return obj.get(name) if type(obj) is dict else None


def get_index(obj: Any, index: Any) -> Any:
    """``obj[index]``: array position (negative from the end) or attribute name."""
    t = type(obj)
    if t is list:
        ti = type(index)
        if ti is str:
            try:
                index = int(index)
            except ValueError:
                return None
        elif ti is not int and ti is not float:
            return None
        pos_ = int(index)
        if pos_ < 0:
            pos_ += len(obj)
        return obj[pos_] if 0 <= pos_ < len(obj) else None
    if t is dict:
        if type(index) is str:
            return obj.get(index)
        if type_rank(index) == 2:
            from arangolite.aql.values import to_string

            return obj.get(to_string(index))
    return None
