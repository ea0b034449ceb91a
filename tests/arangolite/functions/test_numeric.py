"""Numeric functions (numeric.py)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

CASES = [
    ("ABS", (-5,), 5),
    ("ABS", (-5.5,), 5.5),
    ("ABS", ("-3",), 3),
    ("CEIL", (2.49,), 3),
    ("CEIL", (-2.50,), -2),
    ("FLOOR", (2.49,), 2),
    ("FLOOR", (-2.50,), -3),
    ("ROUND", (2.49,), 2),
    ("ROUND", (2.50,), 3),
    ("ROUND", (-2.50,), -2),
    ("ROUND", (-2.51,), -3),
    ("SQRT", (9,), 3),
    ("SQRT", (2,), math.sqrt(2)),
    ("SQRT", (-1,), None),
    ("POW", (2, 4), 16),
    ("POW", (5, -1), 0.2),
    ("POW", (5, 0), 1),
    ("POW", (-1, 0.5), None),
    ("LOG", (2.718281828459045,), 1),
    ("LOG", (0,), None),
    ("LOG2", (1024,), 10),
    ("LOG10", (10000,), 4),
    ("EXP", (0,), 1),
    ("EXP2", (16,), 65536),
    ("SIN", (0,), 0),
    ("COS", (0,), 1),
    ("ATAN2", (0, 0), 0),
    ("DEGREES", (math.pi,), 180),
    ("RADIANS", (180,), math.pi),
    ("PI", (), math.pi),
    ("RANGE", (1, 4), [1, 2, 3, 4]),
    ("RANGE", (1, 4, 2), [1, 3]),
    ("RANGE", (1, 4, 3), [1, 4]),
    ("RANGE", (1.5, 2.5), [1, 2]),
    ("RANGE", (1.5, 2.5, 1), [1.5, 2.5]),
    ("RANGE", (1.5, 2.5, 0.5), [1.5, 2, 2.5]),
    ("RANGE", (-0.75, 1.1, 0.5), [-0.75, -0.25, 0.25, 0.75]),
    ("RANGE", (3, 1), [3, 2, 1]),
]


@pytest.mark.parametrize(("name", "args", "expected"), CASES)
def test_numeric_function(
    call: Callable[..., Any], name: str, args: tuple[Any, ...], expected: Any
) -> None:
    result = call(name, *args)
    if isinstance(expected, float):
        assert result == pytest.approx(expected)
    else:
        assert result == expected


def test_range_with_wrong_step_warns(warns: Callable[..., int]) -> None:
    assert warns("RANGE", 1, 4, 0) == 1542
    assert warns("RANGE", 1, 4, -1) == 1542


def test_rand_is_in_unit_interval(call: Callable[..., Any]) -> None:
    assert all(0 <= call("RAND") < 1 for _ in range(20))
