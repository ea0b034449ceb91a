"""Hashes, IPv4, JSON, FAIL/ASSERT/WARN, IN_RANGE, CALL/APPLY (misc.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from arangolite.errors import ArangoError
from tests.arangolite.functions.conftest import MemoryContext

CASES = [
    ("MD5", ("foobar",), "3858f62230ac3c915f300c664312c63f"),
    ("SHA1", ("foobar",), "8843d7f92416211de9ebb963ff4ce28125932878"),
    ("SHA256", ("foobar",), "c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2"),
    (
        "SHA512",
        ("foobar",),
        "0a50261ebd1a390fed2bf326f2673c145582a6342d523204973d0219337f8161"
        "6a8069b012587cf5635f6925f1b56c360230c19b273500ee013e030601bf2425",
    ),
    ("CRC32", ("foobar",), "D5F5C7F"),
    ("FNV64", ("foobar",), "85944171F73967E8"),
    ("IS_IPV4", ("127.0.0.1",), True),
    ("IS_IPV4", ("8.8.8.8",), True),
    ("IS_IPV4", ("008.008.008.008",), False),
    ("IS_IPV4", ("12345.2.3.4",), False),
    ("IS_IPV4", (12345,), False),
    ("IPV4_TO_NUMBER", ("8.8.8.8",), 134744072),
    ("IPV4_TO_NUMBER", ("127.0.0.1",), 2130706433),
    ("IPV4_TO_NUMBER", ("192.168.0.1",), 3232235521),
    ("IPV4_FROM_NUMBER", (0,), "0.0.0.0"),
    ("IPV4_FROM_NUMBER", (134744072,), "8.8.8.8"),
    ("IPV4_FROM_NUMBER", (3232235521,), "192.168.0.1"),
    ("JSON_PARSE", ("123",), 123),
    ("JSON_PARSE", ("[true, false, null, -0.5]",), [True, False, None, -0.5]),
    ("JSON_PARSE", ('{"a": 1}',), {"a": 1}),
    ("JSON_PARSE", ('"abc"',), "abc"),
    ("JSON_STRINGIFY", ("1",), '"1"'),
    ("JSON_STRINGIFY", ([1, {"2": 0.5}],), '[1,{"2":0.5}]'),
    ("IN_RANGE", (4, 3, 5, True, True), True),
    ("IN_RANGE", (4, 1, 4, True, False), False),
    ("IN_RANGE", ("fox grape", "fo", "fp", True, False), True),
    ("IN_RANGE", ("fungus", "fo", "fp", True, False), False),
    ("PASSTHRU", ([1],), [1]),
    ("NOOPT", (2,), 2),
    ("CHECK_DOCUMENT", ({"a": 1},), True),
    ("CHECK_DOCUMENT", ([1],), False),
    ("ASSERT", (True, "never"), True),
]


@pytest.mark.parametrize(("name", "args", "expected"), CASES)
def test_misc_function(
    call: Callable[..., Any], name: str, args: tuple[Any, ...], expected: Any
) -> None:
    assert call(name, *args) == expected


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("JSON_PARSE", ("abc",)),
        ("JSON_PARSE", ("NaN",)),
        ("JSON_PARSE", (17,)),
        ("IPV4_TO_NUMBER", ("1.2.3",)),
        ("IPV4_FROM_NUMBER", (2**32,)),
    ],
)
def test_invalid_input_warns(warns: Callable[..., int], name: str, args: tuple[Any, ...]) -> None:
    assert warns(name, *args) == 1542


def test_fail_raises_1569(call: Callable[..., Any]) -> None:
    with pytest.raises(ArangoError) as info:
        call("FAIL", "boom")
    assert (info.value.error_num, info.value.message) == (1569, "FAIL(boom) called")


def test_assert_raises_1593(call: Callable[..., Any]) -> None:
    with pytest.raises(ArangoError) as info:
        call("ASSERT", 1 == 2, "does not hold")
    assert (info.value.error_num, info.value.message) == (1593, "does not hold")


def test_warn_records_1594(call: Callable[..., Any], ctx: MemoryContext) -> None:
    assert call("WARN", True, "fine", ctx=ctx) is True
    assert call("WARN", False, "careful", ctx=ctx) is False
    assert ctx.warnings == [(1594, "careful")]


def test_call_and_apply(call: Callable[..., Any]) -> None:
    assert call("CALL", "SUBSTRING", "this is a test", 0, 4) == "this"
    assert call("APPLY", "SUBSTRING", ["this is a test", 0, 7]) == "this is"
    assert call("CALL", "document", "persons/bob")["name"] == "Bob"
    with pytest.raises(ArangoError) as info:
        call("CALL", "SUBSTRING", "x")
    assert info.value.error_num == 1541
