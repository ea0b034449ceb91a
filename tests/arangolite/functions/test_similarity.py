"""NGRAM_SIMILARITY, NGRAM_POSITIONAL_SIMILARITY and the MINHASH family (similarity.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from arangolite.functions._heap import make_heap, pop_heap, push_heap


def f32(numerator: int, denominator: int) -> float:
    """What ArangoDB's single-precision division gives, as a double."""
    return float(np.float32(numerator) / np.float32(denominator))


CASES = [
    # ArangoDB's documented examples (string functions, aqlNgramSimilarity and friends)
    ("NGRAM_SIMILARITY", ("quick fox", "quick foxx", 2), f32(8, 9)),
    ("NGRAM_SIMILARITY", ("quick fox", "quick foxx", 3), 0.875),
    ("NGRAM_SIMILARITY", ("quick fox", "quirky fox", 2), f32(5, 9)),
    ("NGRAM_SIMILARITY", ("quick fox", "quirky fox", 3), 0.375),
    ("NGRAM_SIMILARITY", ("avocado", "vocals", 3), 0.5),
    ("NGRAM_POSITIONAL_SIMILARITY", ("quick fox", "quick foxx", 2), f32(8, 9)),
    ("NGRAM_POSITIONAL_SIMILARITY", ("quick fox", "quick foxx", 3), 0.875),
    ("NGRAM_POSITIONAL_SIMILARITY", ("avocado", "vocals", 3), f32(3, 5)),
    # the measure is symmetric for the positional form only
    ("NGRAM_POSITIONAL_SIMILARITY", ("vocals", "avocado", 3), f32(3, 5)),
    ("NGRAM_SIMILARITY", ("vocals", "avocado", 3), f32(2, 5)),
    # strings shorter than the n-gram size
    ("NGRAM_SIMILARITY", ("ab", "ab", 3), 1.0),
    ("NGRAM_SIMILARITY", ("ab", "ac", 3), 0.0),
    ("NGRAM_POSITIONAL_SIMILARITY", ("", "", 2), 1.0),
    ("NGRAM_POSITIONAL_SIMILARITY", ("ab", "abcd", 3), 0.5),
    # code points, not bytes
    ("NGRAM_SIMILARITY", ("fünf", "fünf", 2), 1.0),
    ("MINHASH", (["foo", "bar", "baz"], 5), ["OmvEOSfAYs8", "Jcz+LQgakgs", "YfBzyXaSXIA"]),
    ("MINHASH", (["foo", "foo", "bar"], 5), ["OmvEOSfAYs8", "Jcz+LQgakgs"]),
    ("MINHASH", ([], 2), []),
    ("MINHASH_COUNT", (0.05,), 400),
    ("MINHASH_ERROR", (400,), 0.05),
]


@pytest.mark.parametrize(("name", "args", "expected"), CASES)
def test_similarity_function(
    call: Callable[..., Any], name: str, args: tuple[Any, ...], expected: Any
) -> None:
    assert call(name, *args) == expected


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("NGRAM_SIMILARITY", ("a", "b", 0)),
        ("NGRAM_SIMILARITY", (1, "b", 2)),
        ("NGRAM_POSITIONAL_SIMILARITY", ("a", None, 2)),
        ("MINHASH", ("foo", 2)),
        ("MINHASH", (["foo"], 0)),
        ("MINHASH_COUNT", (1,)),
        ("MINHASH_COUNT", (0,)),
        ("MINHASH_ERROR", (0,)),
    ],
)
def test_bad_arguments_warn(warns: Callable[..., int], name: str, args: tuple[Any, ...]) -> None:
    assert warns(name, *args) == 1542


def test_minhash_keeps_the_smallest_distinct_hashes(call: Callable[..., Any]) -> None:
    values = [f"v{i}" for i in range(200)]
    small = call("MINHASH", values, 8)
    assert len(small) == len(set(small)) == 8
    every = call("MINHASH", values, 200)
    assert set(small) <= set(every)
    # the same values in another order keep the same set of hashes
    assert set(call("MINHASH", list(reversed(values)), 8)) == set(small)


def test_minhash_hashes_equal_numbers_alike(call: Callable[..., Any]) -> None:
    assert call("MINHASH", [1], 1) == call("MINHASH", [1.0], 1)
    assert call("MINHASH", [{"a": 1, "b": 2}], 1) == call("MINHASH", [{"b": 2, "a": 1}], 1)
    assert call("MINHASH", [[1, 2]], 1) != call("MINHASH", [[2, 1]], 1)


def test_heap_steps_keep_a_max_heap() -> None:
    heap = [5, 1, 9, 3, 7, 2]
    make_heap(heap)
    assert heap[0] == 9
    assert all(heap[(i - 1) // 2] >= heap[i] for i in range(1, len(heap)))
    pop_heap(heap)
    assert heap[-1] == 9
    heap[-1] = 4
    push_heap(heap)
    assert heap[0] == 7
    assert all(heap[(i - 1) // 2] >= heap[i] for i in range(1, len(heap)))
