"""Strict JSON for request bodies: the values ArangoDB's VelocyPack parser accepts, nothing else.

Python's ``json`` module accepts ``NaN``, ``Infinity`` and ``-Infinity`` (python-arango's default
serializer even sends them), numbers beyond a double's range, lone UTF-16 surrogates and nesting
as deep as the C stack allows. ArangoDB refuses all of them with a 400 (errorNum 600), and so
does :func:`loads`: a value that got in would break index order, arithmetic or serialisation
later, far from its cause.

- integers beyond 64 bits become doubles, as VelocyPack stores them; beyond a double's range
  they are refused;
- nesting deeper than :data:`MAX_NESTING` levels is refused before any recursive code sees it;
- strings must be valid Unicode (no lone surrogates).
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Any

from arangolite.errors import HTTP_CORRUPTED_JSON, ArangoError

__all__ = ["MAX_NESTING", "decode_utf8", "loads", "nesting_depth"]

#: Deepest array/object nesting accepted in a body (documents, bind parameters, options).
MAX_NESTING = 200

_INT_MIN = -(1 << 63)
_UINT_MAX = (1 << 64) - 1
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _bad(message: str) -> ArangoError:
    return ArangoError(HTTP_CORRUPTED_JSON, message=f"VPackError error: {message}")


def _reject_constant(name: str) -> Any:
    raise _bad(
        f"'{name}' is not a JSON number (JSON has no NaN or Infinity); "
        "send null or a finite number instead"
    )


def _parse_int(text: str) -> int | float:
    if len(text) <= 18:
        return int(text)
    if len(text) > 330:
        raise _bad("numeric value out of range: integers must fit in a double")
    value = int(text)
    if _INT_MIN <= value <= _UINT_MAX:
        return value
    return _parse_float(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _bad(f"numeric value out of range: {text[:40]} does not fit in a double")
    return value


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON ``text`` (strings ignored), in C-speed passes."""
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return min(text.count("[") + text.count("{"), MAX_NESTING)
    skeleton = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    return max(accumulate(_STEP[c] for c in skeleton), default=0)


def _strings_valid(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        t = type(item)
        if t is str:
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return False
        elif t is list:
            stack.extend(item)
        elif t is dict:
            stack.extend(item)
            stack.extend(item.values())
    return True


def _scan(value: Any) -> tuple[bool, bool]:
    """One iterative pass over a parsed body: (nests too deep, holds a number that needs checking).

    Numbers to check are integers beyond 64 bits (they become doubles or are refused) and floats
    that overflowed to infinity; both are rare, so the common body is walked once at C-ish speed
    and never re-parsed. Containers go on the stack with their depth; scalars are checked where
    they are met.
    """
    t = type(value)
    if t is not dict and t is not list:
        return False, _special(value)
    special = False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_NESTING:
            return True, special
        for child in item.values() if type(item) is dict else item:
            t = type(child)
            if t is str:
                continue
            if t is dict or t is list:
                stack.append((child, depth + 1))
            elif (t is int and not _INT_MIN <= child <= _UINT_MAX) or (
                t is float and math.isinf(child)
            ):
                special = True
    return False, special


def _special(item: Any) -> bool:
    t = type(item)
    return (t is int and not _INT_MIN <= item <= _UINT_MAX) or (t is float and math.isinf(item))


# one decoder for every body (``json.loads`` with an option builds one per call); json.loads
# itself keeps refusing a leading byte order mark
_decode = json.JSONDecoder(parse_constant=_reject_constant).decode


def loads(text: str) -> Any:
    """Parse a request body the way ArangoDB does; 600 for anything it would refuse."""
    too_deep = f"nesting too deep: at most {MAX_NESTING} levels of arrays and objects"
    try:
        value = _decode(text) if not text.startswith("\ufeff") else json.loads(text)
    except RecursionError:
        raise _bad(too_deep) from None
    except ValueError as exc:
        raise _bad(str(exc.args[0])) from None
    deep, special = _scan(value)
    if deep:
        raise _bad(too_deep)
    if special:  # rare: parse again, converting or refusing each out-of-range number
        value = json.loads(
            text, parse_constant=_reject_constant, parse_int=_parse_int, parse_float=_parse_float
        )
    if _SURROGATE_ESCAPE.search(text) and not _strings_valid(value):
        raise _bad("invalid UTF-16 surrogate in a string: every \\uD800-\\uDFFF escape must be paired")
    return value


def decode_utf8(raw: bytes) -> str:
    """A body's bytes as text; 400 (errorNum 600) when they are not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad(f"invalid UTF-8 sequence at byte {exc.start}: send the body as UTF-8") from None
