"""CityHash64, the 64-bit hash ArangoDB's ``minhash`` Analyzer gives each token.

ArangoDB's search library keeps its own copy of Abseil's ``CityHash64`` (``city.cc``) so that the
tokens stored in indexes never change; this is the same function, little-endian, on unsigned
64-bit arithmetic.
"""

from __future__ import annotations

import struct

__all__ = ["city_hash64"]

_MASK = (1 << 64) - 1
_K0 = 0xC3A5C85C97CB3127
_K1 = 0xB492B66FBE98F273
_K2 = 0x9AE16A3B2F90404F
_KMUL = 0x9DDFEA08EB382D69


def _fetch64(data: bytes, at: int) -> int:
    return int(struct.unpack_from("<Q", data, at)[0])


def _fetch32(data: bytes, at: int) -> int:
    return int(struct.unpack_from("<I", data, at)[0])


def _rotate(value: int, shift: int) -> int:
    return value if shift == 0 else ((value >> shift) | (value << (64 - shift))) & _MASK


def _shift_mix(value: int) -> int:
    return value ^ (value >> 47)


def _bswap(value: int) -> int:
    return int.from_bytes(value.to_bytes(8, "little"), "big")


def _len16(u: int, v: int, mul: int = _KMUL) -> int:
    a = ((u ^ v) * mul) & _MASK
    a ^= a >> 47
    b = ((v ^ a) * mul) & _MASK
    b ^= b >> 47
    return (b * mul) & _MASK


def _len0to16(s: bytes) -> int:
    n = len(s)
    if n >= 8:
        mul = _K2 + n * 2
        a = (_fetch64(s, 0) + _K2) & _MASK
        b = _fetch64(s, n - 8)
        c = (_rotate(b, 37) * mul + a) & _MASK
        d = ((_rotate(a, 25) + b) * mul) & _MASK
        return _len16(c, d, mul)
    if n >= 4:
        mul = _K2 + n * 2
        a = _fetch32(s, 0)
        return _len16((n + (a << 3)) & _MASK, _fetch32(s, n - 4), mul)
    if n > 0:
        y = s[0] + (s[n >> 1] << 8)
        z = n + (s[n - 1] << 2)
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _MASK) * _K2) & _MASK
    return _K2


def _len17to32(s: bytes) -> int:
    n = len(s)
    mul = _K2 + n * 2
    a = (_fetch64(s, 0) * _K1) & _MASK
    b = _fetch64(s, 8)
    c = (_fetch64(s, n - 8) * mul) & _MASK
    d = (_fetch64(s, n - 16) * _K2) & _MASK
    return _len16(
        (_rotate((a + b) & _MASK, 43) + _rotate(c, 30) + d) & _MASK,
        (a + _rotate((b + _K2) & _MASK, 18) + c) & _MASK,
        mul,
    )


def _weak32(s: bytes, at: int, a: int, b: int) -> tuple[int, int]:
    w, x, y, z = (_fetch64(s, at + i) for i in (0, 8, 16, 24))
    a = (a + w) & _MASK
    b = _rotate((b + a + z) & _MASK, 21)
    c = a
    a = (a + x + y) & _MASK
    b = (b + _rotate(a, 44)) & _MASK
    return (a + z) & _MASK, (b + c) & _MASK


def _len33to64(s: bytes) -> int:
    n = len(s)
    mul = _K2 + n * 2
    a = (_fetch64(s, 0) * _K2) & _MASK
    b = _fetch64(s, 8)
    c = _fetch64(s, n - 24)
    d = _fetch64(s, n - 32)
    e = (_fetch64(s, 16) * _K2) & _MASK
    f = (_fetch64(s, 24) * 9) & _MASK
    g = _fetch64(s, n - 8)
    h = (_fetch64(s, n - 16) * mul) & _MASK
    u = (_rotate((a + g) & _MASK, 43) + (_rotate(b, 30) + c) * 9) & _MASK
    v = (((a + g) & _MASK ^ d) + f + 1) & _MASK
    w = (_bswap(((u + v) * mul) & _MASK) + h) & _MASK
    x = (_rotate((e + f) & _MASK, 42) + c) & _MASK
    y = ((_bswap(((v + w) * mul) & _MASK) + g) * mul) & _MASK
    z = (e + f + c) & _MASK
    a = (_bswap(((x + z) * mul + y) & _MASK) + b) & _MASK
    b = (_shift_mix(((z + a) * mul + d + h) & _MASK) * mul) & _MASK
    return (b + x) & _MASK


def city_hash64(s: bytes) -> int:
    """Abseil's ``CityHash64`` of ``s`` as an unsigned 64-bit integer."""
    n = len(s)
    if n <= 16:
        return _len0to16(s)
    if n <= 32:
        return _len17to32(s)
    if n <= 64:
        return _len33to64(s)
    x = _fetch64(s, n - 40)
    y = (_fetch64(s, n - 16) + _fetch64(s, n - 56)) & _MASK
    z = _len16((_fetch64(s, n - 48) + n) & _MASK, _fetch64(s, n - 24))
    v = _weak32(s, n - 64, n, z)
    w = _weak32(s, n - 32, (y + _K1) & _MASK, x)
    x = (x * _K1 + _fetch64(s, 0)) & _MASK
    at = 0
    remaining = (n - 1) & ~63
    while True:
        x = (_rotate((x + y + v[0] + _fetch64(s, at + 8)) & _MASK, 37) * _K1) & _MASK
        y = (_rotate((y + v[1] + _fetch64(s, at + 48)) & _MASK, 42) * _K1) & _MASK
        x ^= w[1]
        y = (y + v[0] + _fetch64(s, at + 40)) & _MASK
        z = (_rotate((z + w[0]) & _MASK, 33) * _K1) & _MASK
        v = _weak32(s, at, (v[1] * _K1) & _MASK, (x + w[0]) & _MASK)
        w = _weak32(s, at + 32, (z + w[1]) & _MASK, (y + _fetch64(s, at + 16)) & _MASK)
        x, z = z, x
        at += 64
        remaining -= 64
        if remaining == 0:
            break
    return _len16(
        (_len16(v[0], w[0]) + _shift_mix(y) * _K1 + z) & _MASK,
        (_len16(v[1], w[1]) + x) & _MASK,
    )
