"""Similarity functions: NGRAM_SIMILARITY, NGRAM_POSITIONAL_SIMILARITY and the MINHASH family.

The n-gram measures follow ArangoDB (its search library's ``ngram_similarity``): the longest
common subsequence of the two strings' n-grams (code points, not bytes), scored with full n-gram
matches (NGRAM_SIMILARITY, divided by the target's n-gram count) or with per-position matches
(NGRAM_POSITIONAL_SIMILARITY, divided by the larger n-gram count). ArangoDB computes in single
precision floats; so does this module (``numpy.float32``), so results compare equal.

MINHASH keeps the ``numHashes`` smallest distinct 64-bit hashes of the values (a one-hash-function
MinHash) in the order ArangoDB's max-heap leaves them, each as unpadded base64 of its 8 bytes.
Values are hashed as ArangoDB's ``normalizedHash`` does (see :mod:`._vpack_hash`).
"""

from __future__ import annotations

import base64
import math
import struct
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from arangolite.aql.values import is_number
from arangolite.functions._args import type_warning
from arangolite.functions._heap import make_heap, pop_heap, push_heap
from arangolite.functions._vpack_hash import normalized_hash
from arangolite.functions.registry import aql_function

if TYPE_CHECKING:
    import numpy as np


def _float32() -> type[np.float32]:
    """numpy's float32, imported on first use: registering the functions does not import numpy."""
    import numpy as np

    return np.float32


def _ngram_size(value: Any, fname: str) -> int:
    if not is_number(value) or not 1 <= value < 2**31:
        raise type_warning(fname)
    return int(value)


def ngram_similarity(target: str, source: str, n: int, *, positional: bool) -> float:
    """ArangoDB's n-gram similarity of ``source`` against ``target`` (single precision).

    Step for step as ArangoDB's search library computes it, including the upper-left cell that
    carries over from one row to the next.
    """
    if positional and len(target) > len(source):
        target, source = source, target
    t_len, s_len = len(target), len(source)
    f32 = _float32()
    if t_len < n or s_len < n:
        return _short_similarity(target, source, f32, positional=positional)
    t_count, s_count = t_len - n + 1, s_len - n + 1
    cache = [f32(0)] * (s_count + 1)
    diagonal = f32(0)
    for ti in range(t_count):
        t_gram = target[ti : ti + n]
        for si in range(1, s_count + 1):
            score = _gram_score(t_gram, source[si - 1 : si - 1 + n], n, f32, positional=positional)
            previous = cache[si]
            cache[si] = max(cache[si - 1], cache[si], f32(diagonal + score))
            diagonal = previous
    return float(f32(cache[s_count] / f32(s_count if positional else t_count)))


def _gram_score(
    left: str, right: str, n: int, f32: type[np.float32], *, positional: bool
) -> np.float32:
    if not positional:
        return f32(1 if left == right else 0)
    same = sum(1 for a, b in zip(left, right, strict=True) if a == b)
    return f32(f32(same) / f32(n))


def _short_similarity(target: str, source: str, f32: type[np.float32], *, positional: bool) -> float:
    """Either string is shorter than the n-gram size (``target`` is the shorter if positional)."""
    if not positional:
        return 1.0 if target == source else 0.0
    if not target and not source:
        return 1.0
    matched = sum(1 for a, b in zip(target, source, strict=False) if a == b)
    return float(f32(f32(matched) / f32(len(source))))


def _texts(value: Any, target: Any, size: Any, fname: str) -> tuple[str, str, int]:
    if type(value) is not str or type(target) is not str:
        raise type_warning(fname)
    return value, target, _ngram_size(size, fname)


@aql_function("NGRAM_SIMILARITY", 3)
def ngram_similarity_fn(value: Any, target: Any, size: Any) -> float:
    """Share of ``target``'s n-grams found, in order, in ``value`` (0..1)."""
    text, wanted, n = _texts(value, target, size, "NGRAM_SIMILARITY")
    return ngram_similarity(wanted, text, n, positional=False)


@aql_function("NGRAM_POSITIONAL_SIMILARITY", 3)
def ngram_positional_similarity(value: Any, target: Any, size: Any) -> float:
    """Like NGRAM_SIMILARITY, but partially matching n-grams count by matching positions."""
    text, wanted, n = _texts(value, target, size, "NGRAM_POSITIONAL_SIMILARITY")
    return ngram_similarity(wanted, text, n, positional=True)


def minhash_signature(values: list[Any], size: int) -> list[int]:
    """The ``size`` smallest distinct hashes of ``values``, in ArangoDB's heap order."""
    return smallest_hashes(map(normalized_hash, values), size)


def smallest_hashes(values: Iterable[int], size: int) -> list[int]:
    """The ``size`` smallest distinct of the 64-bit ``values``, in the order ArangoDB's MinHash
    heap leaves them (shared by MINHASH and the ``minhash`` Analyzer)."""
    size = max(size, 1)
    hashes: list[int] = []
    seen: set[int] = set()
    for h in values:
        if len(hashes) < size:
            if h not in seen:
                seen.add(h)
                hashes.append(h)
                if len(hashes) == size:
                    make_heap(hashes)
        elif h < hashes[0] and h not in seen:
            seen.add(h)
            pop_heap(hashes)
            seen.discard(hashes[-1])
            hashes[-1] = h
            push_heap(hashes)
    return hashes


def encode_hash(h: int) -> str:
    """A hash as ArangoDB prints MinHash tokens: unpadded base64 of its 8 little-endian bytes."""
    return base64.b64encode(struct.pack("<Q", h)).decode("ascii").rstrip("=")


@aql_function("MINHASH", 2)
def minhash(values: Any, num_hashes: Any) -> list[str]:
    """MinHash signature of an array of values (base64 strings)."""
    if type(values) is not list or not is_number(num_hashes) or not 1 <= num_hashes < 2**63:
        raise type_warning("MINHASH")
    return [encode_hash(h) for h in minhash_signature(values, int(num_hashes))]


@aql_function("MINHASH_COUNT", 1)
def minhash_count(error: Any) -> int:
    """Signature size needed to stay within the probabilistic ``error`` (0 < error < 1)."""
    if not is_number(error) or not 0 < error < 1:
        raise type_warning("MINHASH_COUNT")
    tolerated = float(error)
    return math.ceil(1.0 / (tolerated * tolerated))


@aql_function("MINHASH_ERROR", 1)
def minhash_error(num_hashes: Any) -> float:
    """Probabilistic error of a MinHash signature of ``num_hashes`` hashes."""
    if not is_number(num_hashes) or not 1 <= num_hashes < 2**63:
        raise type_warning("MINHASH_ERROR")
    return 1.0 / math.sqrt(int(num_hashes))
