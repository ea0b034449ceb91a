"""AQL operators on plain values."""

from __future__ import annotations

import json

import pytest
from arango.database import StandardDatabase

from arangolite.aql import operators as op
from arangolite.aql.values import AqlWarning


def test_arithmetic_converts_operands_to_numbers() -> None:
    assert op.add("1", 2) == 3
    assert op.add(None, 1) == 1
    assert op.mul([3], 2) == 6
    assert op.sub("x", 1) == -1


def test_division_is_exact_when_integral_and_warns_on_zero() -> None:
    assert op.div(6, 3) == 2 and type(op.div(6, 3)) is int
    assert op.div(1, 4) == 0.25
    with pytest.raises(AqlWarning) as info:
        op.div(1, 0)
    assert info.value.code == 1562


def test_modulo_keeps_dividend_sign() -> None:
    assert op.mod(-7, 3) == -1
    assert op.mod(7.5, 2) == 1.5


@pytest.mark.parametrize(
    ("a", "b"),
    [(7, 3), (-7, 3), (7, -3), (-7, -3), (0, 5), (-14, 7), (2**53 + 1, 7), (-(2**60) - 3, 10),
     (True, 2), (7, True), (5, 2.5), ("9", 4), (None, 3)],
)
def test_modulo_of_integers_takes_the_general_path_result(a: object, b: object) -> None:
    """The integer fast path answers what the general path (numbers as doubles, fmod) does."""
    general = op._finite(op.math.fmod(op._num(a), op._num(b)))
    if isinstance(general, float) and general.is_integer():
        general = int(general)
    found = op.mod(a, b)
    assert found == general and type(found) is type(general)


def test_a_literal_divisor_other_than_zero_needs_no_guard(db: StandardDatabase) -> None:
    rows = list(db.aql.execute("FOR x IN [7, -7, null, 'a', [2]] RETURN [x % 3, x / 2]"))
    assert rows == [[1, 3.5], [-1, -3.5], [0, 0], [0, 0], [2, 1]]
    cursor = db.aql.execute("FOR x IN [7] RETURN [x % 0, x / 0]")
    assert list(cursor) == [[None, None]]
    warnings = cursor.warnings()
    assert len(warnings) == 2 and {w["code"] for w in warnings} == {1562}


MOD_VALUES = [
    0, 3, 10, 17, -4, -3, 2**53 - 4, 2**53, 2**53 + 3, -(2**60), 3.0, 10.0, 3.5, -11.0, 1e300,
    "3", "10", "x", "", True, False, None, [], [10], [1, 2], {}, {"a": 3},
]


@pytest.mark.parametrize(("divisor", "remainder"), [(7, 3), (7, 3.0), (7, -4), (1, 0), (2, 0.5)])
def test_a_remainder_compared_with_a_literal_answers_as_the_general_path(
    db: StandardDatabase, divisor: int, remainder: float
) -> None:
    """``x % 7 == 3`` (literals on the right of ``%`` and of ``==``, which the compiler answers
    with Python's ``%`` and ``==`` for a whole ``x`` in 0..2**53) keeps what the general path
    (the divisor a bind variable: ``mod`` and AQL's ``==``) keeps, for numbers on both sides
    of the fast range, near-whole doubles, strings, bools, null, arrays and objects; with the
    literal on the left too."""
    fast = (
        f"FOR i IN 0..LENGTH(@v) - 1 FILTER @v[i] % {divisor} == {remainder} RETURN i",
        f"FOR i IN 0..LENGTH(@v) - 1 FILTER {remainder} == @v[i] % {divisor} RETURN i",
    )
    general = "FOR i IN 0..LENGTH(@v) - 1 FILTER @v[i] % @n == @c RETURN i"
    expected = list(
        db.aql.execute(general, bind_vars={"v": MOD_VALUES, "n": divisor, "c": remainder})
    )
    for query in fast:
        assert list(db.aql.execute(query, bind_vars={"v": MOD_VALUES})) == expected, query
    if (divisor, remainder) == (7, 3):
        assert expected == [1, 2, 3, 10, 11, 15, 16, 23], expected  # 3, 10, 17, 3.0, 10.0, "3", "10", [10]


EQ_VALUES = [
    "a", "", "1", "A", None, 0, 1, 1.0, -0.0, True, False, [], [None], ["a"], {}, {"a": None},
    {"a": "a"},
]


@pytest.mark.parametrize("value", EQ_VALUES, ids=repr)
def test_equality_with_a_bind_parameter_answers_as_the_general_path(
    db: StandardDatabase, value: object
) -> None:
    """``x == @c`` (either side; the compiler lets Python's ``==`` decide when ``@c`` is a
    string or null) keeps what the general compare keeps (``@w[0]``, the same value one access
    away), for every kind of ``x``: strings that differ in case or hold a number, null, numbers,
    bools, arrays and objects, also ``[] == [null]``-like pairs."""
    binds = {"v": EQ_VALUES, "c": value, "w": [value]}
    fast = (
        "FOR i IN 0..LENGTH(@v) - 1 FILTER @v[i] == @c RETURN i",
        "FOR i IN 0..LENGTH(@v) - 1 FILTER @c == @v[i] RETURN i",
    )
    general = "FOR i IN 0..LENGTH(@v) - 1 FILTER @v[i] == @w[0] RETURN i"
    expected = list(db.aql.execute(general, bind_vars={k: binds[k] for k in ("v", "w")}))
    assert expected, "the value itself is in the list"
    for query in fast:
        found = list(db.aql.execute(query, bind_vars={k: binds[k] for k in ("v", "c")}))
        assert found == expected, query
    if value is None:
        assert [EQ_VALUES[i] for i in expected] == [None]  # null equals only null
    if value == "a":
        assert [EQ_VALUES[i] for i in expected] == ["a"]


ORDER_VALUES = [
    None, False, True, -1, 0, 1, 1.5, 2, 2.0, 10, 2**53, 2**53 + 1, 1e300, "", "1", "10", "2", "a",
    "b", "ab", [], [1], [1, 2], {}, {"a": 1},
]


@pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
@pytest.mark.parametrize("value", [2, 2.0, 1.5, 2**53, "10", "ab", True, None, [1]], ids=repr)
def test_an_order_compare_with_a_literal_or_bind_value_answers_as_the_general_path(
    db: StandardDatabase, op: str, value: object
) -> None:
    """``x < c`` and the other order operators, ``c`` a literal or a bind parameter on either
    side (the compiler lets Python's operator decide when ``x`` has ``c``'s type), keep what
    the general compare (``@w[0]``, the same value one access away) keeps, over numbers, strings,
    bools, null, arrays and objects."""
    binds = {"v": ORDER_VALUES, "w": [value]}
    general = f"FOR i IN 0..LENGTH(@v) - 1 FILTER @v[i] {op} @w[0] RETURN i"
    expected = list(db.aql.execute(general, bind_vars=binds))
    flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
    literal = json.dumps(value)
    fast = {
        f"FOR i IN 0..LENGTH(@v) - 1 FILTER @v[i] {op} @c RETURN i": {"c": value},
        f"FOR i IN 0..LENGTH(@v) - 1 FILTER @c {flipped} @v[i] RETURN i": {"c": value},
        f"FOR i IN 0..LENGTH(@v) - 1 FILTER @v[i] {op} {literal} RETURN i": {},
        f"FOR i IN 0..LENGTH(@v) - 1 FILTER {literal} {flipped} @v[i] RETURN i": {},
    }
    for query, extra in fast.items():
        found = list(db.aql.execute(query, bind_vars={"v": ORDER_VALUES, **extra}))
        assert found == expected, query
    if (op, value) == ("<", 2):  # the general path's own answer: null, bools, -1 .. 1.5
        assert [ORDER_VALUES[i] for i in expected] == [None, False, True, -1, 0, 1, 1.5]


def test_comparisons_follow_type_order() -> None:
    assert op.lt(None, False) and op.lt(True, 0) and op.lt(99, "") and op.lt("z", [])
    assert op.ge({}, [1, 2, 3])
    assert not op.eq(1, "1")


def test_in_uses_aql_equality() -> None:
    assert op.in_(1, [1.0])
    assert not op.in_(1, [True])
    assert not op.in_("a", "abc")
    assert op.not_in("x", None)


def test_like_patterns() -> None:
    assert op.like("foobar", "foo%")
    assert op.like("f_o", "f\\_o") and not op.like("fxo", "f\\_o")
    assert op.like("a.c", "a_c")
    assert not op.like("FOO", "foo")


def test_regex_operators() -> None:
    assert op.regex_match("hello", "^h.*o$")
    assert op.regex_not_match("hello", "^x")
    with pytest.raises(AqlWarning):
        op.regex_match("a", "(")


def test_ranges_both_directions() -> None:
    assert op.range_(1, 3) == [1, 2, 3]
    assert op.range_(3, 1) == [3, 2, 1]


def test_array_comparison_quantifiers() -> None:
    assert op.array_compare("ALL", "==", [1, 1], 1)
    assert op.array_compare("ANY", ">", [1, 5], 4)
    assert op.array_compare("NONE", "IN", [1, 2], [3])
    assert op.array_compare("AT LEAST", "<", [1, 2, 3], 3, 2)
    assert not op.array_compare("ALL", "==", "notarray", 1)


def test_index_access() -> None:
    assert op.get_index([1, 2, 3], -1) == 3
    assert op.get_index([1, 2, 3], 5) is None
    assert op.get_index({"1": "x"}, 1) == "x"
    assert op.get_index("abc", 0) is None


def test_arrays_compare_equal_through_implicit_trailing_nulls(db: StandardDatabase) -> None:
    """ArangoDB pads the shorter array with nulls: ``[] == [null]``, ``[[]] == [[null, null]]``."""
    query = (
        "RETURN [[] == [null], [null] == [], [[]] == [[null, null]], {a: [1]} == {a: [1, null]},"
        " [] != [null], [] IN [[null]], [] == [false], [1] == [1, 0]]"
    )
    assert list(db.aql.execute(query)) == [[True, True, True, True, False, True, False, False]]


def test_objects_compare_by_attribute_missing_as_null(db: StandardDatabase) -> None:
    """ArangoDB's order of objects: attribute by attribute over both names, missing read as null."""
    query = "RETURN [{} == {a: null}, {b: 1} < {a: 0}, {a: 1} > {b: 0}, [{}] == [{a: null}]]"
    assert list(db.aql.execute(query)) == [[True, True, True, True]]
    rows = [{"b": 1}, {"a": 0}, {}, {"a": None, "b": 0}]
    query = "FOR x IN @rows SORT x RETURN x"
    assert list(db.aql.execute(query, bind_vars={"rows": rows})) == [{}, {"a": None, "b": 0}, {"b": 1}, {"a": 0}]


MIXED = [None, False, True, 0, 1, 1.0, 3, 3.0, -4, 10, 2**53, 2**53 + 1, 2**53 + 3, 2**60, -(2**60),
         1.5, "1", "3", "a", "", [], [1], [3], {}, {"a": 1}]


@pytest.mark.parametrize("literal", ["1", "1.0", "3", "0", "2.5", '"a"', '"1"', '""', "9007199254740993"])
def test_equality_with_a_literal_answers_what_a_bound_value_does(
    db: StandardDatabase, literal: str
) -> None:
    """``x == 1`` / ``1 == x`` are compiled without a call (``_eq_literal``); the general path
    (a bind parameter) is the reference."""
    query = f"FOR x IN @xs RETURN [x == {literal}, {literal} == x, x == @v, @v == x]"
    value = next(iter(db.aql.execute(f"RETURN {literal}")))
    for row in db.aql.execute(query, bind_vars={"xs": MIXED, "v": value}):
        assert row[0] == row[2] and row[1] == row[3], row


@pytest.mark.parametrize("divisor", [1, 3, 7, 2**53])
def test_modulo_by_a_literal_answers_what_a_bound_divisor_does(
    db: StandardDatabase, divisor: int
) -> None:
    query = f"FOR x IN @xs RETURN [x % {divisor}, x % @d]"
    for row in db.aql.execute(query, bind_vars={"xs": MIXED, "d": divisor}):
        assert row[0] == row[1] and type(row[0]) is type(row[1]), row
