"""Array functions (arrays.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

CASES = [
    ("FIRST", ([1, 2, 3],), 1),
    ("FIRST", ([],), None),
    ("LAST", ([1, 2, 3, 4, 5],), 5),
    ("LAST", ([],), None),
    ("NTH", (["foo", "bar", "baz"], 2), "baz"),
    ("NTH", (["foo", "bar", "baz"], 3), None),
    ("NTH", (["foo", "bar", "baz"], -1), None),
    ("POSITION", ([2, 4, 6, 8], 4), True),
    ("POSITION", ([2, 4, 6, 8], 4, True), 1),
    ("POSITION", (["foo", "bar", "baz", "bay"], "baz", True), 2),
    ("POSITION", ([1, 2], "1", True), -1),
    ("CONTAINS_ARRAY", ([1.0, 2], 1), True),
    ("PUSH", ([1, 2, 3], 4), [1, 2, 3, 4]),
    ("PUSH", ([1, 2, 2, 3], 2, True), [1, 2, 2, 3]),
    ("PUSH", (None, 1), [1]),
    ("APPEND", ([1, 2, 3], [5, 6, 9]), [1, 2, 3, 5, 6, 9]),
    ("APPEND", ([1, 2, 3], [3, 4, 5, 2, 9], True), [1, 2, 3, 4, 5, 9]),
    ("APPEND", ([1, 2], 3), [1, 2, 3]),
    ("UNSHIFT", ([1, 2, 3], 4), [4, 1, 2, 3]),
    ("UNSHIFT", ([1, 2, 3], 2, True), [1, 2, 3]),
    ("SHIFT", ([1, 2, 3, 4],), [2, 3, 4]),
    ("SHIFT", ([1],), []),
    ("SHIFT", (None,), []),
    ("POP", ([1, 2, 3, 4],), [1, 2, 3]),
    ("POP", ([1],), []),
    ("REMOVE_VALUE", (["a", "b", "b", "a", "c"], "a"), ["b", "b", "c"]),
    ("REMOVE_VALUE", (["a", "b", "b", "a", "c"], "a", 1), ["b", "b", "a", "c"]),
    ("REMOVE_VALUES", (["a", "a", "b", "c", "d", "e", "f"], ["a", "f", "d"]), ["b", "c", "e"]),
    ("REMOVE_NTH", (["a", "b", "c", "d", "e"], 1), ["a", "c", "d", "e"]),
    ("REMOVE_NTH", (["a", "b", "c", "d", "e"], -2), ["a", "b", "c", "e"]),
    ("REMOVE_NTH", (["a"], 5), ["a"]),
    ("REPLACE_NTH", (["a", "b", "c"], 1, "z"), ["a", "z", "c"]),
    ("REPLACE_NTH", (["a", "b", "c"], 3, "z"), ["a", "b", "c", "z"]),
    ("REPLACE_NTH", (["a", "b", "c"], 6, "z", "y"), ["a", "b", "c", "y", "y", "y", "z"]),
    ("REPLACE_NTH", (["a", "b", "c"], -1, "z"), ["a", "b", "z"]),
    ("REPLACE_NTH", (["a", "b", "c"], -9, "z"), ["z", "b", "c"]),
    ("SLICE", ([1, 2, 3, 4, 5], 0, 1), [1]),
    ("SLICE", ([1, 2, 3, 4, 5], 1, 2), [2, 3]),
    ("SLICE", ([1, 2, 3, 4, 5], 3), [4, 5]),
    ("SLICE", ([1, 2, 3, 4, 5], 1, -1), [2, 3, 4]),
    ("SLICE", ([1, 2, 3, 4, 5], 0, -2), [1, 2, 3]),
    ("SLICE", ([1, 2, 3, 4, 5], -3, 2), [3, 4]),
    ("UNIQUE", ([1, 2, 2, 3, 1.0, "1"],), [1, 2, 3, "1"]),
    ("SORTED", ([8, 4, 2, 10, 6],), [2, 4, 6, 8, 10]),
    ("SORTED", (["b", None, 1, True, [0], {}],), [None, True, 1, "b", [0], {}]),
    ("SORTED_UNIQUE", ([8, 4, 2, 10, 6, 2, 8, 6, 4],), [2, 4, 6, 8, 10]),
    ("FLATTEN", ([1, 2, [3, 4], 5, [6, 7], [8, [9, 10]]],), [1, 2, 3, 4, 5, 6, 7, 8, [9, 10]]),
    ("FLATTEN", ([1, 2, [3, 4], 5, [6, 7], [8, [9, 10]]], 2), list(range(1, 11))),
    ("INTERLEAVE", ([1, 1, 1], [2, 2, 2], [3, 3, 3]), [1, 2, 3, 1, 2, 3, 1, 2, 3]),
    ("INTERLEAVE", ([1], [2, 2], [3, 3, 3]), [1, 2, 3, 2, 3, 3]),
    ("INTERLEAVE", ([1, 2], []), [1, 2]),
]


@pytest.mark.parametrize(("name", "args", "expected"), CASES)
def test_array_function(
    call: Callable[..., Any], name: str, args: tuple[Any, ...], expected: Any
) -> None:
    assert call(name, *args) == expected


def test_modifying_functions_do_not_mutate_their_input(call: Callable[..., Any]) -> None:
    source = [1, 2, 3]
    call("PUSH", source, 4)
    call("REMOVE_NTH", source, 0)
    call("REPLACE_NTH", source, 0, 9)
    assert source == [1, 2, 3]


@pytest.mark.parametrize(
    ("name", "args", "code"),
    [
        ("FIRST", ("abc",), 1563),
        ("NTH", ({"a": 1}, 0), 1563),
        ("PUSH", ("abc", 1), 1542),
        ("SLICE", (5, 1), 1542),
        ("FLATTEN", (None,), 1542),
        ("REPLACE_NTH", (["a"], 5, "z"), 1542),
        ("INTERLEAVE", ([1], "x"), 1542),
    ],
)
def test_wrong_types_warn(
    warns: Callable[..., int], name: str, args: tuple[Any, ...], code: int
) -> None:
    assert warns(name, *args) == code
