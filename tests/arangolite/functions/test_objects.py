"""Object functions (objects.py)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

DOC = {"foo": {"bar": {"foo": 1, "baz": 2}, "baz": 3}, "baz": 4}

CASES = [
    (
        "MERGE",
        ({"user1": {"name": "Jane"}}, {"user2": {"name": "Tom"}}),
        {"user1": {"name": "Jane"}, "user2": {"name": "Tom"}},
    ),
    (
        "MERGE",
        ({"users": {"name": "Jane"}}, {"users": {"name": "Tom"}}),
        {"users": {"name": "Tom"}},
    ),
    ("MERGE", ([{"a": 1}, {"b": 2}, {"a": 3}],), {"a": 3, "b": 2}),
    (
        "MERGE_RECURSIVE",
        (
            {"user-1": {"name": "Jane", "livesIn": {"city": "LA"}}},
            {"user-1": {"age": 42, "livesIn": {"city": "NY"}}},
        ),
        {"user-1": {"name": "Jane", "livesIn": {"city": "NY"}, "age": 42}},
    ),
    ("UNSET", (DOC, "foo"), {"baz": 4}),
    ("UNSET", (DOC, "bar"), DOC),
    ("UNSET", (DOC, "baz"), {"foo": {"bar": {"foo": 1, "baz": 2}, "baz": 3}}),
    ("UNSET", (DOC, ["foo", "bar"]), {"baz": 4}),
    ("UNSET_RECURSIVE", (DOC, "bar"), {"foo": {"baz": 3}, "baz": 4}),
    ("UNSET_RECURSIVE", (DOC, "baz"), {"foo": {"bar": {"foo": 1}}}),
    ("UNSET_RECURSIVE", (DOC, "foo", "bar"), {"baz": 4}),
    ("UNSET_RECURSIVE", (DOC, "foo", "baz"), {}),
    ("KEEP", (DOC, "foo"), {"foo": {"bar": {"foo": 1, "baz": 2}, "baz": 3}}),
    ("KEEP", (DOC, "bar"), {}),
    ("KEEP", (DOC, ["foo", "baz"]), DOC),
    ("KEEP_RECURSIVE", (DOC, "foo"), {"foo": {}}),
    ("KEEP_RECURSIVE", (DOC, "bar"), {}),
    ("KEEP_RECURSIVE", (DOC, "baz"), {"baz": 4}),
    ("KEEP_RECURSIVE", (DOC, "foo", "bar", "baz"), DOC),
    ("KEEP_RECURSIVE", (DOC, ["foo", "baz"]), {"foo": {"baz": 3}, "baz": 4}),
    ("HAS", ({"name": "Jane"}, "name"), True),
    ("HAS", ({"name": "Jane"}, "age"), False),
    ("HAS", ({"name": None}, "name"), True),
    ("HAS", ("name", "name"), False),
    ("ATTRIBUTES", ({"foo": "bar", "_key": "123", "_custom": "yes"}, True), ["foo"]),
    (
        "ATTRIBUTES",
        ({"foo": "bar", "_key": "123", "_custom": "yes"}, False, True),
        ["_custom", "_key", "foo"],
    ),
    ("KEYS", ({"b": 1, "a": 2}, False, True), ["a", "b"]),
    ("VALUES", ({"_id": "users/jane", "name": "Jane", "age": 35}, True), ["Jane", 35]),
    ("ENTRIES", ({"foo": "bar", "number": 123},), [["foo", "bar"], ["number", 123]]),
    (
        "ZIP",
        (["name", "active", "hobbies"], ["some user", True, ["swimming", "riding"]]),
        {"name": "some user", "active": True, "hobbies": ["swimming", "riding"]},
    ),
    ("VALUE", ({"foo": {"bar": [1, 2, 3]}}, ["foo", "bar", 2]), 3),
    ("VALUE", ({"foo": {"bar": [1, 2, 3]}}, ["foo", "baz"]), None),
    ("VALUE", ({"a": [{"b": 7}]}, ["a", -1, "b"]), 7),
    (
        "TRANSLATE",
        ("FR", {"US": "United States", "UK": "United Kingdom", "FR": "France"}),
        "France",
    ),
    ("TRANSLATE", (42, {"42": "answer"}), "answer"),
    ("TRANSLATE", ("foo", {"bar": "baz"}), "foo"),
    ("TRANSLATE", ("foo", {"bar": "baz"}, "not found!"), "not found!"),
    ("MATCHES", ({"test": 1}, {"test": 1}), True),
    ("MATCHES", ({"test": 1, "foo": "bar"}, [{"test": 2}, {"foo": "bar"}], True), 1),
    ("MATCHES", ({"test": 1}, [{"test": 2}]), False),
    ("MATCHES", ({"test": 1}, [{"test": 2}], True), -1),
]


@pytest.mark.parametrize(("name", "args", "expected"), CASES)
def test_object_function(
    call: Callable[..., Any], name: str, args: tuple[Any, ...], expected: Any
) -> None:
    assert call(name, *args) == expected


def test_functions_leave_input_untouched(call: Callable[..., Any]) -> None:
    before = copy.deepcopy(DOC)
    call("UNSET_RECURSIVE", DOC, "foo")
    call("MERGE_RECURSIVE", DOC, {"foo": {"x": 1}})
    assert before == DOC


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("MERGE", ({"a": 1}, "x")),
        ("UNSET", ("x", "a")),
        ("ATTRIBUTES", (None,)),
        ("ZIP", (["a", "b"], [1])),
        ("TRANSLATE", ("a", "b")),
    ],
)
def test_wrong_types_warn(warns: Callable[..., int], name: str, args: tuple[Any, ...]) -> None:
    assert warns(name, *args) == 1542
