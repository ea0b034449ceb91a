"""Vector similarity functions: COSINE_SIMILARITY, L1_DISTANCE, L2_DISTANCE.

Each takes two equally long numeric arrays, or a matrix (array of vectors) and a vector, in
which case the result is an array with one value per row.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from arangolite.aql.values import is_number
from arangolite.functions._args import number_result, type_warning
from arangolite.functions.registry import aql_function

Metric = Callable[[list[float], list[float]], float]


def _vector(value: Any, fname: str) -> list[float]:
    if type(value) is not list or not value or not all(is_number(v) for v in value):
        raise type_warning(fname)
    return [float(v) for v in value]


def _apply(fname: str, metric: Metric, x: Any, y: Any) -> Any:
    right = _vector(y, fname)
    if type(x) is list and x and all(type(row) is list for row in x):
        return [_apply(fname, metric, row, right) for row in x]
    left = _vector(x, fname)
    if len(left) != len(right):
        raise type_warning(fname)
    return number_result(metric(left, right))


def _cosine(a: list[float], b: list[float]) -> float:
    norm = math.sqrt(sum(v * v for v in a)) * math.sqrt(sum(v * v for v in b))
    return sum(p * q for p, q in zip(a, b, strict=True)) / norm if norm else math.nan


@aql_function("COSINE_SIMILARITY", 2)
def cosine_similarity(x: Any, y: Any) -> Any:
    """Cosine similarity of two vectors (or of each matrix row with a vector)."""
    return _apply("COSINE_SIMILARITY", _cosine, x, y)


@aql_function("L1_DISTANCE", 2)
def l1_distance(x: Any, y: Any) -> Any:
    """Manhattan distance of two vectors (or of each matrix row with a vector)."""
    return _apply(
        "L1_DISTANCE", lambda a, b: sum(abs(p - q) for p, q in zip(a, b, strict=True)), x, y
    )


@aql_function("L2_DISTANCE", 2)
def l2_distance(x: Any, y: Any) -> Any:
    """Euclidean distance of two vectors (or of each matrix row with a vector)."""
    return _apply("L2_DISTANCE", lambda a, b: math.dist(a, b), x, y)
