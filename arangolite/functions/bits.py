"""Bit manipulation functions (BIT_AND ... BIT_FROM_STRING) on unsigned 32-bit integers.

Operands outside 0..2^32-1, non-integers and bit counts outside 0..32 give null and warning 1542.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

from arangolite.aql.values import is_number
from arangolite.functions._args import type_warning
from arangolite.functions.registry import aql_function

_LIMIT = 2**32


def _uint(value: Any, fname: str, limit: int = _LIMIT) -> int:
    if not is_number(value) or value != int(value) or not 0 <= value < limit:
        raise type_warning(fname)
    return int(value)


def _bits(value: Any, fname: str) -> int:
    return _uint(value, fname, 33)


def _mask(bits: int) -> int:
    return (1 << bits) - 1


def _fold(fname: str, op: Callable[[int, int], int], first: Any, second: Any) -> int | None:
    if second is not None or type(first) is not list:
        return op(_uint(first, fname), _uint(second, fname))
    values = [_uint(v, fname) for v in first if v is not None]
    return functools.reduce(op, values) if values else None


@aql_function("BIT_AND", 1, 2)
def bit_and(first: Any, second: Any = None) -> int | None:
    """Bitwise AND of two numbers or of an array's numbers (nulls skipped)."""
    return _fold("BIT_AND", operator.and_, first, second)


@aql_function("BIT_OR", 1, 2)
def bit_or(first: Any, second: Any = None) -> int | None:
    """Bitwise OR of two numbers or of an array's numbers (nulls skipped)."""
    return _fold("BIT_OR", operator.or_, first, second)


@aql_function("BIT_XOR", 1, 2)
def bit_xor(first: Any, second: Any = None) -> int | None:
    """Bitwise XOR of two numbers or of an array's numbers (nulls skipped)."""
    return _fold("BIT_XOR", operator.xor, first, second)


@aql_function("BIT_NEGATE", 2)
def bit_negate(value: Any, bits: Any) -> int:
    """The lowest ``bits`` bits of ``value``, inverted."""
    n = _bits(bits, "BIT_NEGATE")
    return ~_uint(value, "BIT_NEGATE") & _mask(n)


@aql_function("BIT_TEST", 2)
def bit_test(value: Any, index: Any) -> bool:
    """Whether bit ``index`` (0..31) of ``value`` is set."""
    return bool(_uint(value, "BIT_TEST") >> _uint(index, "BIT_TEST", 32) & 1)


@aql_function("BIT_POPCOUNT", 1)
def bit_popcount(value: Any) -> int:
    """Number of set bits."""
    return bin(_uint(value, "BIT_POPCOUNT")).count("1")


@aql_function("BIT_SHIFT_LEFT", 3)
def bit_shift_left(value: Any, shift: Any, bits: Any) -> int:
    """``value`` shifted left by ``shift``, keeping the lowest ``bits`` bits."""
    n = _bits(bits, "BIT_SHIFT_LEFT")
    return (_uint(value, "BIT_SHIFT_LEFT") << _bits(shift, "BIT_SHIFT_LEFT")) & _mask(n)


@aql_function("BIT_SHIFT_RIGHT", 3)
def bit_shift_right(value: Any, shift: Any, bits: Any) -> int:
    """``value`` shifted right by ``shift``, keeping the lowest ``bits`` bits."""
    n = _bits(bits, "BIT_SHIFT_RIGHT")
    return (_uint(value, "BIT_SHIFT_RIGHT") >> _bits(shift, "BIT_SHIFT_RIGHT")) & _mask(n)


@aql_function("BIT_CONSTRUCT", 1)
def bit_construct(positions: Any) -> int:
    """A number with the bits at ``positions`` (0..31) set."""
    if type(positions) is not list:
        raise type_warning("BIT_CONSTRUCT")
    return functools.reduce(
        operator.or_, (1 << _uint(p, "BIT_CONSTRUCT", 32) for p in positions), 0
    )


@aql_function("BIT_DECONSTRUCT", 1)
def bit_deconstruct(value: Any) -> list[int]:
    """Positions of the set bits, ascending."""
    number = _uint(value, "BIT_DECONSTRUCT")
    return [i for i in range(32) if number >> i & 1]


@aql_function("BIT_TO_STRING", 2)
def bit_to_string(value: Any, bits: Any) -> str:
    """The lowest ``bits`` bits as a string of 0 and 1."""
    n = _bits(bits, "BIT_TO_STRING")
    number = _uint(value, "BIT_TO_STRING") & _mask(n)
    return format(number, "b").zfill(n) if n else ""


@aql_function("BIT_FROM_STRING", 1)
def bit_from_string(text: Any) -> int:
    """Parse a string of up to 32 characters 0 and 1."""
    if type(text) is not str or len(text) > 32 or set(text) - {"0", "1"}:
        raise type_warning("BIT_FROM_STRING")
    return int(text, 2) if text else 0
