"""Shared argument coercion and result helpers for the AQL function families."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from arangolite.aql.values import AqlWarning, normalize_numbers, to_number, to_string
from arangolite.errors import QUERY_ARRAY_EXPECTED, QUERY_FUNCTION_ARGUMENT_TYPE_MISMATCH

__all__ = [
    "arg",
    "array_arg",
    "array_expected",
    "int_arg",
    "list_arg",
    "number_result",
    "object_arg",
    "string_arg",
    "type_warning",
    "unique",
    "value_key",
    "warning",
]


def warning(code: int, message: str) -> AqlWarning:
    """A warning with an explicit code and message."""
    return AqlWarning(code, message)


def type_warning(fname: str) -> AqlWarning:
    """ArangoDB's "invalid argument type" warning (1542) for function ``fname``."""
    return AqlWarning(
        QUERY_FUNCTION_ARGUMENT_TYPE_MISMATCH.num,
        QUERY_FUNCTION_ARGUMENT_TYPE_MISMATCH.template % fname,
    )


def arg(args: tuple[Any, ...], index: int, default: Any = None) -> Any:
    """Optional positional argument ``index`` (``default`` when absent)."""
    return args[index] if len(args) > index else default


def number_result(value: float | int) -> float | int | None:
    """A numeric result as AQL returns it: NaN and infinities become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def int_arg(value: Any) -> int:
    """AQL number conversion, truncated towards zero."""
    number = to_number(value)
    return int(number)


def string_arg(value: Any) -> str:
    """AQL string conversion of an argument."""
    return to_string(value)


def array_arg(value: Any, fname: str) -> list[Any]:
    """The argument if it is an array; warning 1542 otherwise."""
    if type(value) is not list:
        raise type_warning(fname)
    return value


def object_arg(value: Any, fname: str) -> dict[str, Any]:
    """The argument if it is an object; warning 1542 otherwise."""
    if type(value) is not dict:
        raise type_warning(fname)
    return value


def value_key(value: Any) -> str:
    """A hashable key that is equal for AQL-equal values (``1`` and ``1.0`` share one key)."""
    return json.dumps(normalize_numbers(value), sort_keys=True, separators=(",", ":"))


def unique(values: Iterable[Any]) -> list[Any]:
    """The distinct values in first-occurrence order."""
    seen: set[str] = set()
    result = []
    for value in values:
        key = value_key(value)
        if key not in seen:
            seen.add(key)
            result.append(value)
    return result


def array_expected(fname: str) -> AqlWarning:
    """ArangoDB's "array expected" warning (1563), used by the aggregate-style functions."""
    del fname  # the message does not name the function
    return AqlWarning(QUERY_ARRAY_EXPECTED.num, QUERY_ARRAY_EXPECTED.template)


def list_arg(value: Any, fname: str) -> list[Any]:
    """The argument if it is an array; warning 1563 ("array expected") otherwise."""
    if type(value) is not list:
        raise array_expected(fname)
    return value
