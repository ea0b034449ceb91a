"""AQL value semantics in one place: types, ordering, equality, truthiness and conversions.

ArangoDB orders values across types as ``null < bool < number < string < array < object``;
arrays compare element by element (a missing element counts as null), objects by their sorted
attribute names and then values. Strings compare by code point (ArangoDB's default ICU collation
differs for some non-ASCII text; byte order is what ``SORT`` on a plain string index gives).
"""

from __future__ import annotations

import json
import math
import re
from functools import cmp_to_key
from typing import Any

from arangolite.storage.indexes import encode

__all__ = [
    "AqlWarning",
    "aql_eq",
    "compare",
    "order_key",
    "sort_key",
    "to_array",
    "to_bool",
    "to_number",
    "to_string",
    "type_name",
    "type_rank",
]


class AqlWarning(Exception):
    """Raised by a function or operator that, in ArangoDB, returns null and records a warning.

    The compiler catches it at the call site, appends ``(code, message)`` to the query's warnings
    and uses ``None`` as the value.
    """

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def type_rank(value: Any) -> int:
    """Rank of a value's type in AQL's cross-type order."""
    if value is None:
        return 0
    t = type(value)
    if t is bool:
        return 1
    if t is int or t is float:
        return 2
    if t is str:
        return 3
    if t is list:
        return 4
    if t is dict:
        return 5
    if isinstance(value, bool):
        return 1
    if isinstance(value, (int, float)):
        return 2
    if isinstance(value, tuple):
        return 4
    return 5


_TYPE_NAMES = ("null", "bool", "number", "string", "array", "object")


def type_name(value: Any) -> str:
    """AQL's name of a value's type (as ``TYPENAME`` returns it)."""
    return _TYPE_NAMES[type_rank(value)]


def compare(a: Any, b: Any) -> int:
    """Compare two AQL values; return -1, 0 or 1."""
    ra, rb = type_rank(a), type_rank(b)
    if ra != rb:
        return -1 if ra < rb else 1
    if ra == 0:
        return 0
    if ra <= 3:
        return -1 if a < b else (1 if a > b else 0)
    if ra == 4:
        n = max(len(a), len(b))
        for i in range(n):
            c = compare(a[i] if i < len(a) else None, b[i] if i < len(b) else None)
            if c:
                return c
        return 0
    # ArangoDB's order: attribute by attribute over both objects' names in code point order, a
    # missing attribute read as null (so {} == {a: null} and {b: 1} < {a: 0}).
    for k in sorted(set(a) | set(b)):
        c = compare(a.get(k), b.get(k))
        if c:
            return c
    return 0


sort_key = cmp_to_key(compare)
"""Key function for ``sorted`` giving AQL order."""


def order_key(value: Any) -> tuple[Any, ...]:
    """A natively comparable key giving AQL order: ``order_key(a) < order_key(b)`` exactly when
    ``compare(a, b) < 0``, and equal keys for AQL-equal values (``1`` and ``1.0``, ``[1]`` and
    ``[1, null]``). Much cheaper than :data:`sort_key` (no Python call per comparison). It is the
    encoding sorted indexes keep their entries in, so index order and SORT order are one order."""
    return encode(value)


def aql_eq(a: Any, b: Any) -> bool:
    """AQL ``==``: same type and same value (``1 == 1.0`` but ``1 != true``)."""
    ta, tb = type(a), type(b)
    if ta is tb and (ta is str or ta is int):
        return bool(a == b)
    return compare(a, b) == 0


def to_bool(value: Any) -> bool:
    """AQL truthiness: null, false, 0, "" are false; every array and object is true."""
    if value is None or value is False:
        return False
    t = type(value)
    if t is int or t is float:
        return bool(value != 0)
    if t is str:
        return bool(value != "")
    return True


_NUMBER_RE = re.compile(r"\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*", re.ASCII)


def _str_to_number(text: str) -> float | int:
    if _NUMBER_RE.fullmatch(text) is None:
        return 0
    stripped = text.strip()
    if stripped.lstrip("+-").isdigit():
        return int(stripped)
    number = float(stripped)
    if math.isinf(number) or math.isnan(number):
        return 0
    return number


def to_number(value: Any) -> int | float:
    """AQL's implicit number conversion (``TO_NUMBER``)."""
    if value is None or value is False:
        return 0
    if value is True:
        return 1
    t = type(value)
    if t is int or t is float:
        return value  # type: ignore[no-any-return]
    if t is str:
        return _str_to_number(value)
    if t is list:
        if not value:
            return 0
        if len(value) == 1:
            return to_number(value[0])
        return 0
    return 0


def _shortest_digits(value: float) -> tuple[str, int]:
    """Shortest round-trip digits and exponent K of a positive finite float (value = d * 10**K)."""
    mantissa, _, exp = repr(value).partition("e")
    whole, _, fraction = mantissa.partition(".")
    fraction = fraction.rstrip("0")
    digits = (whole + fraction).lstrip("0") or "0"
    k = int(exp or 0) - len(fraction)
    stripped = digits.rstrip("0")
    return stripped or "0", k + len(digits) - len(stripped or "0")


def number_to_string(value: float | int) -> str:
    """Render a number as ArangoDB does: integers as is, doubles like velocypack's fpconv_dtoa
    (shortest round-trip digits; plain notation for moderate exponents, else ``1.5e+21``)."""
    if type(value) is int:
        return str(value)
    if math.isnan(value) or math.isinf(value):
        return "null"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    digits, k = _shortest_digits(abs(value))
    ndigits = len(digits)
    exp = abs(k + ndigits - 1)
    if k >= 0 and exp < ndigits + 7:
        return sign + digits + "0" * k
    if k < 0 and (k > -7 or exp < 4):
        offset = ndigits + k
        if offset <= 0:
            return f"{sign}0.{'0' * -offset}{digits}"
        return f"{sign}{digits[:offset]}.{digits[offset:]}"
    mantissa = digits[0] + ("." + digits[1:] if ndigits > 1 else "")
    return f"{sign}{mantissa}e{'-' if k + ndigits - 1 < 0 else '+'}{exp}"


def to_string(value: Any) -> str:
    """AQL's implicit string conversion (``TO_STRING``)."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    t = type(value)
    if t is str:
        return value  # type: ignore[no-any-return]
    if t is int or t is float:
        return number_to_string(value)
    return to_json(value)


def to_json(value: Any) -> str:
    """Compact JSON as ArangoDB prints it (no spaces, numbers as AQL renders them)."""
    return json.dumps(normalize_numbers(value), separators=(",", ":"), ensure_ascii=False)


def normalize_numbers(value: Any) -> Any:
    """Turn integral floats into ints so JSON output matches ArangoDB (``1.0`` -> ``1``)."""
    t = type(value)
    if t is float:
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value
    if t is list:
        return [normalize_numbers(v) for v in value]
    if t is dict:
        return {k: normalize_numbers(v) for k, v in value.items()}
    return value


def to_array(value: Any) -> list[Any]:
    """AQL's ``TO_ARRAY``: null -> [], array as is, object -> its values, else [value]."""
    if value is None:
        return []
    if type(value) is list:
        return value
    if type(value) is dict:
        return list(value.values())
    return [value]


def is_number(value: Any) -> bool:
    """True for AQL numbers (Python int or float, never bool)."""
    t = type(value)
    return t is int or t is float
