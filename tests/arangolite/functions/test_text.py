"""Encodings, SOUNDEX, LEVENSHTEIN_DISTANCE, TOKENS, UUID, RANDOM_TOKEN (text.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

CASES = [
    ("ENCODE_URI_COMPONENT", ("fünf %",), "f%C3%BCnf%20%25"),
    ("ENCODE_URI_COMPONENT", ("a-b_c.d!e~f*g'h(i)",), "a-b_c.d!e~f*g'h(i)"),
    ("TO_BASE64", ("ABC.",), "QUJDLg=="),
    ("TO_HEX", ("ABC.",), "4142432e"),
    ("SOUNDEX", ("example",), "E251"),
    ("SOUNDEX", ("ekzampul",), "E251"),
    ("SOUNDEX", ("soundex",), "S532"),
    ("SOUNDEX", ("sounteks",), "S532"),
    ("SOUNDEX", ("",), ""),
    ("LEVENSHTEIN_DISTANCE", ("foobar", "bar"), 3),
    ("LEVENSHTEIN_DISTANCE", (" ", ""), 1),
    (
        "LEVENSHTEIN_DISTANCE",
        (
            "The quick brown fox jumps over the lazy dog",
            "The quick black dog jumps over the brown fox",
        ),
        13,
    ),
    ("LEVENSHTEIN_DISTANCE", ("der mötör trötet", "der trötet"), 6),
    ("TO_CHAR", (216,), "\u00d8"),
    ("TO_CHAR", (0x1F951,), "\U0001f951"),
    ("TO_CHAR", (65.0,), "A"),
]


@pytest.mark.parametrize(("name", "args", "expected"), CASES)
def test_text_function(
    call: Callable[..., Any], name: str, args: tuple[Any, ...], expected: Any
) -> None:
    assert call(name, *args) == expected


def test_uuid_shape(call: Callable[..., Any]) -> None:
    value = call("UUID")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", value)
    assert value != call("UUID")


def test_random_token(call: Callable[..., Any], warns: Callable[..., int]) -> None:
    token = call("RANDOM_TOKEN", 8)
    assert len(token) == 8 and token.isalnum()
    assert call("RANDOM_TOKEN", 0) == ""
    assert warns("RANDOM_TOKEN", 65537) == 1542


@pytest.mark.parametrize("codepoint", [-1, 0x110000, 0xD800, 1.5, "65", None])
def test_to_char_rejects_what_is_no_code_point(warns: Callable[..., int], codepoint: Any) -> None:
    assert warns("TO_CHAR", codepoint) == 1542
