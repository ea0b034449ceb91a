"""Type checks and casts (types.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

CHECKS = {
    "IS_NULL": [None],
    "IS_BOOL": [True, False],
    "IS_NUMBER": [0, 1.5, -3],
    "IS_STRING": ["", "a"],
    "IS_ARRAY": [[], [1]],
    "IS_LIST": [[]],
    "IS_OBJECT": [{}, {"a": 1}],
    "IS_DOCUMENT": [{}],
}
SAMPLES = [None, True, 0, 1.5, "", "a", [], {}]


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_type_checks(call: Callable[..., Any], name: str) -> None:
    accepted = {type(p) for p in CHECKS[name]}
    for value in SAMPLES:
        assert call(name, value) is (type(value) in accepted)


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("TYPENAME", (None,), "null"),
        ("TYPENAME", (False,), "bool"),
        ("TYPENAME", (3.5,), "number"),
        ("TYPENAME", ("x",), "string"),
        ("TYPENAME", ([1],), "array"),
        ("TYPENAME", ({"a": 1},), "object"),
        ("IS_KEY", ("abc-_:.@()+,=;$!*'%",), True),
        ("IS_KEY", ("a/b",), False),
        ("IS_KEY", ("",), False),
        ("IS_KEY", (1,), False),
        ("TO_NUMBER", ("  -12.5  ",), -12.5),
        ("TO_NUMBER", ("1e3",), 1000),
        ("TO_NUMBER", ("foo",), 0),
        ("TO_NUMBER", ("1_000",), 0),
        ("TO_NUMBER", (True,), 1),
        ("TO_NUMBER", ([5],), 5),
        ("TO_NUMBER", ([1, 2],), 0),
        ("TO_STRING", (None,), ""),
        ("TO_STRING", (True,), "true"),
        ("TO_STRING", (1.5,), "1.5"),
        ("TO_STRING", (3.0,), "3"),
        ("TO_STRING", ([1, 2, 3],), "[1,2,3]"),
        ("TO_STRING", ({"a": 1},), '{"a":1}'),
        ("TO_BOOL", ("",), False),
        ("TO_BOOL", ("0",), True),
        ("TO_BOOL", ([],), True),
        ("TO_BOOL", (0,), False),
        ("TO_ARRAY", (None,), []),
        ("TO_ARRAY", ("foo",), ["foo"]),
        ("TO_ARRAY", ([1, 2],), [1, 2]),
        ("TO_LIST", ({"a": 1, "b": 2},), [1, 2]),
        ("NOT_NULL", (None, None, 3, 4), 3),
        ("NOT_NULL", (None,), None),
        ("FIRST_LIST", (None, "x", [1], [2]), [1]),
        ("FIRST_DOCUMENT", (None, [1], {"a": 1}), {"a": 1}),
        ("FIRST_DOCUMENT", (None, 1), None),
    ],
)
def test_casts(call: Callable[..., Any], name: str, args: tuple[Any, ...], expected: Any) -> None:
    assert call(name, *args) == expected
