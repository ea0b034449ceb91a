"""Aggregate-style functions (aggregates.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

CASES = [
    ("LENGTH", ([1, 2, 3, 4, 5, 6, 7],), 7),
    ("LENGTH", ([],), 0),
    ("LENGTH", (False,), 0),
    ("LENGTH", (True,), 1),
    ("LENGTH", (None,), 0),
    ("LENGTH", (-3.5,), 4),
    ("LENGTH", ("foobar",), 6),
    ("LENGTH", ("电脑坏了",), 4),
    ("LENGTH", ({"a": 1, "b": 2, "c": 3, "d": 4, "e": {"f": 5, "g": 6}},), 5),
    ("COUNT", ([1, 2, None],), 3),
    ("MIN", ([5, 9, -2, None, 1],), -2),
    ("MIN", ([None, None],), None),
    ("MIN", ([],), None),
    ("MAX", ([5, 9, -2, None, 1],), 9),
    ("MAX", ([],), None),
    ("MAX", (["a", 3, [1]],), [1]),
    ("SUM", ([1, 2, 3, 4],), 10),
    ("SUM", ([None, -5, 6.5],), 1.5),
    ("SUM", ([],), 0),
    ("SUM", ([1, "2"],), None),
    ("PRODUCT", ([1, 2, 3, 4],), 24),
    ("PRODUCT", ([],), 1),
    ("AVERAGE", ([5, 2, 9, 2],), 4.5),
    ("AVERAGE", ([-3, -5, 2],), -2),
    ("AVERAGE", ([999, 80, 4, 4, 4, 3, 3, 3],), 137.5),
    ("AVG", ([],), None),
    ("MEDIAN", ([1, 2, 3],), 2),
    ("MEDIAN", ([1, 2, 3, 4],), 2.5),
    ("MEDIAN", ([4, 2, 3, 1],), 2.5),
    ("MEDIAN", ([999, 80, 4, 4, 4, 3, 3, 3],), 4),
    ("MEDIAN", ([],), None),
    ("PERCENTILE", ([1, 2, 3, 4], 50), 2),
    ("PERCENTILE", ([1, 2, 3, 4], 50, "rank"), 2),
    ("PERCENTILE", ([1, 2, 3, 4], 50, "interpolation"), 2.5),
    ("VARIANCE_POPULATION", ([1, 3, 6, 5, 2],), 3.44),
    ("VARIANCE", ([1, 3, 6, 5, 2],), 3.44),
    ("VARIANCE_SAMPLE", ([1, 3, 6, 5, 2],), 4.3),
    ("VARIANCE_SAMPLE", ([1],), None),
    ("STDDEV_POPULATION", ([1, 3, 6, 5, 2],), 1.854723699099141),
    ("STDDEV_SAMPLE", ([1, 3, 6, 5, 2],), 2.0736441353327724),
    ("STDDEV", ([1],), 0),
    ("COUNT_DISTINCT", ([1, 2, 3],), 3),
    ("COUNT_DISTINCT", (["yes", "no", "yes", "sauron", "no", "yes"],), 3),
    ("COUNT_UNIQUE", ([1, 1.0, "1"],), 2),
]


@pytest.mark.parametrize(("name", "args", "expected"), CASES)
def test_aggregate_function(
    call: Callable[..., Any], name: str, args: tuple[Any, ...], expected: Any
) -> None:
    result = call(name, *args)
    if isinstance(expected, float):
        assert result == pytest.approx(expected)
    else:
        assert result == expected


@pytest.mark.parametrize("name", ["SUM", "MIN", "MAX", "AVERAGE", "MEDIAN", "COUNT_DISTINCT"])
def test_non_array_warns_array_expected(warns: Callable[..., int], name: str) -> None:
    assert warns(name, "abc") == 1563


def test_percentile_out_of_range_warns(warns: Callable[..., int]) -> None:
    assert warns("PERCENTILE", [1, 2], 0) == 1542
    assert warns("PERCENTILE", [1, 2], 50, "nearest") == 1542
