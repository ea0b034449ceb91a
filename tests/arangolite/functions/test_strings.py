"""String functions (strings.py); expected values from the ArangoDB 3.12 manual and corpus."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

CASES = [
    ("CHAR_LENGTH", ("foo",), 3),
    ("CHAR_LENGTH", ("电脑坏了",), 4),
    ("CONCAT", ("foo", "bar", "baz"), "foobarbaz"),
    ("CONCAT", (1, 2, 3), "123"),
    ("CONCAT", (["foo", "bar", "baz"],), "foobarbaz"),
    ("CONCAT", ([[5, 6], {"foo": "bar"}],), '[5,6]{"foo":"bar"}'),
    ("CONCAT", ("a", None, "b"), "ab"),
    ("CONCAT_SEPARATOR", (", ", "foo", "bar", "baz"), "foo, bar, baz"),
    ("CONCAT_SEPARATOR", (", ", [1, 2, 3]), "1, 2, 3"),
    ("CONCAT_SEPARATOR", (", ", None, False, 0, True, ""), "false, 0, true, "),
    # several arguments: arrays and objects are JSON-encoded whole (empty arrays too)
    ("CONCAT_SEPARATOR", (", ", [5, 6], {"foo": "bar"}), '[5,6], {"foo":"bar"}'),
    ("CONCAT_SEPARATOR", (",", ["a", None], "b", []), '["a",null],b,[]'),
    # one array argument: its members, nested arrays and objects JSON-encoded
    ("CONCAT_SEPARATOR", (", ", [[5, 6], {"foo": "bar"}]), '[5,6], {"foo":"bar"}'),
    ("CONCAT_SEPARATOR", ("-", [None, "a", None]), "a"),
    ("LOWER", ("AVOcado",), "avocado"),
    ("UPPER", ("AVOcado",), "AVOCADO"),
    ("SUBSTRING", ("Holy Guacamole!", 5), "Guacamole!"),
    ("SUBSTRING", ("Holy Guacamole!", 10, 2), "mo"),
    ("SUBSTRING", ("Holy Guacamole!", -5, 4), "mole"),
    ("SUBSTRING_BYTES", ("We ❤️ avocado!", 3, 3), "❤"),
    ("SUBSTRING_BYTES", ("We ❤️ avocado!", -15, 6), "❤️"),
    ("SUBSTRING_BYTES", ("We ❤️ avocado!", 3, 3, 3, 5), "We ❤️ avo"),
    ("LEFT", ("foobar", 3), "foo"),
    ("LEFT", ("foobar", 10), "foobar"),
    ("RIGHT", ("foobar", 3), "bar"),
    ("RIGHT", ("foobar", 10), "foobar"),
    ("TRIM", ("  foo bar  ",), "foo bar"),
    ("TRIM", ("  foobar\t \r\n ",), "foobar"),
    ("TRIM", ("--==[foo-bar]==--", "-=[]"), "foo-bar"),
    ("TRIM", ("  foo  ", 1), "foo  "),
    ("TRIM", ("  foo  ", 2), "  foo"),
    ("LTRIM", ("--==[foo-bar]==--", "-=[]"), "foo-bar]==--"),
    ("RTRIM", ("--==[foo-bar]==--", "-=[]"), "--==[foo-bar"),
    ("SPLIT", ("foo-bar-baz", "-"), ["foo", "bar", "baz"]),
    ("SPLIT", ("foo-bar-baz", "-", 1), ["foo"]),
    ("SPLIT", ("foo, bar & baz", [", ", " & "]), ["foo", "bar", "baz"]),
    ("SPLIT", ("foo", ""), ["f", "o", "o"]),
    ("SUBSTITUTE", ("the quick brown foxx", "quick", "lazy"), "the lazy brown foxx"),
    (
        "SUBSTITUTE",
        ("the quick brown foxx", ["quick", "foxx"], ["slow", "dog"]),
        "the slow brown dog",
    ),
    (
        "SUBSTITUTE",
        ("the quick brown foxx", ["the", "foxx"], ["that", "dog"], 1),
        "that quick brown foxx",
    ),
    (
        "SUBSTITUTE",
        ("the quick brown foxx", ["the", "quick", "foxx"], ["A", "VOID!"]),
        "A VOID! brown ",
    ),
    ("SUBSTITUTE", ("the quick brown foxx", ["quick", "foxx"], "xx"), "the xx brown xx"),
    (
        "SUBSTITUTE",
        ("the quick brown foxx", {"quick": "", "brown": None, "foxx": "ant"}),
        "the   ant",
    ),
    (
        "SUBSTITUTE",
        ("the quick brown foxx", {"quick": "small", "brown": "slow", "foxx": "ant"}, 2),
        "the small slow foxx",
    ),
    ("CONTAINS", ("foobarbaz", "bar"), True),
    ("CONTAINS", ("foobarbaz", "horse"), False),
    ("CONTAINS", ("foobarbaz", "bar", True), 3),
    ("CONTAINS", ("foobarbaz", "horse", True), -1),
    ("FIND_FIRST", ("foobarbaz", "ba"), 3),
    ("FIND_FIRST", ("foobarbaz", "ba", 4), 6),
    ("FIND_FIRST", ("foobarbaz", "ba", 0, 3), -1),
    ("FIND_LAST", ("foobarbaz", "ba"), 6),
    ("FIND_LAST", ("foobarbaz", "ba", 7), -1),
    ("FIND_LAST", ("foobarbaz", "ba", 0, 4), 3),
    ("STARTS_WITH", ("foobar", "foo"), True),
    ("STARTS_WITH", ("foobar", "bar"), False),
    ("STARTS_WITH", ("foobar", ["bar", "foo"]), True),
    ("STARTS_WITH", ("foobar", ["bar", "baz"]), False),
    ("STARTS_WITH", ("foobar", ["foo", "fo", "bar"], 2), True),
    ("REPEAT", ("foo", 3), "foofoofoo"),
    ("REPEAT", ("foo", 3, " | "), "foo | foo | foo"),
    ("REPEAT", (5, 5), "55555"),
    ("REPEAT", ("foo", 0), ""),
    ("REVERSE", ("foobar",), "raboof"),
    ("REVERSE", ("电脑坏了",), "了坏脑电"),
    ("REVERSE", ([2, 4, 6],), [6, 4, 2]),
    ("REVERSE", (None,), None),
]


@pytest.mark.parametrize(("name", "args", "expected"), CASES)
def test_string_function(
    call: Callable[..., Any], name: str, args: tuple[Any, ...], expected: Any
) -> None:
    assert call(name, *args) == expected


def test_substring_bytes_inside_a_character_warns(warns: Callable[..., int]) -> None:
    assert warns("SUBSTRING_BYTES", "We ❤️ avocado!", 4, 3) == 1542


def test_non_string_arguments_are_converted(call: Callable[..., Any]) -> None:
    assert call("UPPER", None) == ""
    assert call("CONTAINS", 12345, 34) is True
    assert call("LEFT", [1, 2], 3) == "[1,"
