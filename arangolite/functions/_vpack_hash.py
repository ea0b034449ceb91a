"""ArangoDB's ``normalizedHash`` of a value: XXH64 over the value's VelocyPack bytes.

Numbers hash as their IEEE double (so ``1`` and ``1.0`` agree), arrays and objects combine their
members' hashes (objects independently of attribute order), everything else hashes its VelocyPack
encoding. The seed is VelocyPack's default, ``0xdeadbeef``. Used where ArangoDB exposes hash
values, such as MINHASH.
"""

from __future__ import annotations

import struct
from typing import Any

import xxhash

__all__ = ["DEFAULT_SEED", "normalized_hash"]

DEFAULT_SEED = 0xDEADBEEF
_MASK = (1 << 64) - 1
_ARRAY_SALT = 0xBA5BEDF00D
_OBJECT_SALT = 0xF00BA44BA5
_SHORT_STRING_MAX = 126


def _xxh(data: bytes, seed: int) -> int:
    return xxhash.xxh64_intdigest(data, seed & _MASK)


def _string_bytes(text: str) -> bytes:
    raw = text.encode("utf-8")
    if len(raw) <= _SHORT_STRING_MAX:
        return bytes([0x40 + len(raw)]) + raw
    return b"\xbf" + struct.pack("<Q", len(raw)) + raw


def _u64(value: int) -> bytes:
    return struct.pack("<Q", value & _MASK)


def normalized_hash(value: Any, seed: int = DEFAULT_SEED) -> int:
    """The 64-bit hash ArangoDB gives ``value`` (a JSON-like Python value)."""
    t = type(value)
    if t is str:
        return _xxh(_string_bytes(value), seed)
    if t is int or t is float:
        return _xxh(struct.pack("<d", float(value)), seed)
    if value is None:
        return _xxh(b"\x18", seed)
    if t is bool:
        return _xxh(b"\x1a" if value else b"\x19", seed)
    if t is list:
        result = _xxh(_u64(len(value) ^ _ARRAY_SALT), seed)
        for item in value:
            result ^= normalized_hash(item, result)
        return result
    if t is dict:
        base = _xxh(_u64(len(value) ^ _OBJECT_SALT), seed)
        result = base
        for key, item in value.items():
            key_hash = normalized_hash(key, base)
            result ^= key_hash ^ normalized_hash(item, key_hash)
        return result
    raise TypeError(f"not a JSON value: {t.__name__}")
