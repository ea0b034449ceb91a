"""Bit functions (bits.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

CASES = [
    ("BIT_AND", ([1, 4, 8, 16],), 0),
    ("BIT_AND", ([3, 7, 63],), 3),
    ("BIT_AND", (255, 127), 127),
    ("BIT_AND", ([None, 3],), 3),
    ("BIT_AND", ([],), None),
    ("BIT_OR", ([1, 4, 8, 16],), 29),
    ("BIT_OR", (255, 127), 255),
    ("BIT_XOR", ([1, 4, 8, 16],), 29),
    ("BIT_XOR", ([3, 7, 63],), 59),
    ("BIT_XOR", (255, 127), 128),
    ("BIT_NEGATE", (0, 8), 255),
    ("BIT_NEGATE", (0, 10), 1023),
    ("BIT_NEGATE", (3, 4), 12),
    ("BIT_POPCOUNT", (0,), 0),
    ("BIT_POPCOUNT", (255,), 8),
    ("BIT_POPCOUNT", (69,), 3),
    ("BIT_SHIFT_LEFT", (0, 1, 8), 0),
    ("BIT_SHIFT_LEFT", (7, 1, 16), 14),
    ("BIT_SHIFT_LEFT", (2, 10, 16), 2048),
    ("BIT_SHIFT_LEFT", (878836, 16, 32), 1760821248),
    ("BIT_SHIFT_RIGHT", (0, 1, 8), 0),
    ("BIT_SHIFT_RIGHT", (33, 1, 16), 16),
    ("BIT_SHIFT_RIGHT", (65536, 13, 16), 8),
    ("BIT_SHIFT_RIGHT", (878836, 4, 32), 54927),
    ("BIT_TEST", (0, 3), False),
    ("BIT_TEST", (255, 0), True),
    ("BIT_TEST", (7, 2), True),
    ("BIT_TEST", (255, 8), False),
    ("BIT_CONSTRUCT", ([1, 2, 3],), 14),
    ("BIT_CONSTRUCT", ([0, 4, 8],), 273),
    ("BIT_CONSTRUCT", ([0, 1, 10, 31],), 2147484675),
    ("BIT_DECONSTRUCT", (14,), [1, 2, 3]),
    ("BIT_DECONSTRUCT", (273,), [0, 4, 8]),
    ("BIT_DECONSTRUCT", (2147484675,), [0, 1, 10, 31]),
    ("BIT_TO_STRING", (7, 4), "0111"),
    ("BIT_TO_STRING", (255, 8), "11111111"),
    ("BIT_TO_STRING", (60, 8), "00111100"),
    ("BIT_TO_STRING", (1048576, 32), "00000000000100000000000000000000"),
    ("BIT_FROM_STRING", ("0111",), 7),
    ("BIT_FROM_STRING", ("101",), 5),
    ("BIT_FROM_STRING", ("001001111",), 79),
    ("BIT_FROM_STRING", ("",), 0),
]


@pytest.mark.parametrize(("name", "args", "expected"), CASES)
def test_bit_function(
    call: Callable[..., Any], name: str, args: tuple[Any, ...], expected: Any
) -> None:
    assert call(name, *args) == expected


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("BIT_AND", ([1, -1],)),
        ("BIT_POPCOUNT", (2**32,)),
        ("BIT_TEST", (1.5, 0)),
        ("BIT_FROM_STRING", ("012",)),
        ("BIT_TO_STRING", (1, 33)),
    ],
)
def test_invalid_operands_warn(warns: Callable[..., int], name: str, args: tuple[Any, ...]) -> None:
    assert warns(name, *args) == 1542
