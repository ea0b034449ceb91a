"""Miscellaneous functions: hashes, IPv4 helpers, JSON, FAIL/ASSERT/WARN, IN_RANGE, CALL/APPLY,
PASSTHRU/NOOPT and CHECK_DOCUMENT."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import time
from collections.abc import Callable
from typing import Any

from arangolite.aql import limits
from arangolite.aql.values import compare, is_number, to_bool, to_json, to_number
from arangolite.errors import (
    NOT_IMPLEMENTED,
    QUERY_FAIL_CALLED,
    QUERY_USER_ASSERT,
    QUERY_USER_WARN,
    ArangoError,
)
from arangolite.functions._args import array_arg, string_arg, type_warning
from arangolite.functions.registry import FunctionContext, aql_function, check_arity, lookup
from arangolite.strict_json import MAX_NESTING, nesting_depth

_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4_RE = re.compile(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}")


def _crc32c_table() -> list[int]:
    table = []
    for n in range(256):
        crc = n
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC32C_TABLE = _crc32c_table()


def _digest(name: str, algorithm: Callable[[bytes], Any]) -> None:
    def impl(value: Any) -> str:
        return str(algorithm(string_arg(value).encode("utf-8")).hexdigest())

    impl.__doc__ = f"AQL {name}(): hex digest of the value's string form."
    aql_function(name, 1)(impl)


_digest("MD5", hashlib.md5)
_digest("SHA1", hashlib.sha1)
_digest("SHA256", hashlib.sha256)
_digest("SHA512", hashlib.sha512)


@aql_function("CRC32", 1)
def crc32(value: Any) -> str:
    """CRC-32C (Castagnoli) checksum as upper-case hex without leading zeros."""
    crc = 0xFFFFFFFF
    for byte in string_arg(value).encode("utf-8"):
        crc = _CRC32C_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return format(crc ^ 0xFFFFFFFF, "X")


@aql_function("FNV64", 1)
def fnv64(value: Any) -> str:
    """FNV-1a 64-bit hash as upper-case hex without leading zeros."""
    h = 0xCBF29CE484222325
    for byte in string_arg(value).encode("utf-8"):
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return format(h, "X")


@aql_function("IS_IPV4", 1)
def is_ipv4(value: Any) -> bool:
    """Whether the value is a dotted-decimal IPv4 address (no leading zeros)."""
    return type(value) is str and _IPV4_RE.fullmatch(value) is not None


@aql_function("IPV4_TO_NUMBER", 1)
def ipv4_to_number(value: Any) -> int:
    """The IPv4 address as an unsigned 32-bit number."""
    match = _IPV4_RE.fullmatch(value) if type(value) is str else None
    if match is None:
        raise type_warning("IPV4_TO_NUMBER")
    result = 0
    for octet in match.groups():
        result = result * 256 + int(octet)
    return result


@aql_function("IPV4_FROM_NUMBER", 1)
def ipv4_from_number(value: Any) -> str:
    """The dotted-decimal form of an unsigned 32-bit number."""
    if not is_number(value) or value != int(value) or not 0 <= value < 2**32:
        raise type_warning("IPV4_FROM_NUMBER")
    number = int(value)
    return ".".join(str(number >> shift & 0xFF) for shift in (24, 16, 8, 0))


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


@aql_function("JSON_PARSE", 1)
def json_parse(text: Any) -> Any:
    """Parse a JSON string; invalid input gives null and a warning."""
    if type(text) is not str:
        raise type_warning("JSON_PARSE")
    if nesting_depth(text) > MAX_NESTING:
        raise type_warning("JSON_PARSE")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise type_warning("JSON_PARSE") from exc


@aql_function("JSON_STRINGIFY", 1)
def json_stringify(value: Any) -> str:
    """Compact JSON text of the value."""
    return to_json(value)


@aql_function("FAIL", 0, 1, deterministic=False)
def fail(reason: Any = "") -> Any:
    """Abort the query with error 1569."""
    raise ArangoError(QUERY_FAIL_CALLED, reason if type(reason) is str else "")


@aql_function("ASSERT", 2, deterministic=False)
def assert_(condition: Any, message: Any) -> bool:
    """Abort the query with ``message`` (error 1593) unless ``condition`` is truthy."""
    if not to_bool(condition):
        raise ArangoError(QUERY_USER_ASSERT, string_arg(message))
    return True


@aql_function("WARN", 2, context=True, deterministic=False)
def warn(ctx: FunctionContext, condition: Any, message: Any) -> bool:
    """Record warning 1594 with ``message`` unless ``condition`` is truthy; returns the check."""
    if to_bool(condition):
        return True
    ctx.warn(QUERY_USER_WARN.num, string_arg(message))
    return False


@aql_function("IN_RANGE", 5)
def in_range(value: Any, low: Any, high: Any, include_low: Any, include_high: Any) -> bool:
    """Whether ``value`` lies between ``low`` and ``high`` in AQL order."""
    lower, upper = compare(value, low), compare(value, high)
    above = lower > 0 or (lower == 0 and to_bool(include_low))
    below = upper < 0 or (upper == 0 and to_bool(include_high))
    return above and below


@aql_function("PASSTHRU", 1)
def passthru(value: Any) -> Any:
    """The argument, unchanged."""
    return value


@aql_function("NOOPT", 1, deterministic=False, aliases=("NOEVAL",))
def noopt(value: Any) -> Any:
    """The argument, unchanged; never constant-folded."""
    return value


@aql_function("CHECK_DOCUMENT", 1, deterministic=False)
def check_document(value: Any) -> bool:
    """Whether the value is a valid document (an object)."""
    return type(value) is dict


@aql_function("SLEEP", 1, context=True, deterministic=False)
def sleep(ctx: FunctionContext, seconds: Any) -> None:
    """Pause for ``seconds``; returns null. The engine lock is let go meanwhile, so a sleeping
    query does not hold up other requests (its transaction keeps its snapshot)."""
    end = time.monotonic() + min(max(0.0, float(to_number(seconds))), 1e9)
    trx = getattr(ctx, "trx", None)
    lock = getattr(getattr(getattr(trx, "db", None), "engine", None), "lock", None)
    released = lock.released() if lock is not None else contextlib.nullcontext()
    with limits.uninterrupted(), released:  # a kill or maxRuntime stops it at its next slice
        while (left := end - time.monotonic()) > 0:
            limits.check()
            time.sleep(min(left, 0.05))


def _invoke(ctx: FunctionContext, name: Any, args: list[Any]) -> Any:
    if type(name) is not str:
        raise type_warning("CALL")
    if "::" in name:
        raise ArangoError(NOT_IMPLEMENTED, f"user-defined function {name}")
    spec = lookup(name)
    if spec.name in ("CALL", "APPLY"):
        raise type_warning("CALL")
    check_arity(spec, len(args))
    return spec.impl(ctx, *args) if spec.needs_context else spec.impl(*args)


@aql_function("CALL", 1, None, context=True, deterministic=False)
def call(ctx: FunctionContext, name: Any, *args: Any) -> Any:
    """Call the function named ``name`` with the remaining arguments."""
    return _invoke(ctx, name, list(args))


@aql_function("APPLY", 1, 2, context=True, deterministic=False)
def apply(ctx: FunctionContext, name: Any, args: Any = None) -> Any:
    """Call the function named ``name`` with the members of ``args``."""
    return _invoke(ctx, name, [] if args is None else array_arg(args, "APPLY"))
