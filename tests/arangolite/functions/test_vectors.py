"""Vector similarity functions (vectors.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


def test_cosine_similarity(call: Callable[..., Any]) -> None:
    assert call("COSINE_SIMILARITY", [0, 1], [1, 0]) == pytest.approx(0)
    assert call("COSINE_SIMILARITY", [0, 1], [0, 1]) == pytest.approx(1)
    assert call("COSINE_SIMILARITY", [[0, 1], [1, 0]], [0, 1]) == pytest.approx([1, 0])


def test_distances(call: Callable[..., Any]) -> None:
    assert call("L1_DISTANCE", [1, 2], [3, 5]) == 5
    assert call("L2_DISTANCE", [0, 0], [3, 4]) == 5


def test_length_mismatch_warns(warns: Callable[..., int]) -> None:
    assert warns("L2_DISTANCE", [1, 2], [1]) == 1542
