"""Order-preserving bytes for encoded index values, so SQLite's ``memcmp`` order is AQL's.

:func:`to_bytes` turns a tuple of :func:`arangolite.storage.indexes.encode`-d values into bytes
that compare (bytewise, as SQLite compares BLOBs) exactly as the tuples compare in Python: a type
tag in AQL's type order (null < bool < number < string < array < object), numbers as big-endian
doubles with the sign flipped (``-0.0`` stored as ``0.0``; an integer no double equals, beyond
2**53, adds its distance from the double below it, so it keeps its own place; integers below
the lowest double are stored as minus infinity), strings as UTF-8 (bytewise order is
code-point order, which is how arangolite compares strings) with ``00`` escaped as ``00 FF`` and
ended by ``00 00``, arrays as their items then ``00``, objects as their attributes that are not
null, in name order, each ``01``, its name (a string's bytes, untagged, every byte inverted: ``FF
00`` for an escaped ``00``, ended by ``FF FF``, see :func:`arangolite.storage.indexes.name_key`)
and its value, then ``00``. Every value encodes to a
self-delimiting run whose bytes after it never start with ``FF``, so ``b + FF`` bounds every
entry whose leading values encode to ``b``.
"""

from __future__ import annotations

import math
import struct
import sys
from typing import Any

__all__ = ["END", "first_length", "number_at", "past", "scalar_bytes", "to_bytes", "value_end"]

END = b"\xff"
_PACK = struct.Struct(">d").pack
_SIGN = 1 << 63
_MASK = (1 << 64) - 1
_MAX_DOUBLE = sys.float_info.max
_INEXACT = b"\x80"


def _double(value: float) -> bytes:
    if value == 0:
        value = 0.0
    bits = int.from_bytes(_PACK(value), "big")
    bits = (bits ^ _MASK) if bits & _SIGN else (bits | _SIGN)
    return b"\x03" + bits.to_bytes(8, "big")


def _number(value: float) -> bytes:
    if type(value) is float:
        return _double(value)
    try:
        near = float(value)
    except OverflowError:  # beyond every double
        if value < 0:
            return _double(float("-inf"))
        near = _MAX_DOUBLE
    if near == value:
        return _double(near)
    # An integer no double equals: the nearest double below it, then how far above that it is
    # (``80``, two length bytes, the difference), so it sorts after that double and every key
    # that continues it, and before the next double.
    if near > value:
        near = math.nextafter(near, -math.inf)
    diff = int(value - int(near))
    raw = diff.to_bytes((diff.bit_length() + 7) // 8, "big")
    return _double(near) + _INEXACT + len(raw).to_bytes(2, "big") + raw


def _string(value: str) -> bytes:
    raw = value.encode("utf-8", "surrogatepass")
    if b"\x00" in raw:
        raw = raw.replace(b"\x00", b"\x00\xff")
    return b"\x04" + raw + b"\x00\x00"


def _value(enc: tuple[Any, ...], out: list[bytes]) -> None:
    tag = enc[0]
    if tag == 3:
        out.append(_string(enc[1]))
    elif tag == 2:
        out.append(_number(enc[1]))
    elif tag == 0:
        out.append(b"\x01")
    elif tag == 1:
        out.append(b"\x02\x01" if enc[1] else b"\x02\x00")
    elif tag == 4:
        out.append(b"\x05")
        for item in enc[1]:
            _value(item, out)
        out.append(b"\x00")
    else:
        out.append(b"\x06")
        for name, item in enc[1]:
            out.append(b"\x01" + name)
            _value(item, out)
        out.append(b"\x00")


def to_bytes(values: tuple[Any, ...]) -> bytes:
    """The bytes of a tuple of encoded values (concatenated, each self-delimiting)."""
    if len(values) == 1:
        head = values[0]
        if head[0] == 3:
            return _string(head[1])
        if head[0] == 2:
            return _number(head[1])
    out: list[bytes] = []
    for enc in values:
        _value(enc, out)
    return b"".join(out)


def scalar_bytes(value: Any) -> bytes | None:
    """The bytes of one JSON scalar (``to_bytes((encode(value),))``) straight from the value;
    None for arrays and objects (encode them)."""
    t = type(value)
    if t is str:
        return _string(value)
    if t is int or t is float:
        return _number(value)
    if value is None:
        return b"\x01"
    if t is bool:
        return b"\x02\x01" if value else b"\x02\x00"
    return None


def _skip(data: bytes, pos: int) -> int:
    """Position after the value starting at ``pos``."""
    tag = data[pos]
    if tag == 1:
        return pos + 1
    if tag == 2:
        return pos + 2
    if tag == 3:
        pos += 9
        if data[pos : pos + 1] == _INEXACT:
            pos += 3 + int.from_bytes(data[pos + 1 : pos + 3], "big")
        return pos
    if tag == 4:
        pos += 1
        while True:
            pos = data.index(b"\x00", pos)
            if data[pos + 1] == 0:
                return pos + 2
            pos += 2
    pos += 1
    if tag == 5:
        while data[pos] != 0:
            pos = _skip(data, pos)
        return pos + 1
    while data[pos] != 0:  # object: 01, an inverted name (ended by FF FF), a value
        pos += 1
        while True:
            pos = data.index(b"\xff", pos)
            if data[pos + 1] == 0xFF:
                pos += 2
                break
            pos += 2
        pos = _skip(data, pos)
    return pos + 1


def past(data: bytes) -> bytes:
    """The least bytes above every key whose leading values encode to ``data``.

    That is ``data + END``, unless the last value is a number a double equals: then
    ``data + 80``, below the integers that continue that double's bytes (see :func:`_number`).
    """
    pos = last = 0
    while pos < len(data):
        last, pos = pos, _skip(data, pos)
    exact_number = data[last : last + 1] == b"\x03" and len(data) - last == 9
    return data + (_INEXACT if exact_number else END)


def first_length(data: bytes) -> int:
    """How many bytes the first value of ``data`` takes."""
    return _skip(data, 0)


def value_end(data: bytes, start: int) -> int:
    """Position after the value that starts at ``start`` (a value boundary) of ``data``."""
    return _skip(data, start)


def number_at(data: bytes) -> float | None:
    """The number the first value of ``data`` encodes (None when it is not a number)."""
    if not data or data[0] != 3:
        return None
    bits = int.from_bytes(data[1:9], "big")
    bits = (bits ^ _SIGN) if bits & _SIGN else (bits ^ _MASK)
    return float(struct.unpack(">d", bits.to_bytes(8, "big"))[0])
