"""Set-like array functions (sets.py). Result order is unspecified in ArangoDB where noted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from arangolite.aql.values import sort_key


def test_union_keeps_duplicates(call: Callable[..., Any]) -> None:
    assert call("UNION", [1, 2, 3], [1, 2]) == [1, 2, 3, 1, 2]


def test_union_distinct(call: Callable[..., Any]) -> None:
    assert sorted(call("UNION_DISTINCT", [1, 2, 3], [1, 2]), key=sort_key) == [1, 2, 3]


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("INTERSECTION", ([1, 2, 3, 4, 5], [2, 3, 4, 5, 6], [3, 4, 5, 6, 7]), [3, 4, 5]),
        ("INTERSECTION", ([2, 4, 6], [8, 10, 12], [14, 16, 18]), []),
        ("OUTERSECTION", ([1, 2, 3], [2, 3, 4], [3, 4, 5]), [1, 5]),
        ("MINUS", ([1, 2, 3, 4], [3, 4, 5, 6], [5, 6, 7, 8]), [1, 2]),
    ],
)
def test_unordered_set_results(
    call: Callable[..., Any], name: str, args: tuple[Any, ...], expected: list[Any]
) -> None:
    assert sorted(call(name, *args), key=sort_key) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ([1, 2, 3, 4], [3, 4, 5, 6], 1 / 3),
        ([1, 1, 2, 2, 2, 3], [2, 2, 3, 4], 0.5),
        ([1, 2, 3], [], 0),
        ([], [], 1),
    ],
)
def test_jaccard(call: Callable[..., Any], a: list[Any], b: list[Any], expected: float) -> None:
    assert call("JACCARD", a, b) == pytest.approx(expected)


def test_non_array_warns(warns: Callable[..., int]) -> None:
    assert warns("UNION", [1], None) == 1542
    assert warns("JACCARD", "a", []) == 1542
