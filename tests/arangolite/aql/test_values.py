"""AQL value semantics: type order, equality, truthiness, conversions."""

from __future__ import annotations

import pytest

from arangolite.aql.values import (
    aql_eq,
    compare,
    number_to_string,
    sort_key,
    to_bool,
    to_number,
    to_string,
    type_name,
)

ORDERED = [None, False, True, -1, 0, 0.5, 1, "", "a", "b", [], [1], [1, 2], {}, {"b": 0}, {"a": 1}]


def test_cross_type_order_matches_arangodb() -> None:
    shuffled = list(reversed(ORDERED))
    assert sorted(shuffled, key=sort_key) == ORDERED


@pytest.mark.parametrize(("a", "b", "expected"), [
    (1, 1.0, True), (1, True, False), (0, False, False), (None, None, True),
    ("1", 1, False), ([1, 2], [1, 2.0], True), ({"a": 1}, {"a": 1}, True), ([1], [True], False),
])
def test_equality(a: object, b: object, expected: bool) -> None:
    assert aql_eq(a, b) is expected
    assert (compare(a, b) == 0) is expected


def test_objects_compare_by_attribute_missing_as_null() -> None:
    """ArangoDB's examples (AQL "Type and value order"): attribute by attribute over both objects'
    names in order, a missing one read as null."""
    assert compare({}, {"a": None}) == 0 and aql_eq({}, {"a": None})
    assert compare({}, {"a": 1}) < 0
    assert compare({"a": 1}, {"a": 2}) < 0
    assert compare({"b": 1}, {"a": 0}) < 0
    assert compare({"a": {"c": True}}, {"a": {"c": 0}}) < 0
    assert compare({"a": {"c": True, "a": 0}}, {"a": {"c": False, "a": 1}}) < 0
    assert compare({"a": 1, "b": 2}, {"b": 2, "a": 1}) == 0


def test_arrays_compare_elementwise_missing_as_null() -> None:
    assert compare([1], [1, None]) == 0
    assert compare([1], [1, 0]) < 0


@pytest.mark.parametrize(("value", "expected"), [
    (None, False), (False, False), (0, False), (0.0, False), ("", False),
    (True, True), (-1, True), (" ", True), ([], True), ({}, True),
])
def test_truthiness(value: object, expected: bool) -> None:
    assert to_bool(value) is expected


@pytest.mark.parametrize(("value", "expected"), [
    (None, 0), (True, 1), ("12", 12), (" 1.5 ", 1.5), ("abc", 0), ("", 0), ([], 0), ([7], 7),
    ([1, 2], 0), ({}, 0), ("1e3", 1000.0),
])
def test_to_number(value: object, expected: float) -> None:
    assert to_number(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (None, ""), (True, "true"), (1, "1"), (1.0, "1"), (1.5, "1.5"), ([1, "a"], '[1,"a"]'),
    ({"a": None}, '{"a":null}'),
])
def test_to_string(value: object, expected: str) -> None:
    assert to_string(value) == expected


def test_number_to_string_exponents() -> None:
    assert number_to_string(1e21) == "1e+21"
    assert number_to_string(1.5e-7) == "1.5e-7"


def test_type_names() -> None:
    assert [type_name(v) for v in (None, True, 1, "a", [], {})] == [
        "null", "bool", "number", "string", "array", "object",
    ]
