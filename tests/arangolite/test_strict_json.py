"""Request bodies are parsed as ArangoDB's VelocyPack parser would: what it refuses is a 600."""

from __future__ import annotations

import pytest

from arangolite.errors import ArangoError
from arangolite.strict_json import MAX_NESTING, decode_utf8, loads, nesting_depth


@pytest.mark.parametrize(
    "text",
    [
        "NaN",
        '{"a": Infinity}',
        "[-Infinity]",
        "1e400",
        "-1e309",
        "9" * 400,
        '"\\ud800"',
        '{"\\udc00": 1}',
        '["\\ud800x"]',
        "[" * 10_000 + "]" * 10_000,
        '{"a":' * (MAX_NESTING + 1) + "1" + "}" * (MAX_NESTING + 1),
    ],
)
def test_refused_like_arangodb(text: str) -> None:
    with pytest.raises(ArangoError) as info:
        loads(text)
    assert info.value.error_num == 600 and info.value.http_code == 400


def test_values_arangodb_accepts() -> None:
    assert loads('"\\ud83d\\ude00"') == "\U0001f600"
    assert loads("18446744073709551615") == 2**64 - 1  # uint64 stays an integer
    assert loads("123456789012345678901234567890") == 1.2345678901234568e29  # beyond: a double
    assert loads("-1.5e308") == -1.5e308
    deep = "[" * MAX_NESTING + "]" * MAX_NESTING
    assert nesting_depth(deep) == MAX_NESTING and loads(deep) is not None


def test_brackets_inside_strings_do_not_count() -> None:
    text = '["' + "[" * 5000 + '"]'
    assert nesting_depth(text) == 1 and loads(text) == ["[" * 5000]


def test_non_utf8_is_600() -> None:
    with pytest.raises(ArangoError) as info:
        decode_utf8(b'{"a": "\xff"}')
    assert info.value.error_num == 600 and "UTF-8" in info.value.message
