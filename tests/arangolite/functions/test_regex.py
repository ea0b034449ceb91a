"""REGEX_* and LIKE (regex.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from arangolite.functions.regex import translate_icu

CASES = [
    ("REGEX_TEST", ("the quick brown fox", "the.*fox"), True),
    ("REGEX_TEST", ("the quick brown fox", "^(a|the)\\s+(quick|slow).*f.x$"), True),
    ("REGEX_TEST", ("the\nquick\nbrown\nfox", "^the(\\n[a-w]+)+\\nfox$"), True),
    ("REGEX_TEST", ("THE", "the", True), True),
    ("REGEX_TEST", ("THE", "the"), False),
    ("REGEX_MATCHES", ("My-us3r_n4m3", "^[a-z0-9_-]{3,16}$", True), ["My-us3r_n4m3"]),
    ("REGEX_MATCHES", ("#4d82h4", "^#?([a-f0-9]{6}|[a-f0-9]{3})$", True), None),
    (
        "REGEX_MATCHES",
        ("john@doe.com", "^([a-z0-9_\\.-]+)@([\\da-z-]+)\\.([a-z\\.]{2,6})$"),
        ["john@doe.com", "john", "doe", "com"],
    ),
    (
        "REGEX_SPLIT",
        ("hypertext language, programming", "[\\s, ]+"),
        ["hypertext", "language", "programming"],
    ),
    ("REGEX_SPLIT", ("Capture the article", "(the)"), ["Capture ", "the", " article"]),
    ("REGEX_SPLIT", ("Don't capture the article", "the"), ["Don't capture ", " article"]),
    ("REGEX_SPLIT", ("cA,Bc,A,BcA,BcA,Bc", "a,b", True, 3), ["c", "c,", "c"]),
    ("REGEX_REPLACE", ("the quick brown fox", "the.*fox", "jumped over"), "jumped over"),
    ("REGEX_REPLACE", ("An Avocado", "a", "_"), "An Avoc_do"),
    ("REGEX_REPLACE", ("An Avocado", "a", "_", True), "_n _voc_do"),
    ("REGEX_REPLACE", ("the quick brown fox", "(q|b)(\\w+)", "$2$1"), "the uickq rownb fox"),
    ("LIKE", ("cart", "ca_t"), True),
    ("LIKE", ("carrot", "ca_t"), False),
    ("LIKE", ("foo bar baz", "bar"), False),
    ("LIKE", ("foo bar baz", "%bar%"), True),
    ("LIKE", ("bar", "%bar%"), True),
    ("LIKE", ("FoO bAr BaZ", "fOo%bAz"), False),
    ("LIKE", ("FoO bAr BaZ", "fOo%bAz", True), True),
    ("LIKE", ("100%", "100\\%"), True),
    ("LIKE", ("1000", "100\\%"), False),
    ("LIKE", ("a_b", "a\\_b"), True),
    ("LIKE", ("axb", "a\\_b"), False),
    ("LIKE", ("line\nbreak", "line%break"), True),
    ("LIKE", ("a.c", "a.c"), True),
    ("LIKE", ("abc", "a.c"), False),
]


@pytest.mark.parametrize(("name", "args", "expected"), CASES)
def test_regex_function(
    call: Callable[..., Any], name: str, args: tuple[Any, ...], expected: Any
) -> None:
    assert call(name, *args) == expected


@pytest.mark.parametrize("name", ["REGEX_TEST", "REGEX_MATCHES", "REGEX_SPLIT"])
def test_invalid_regex_warns_1543(warns: Callable[..., int], name: str) -> None:
    assert warns(name, "abc", "([") == 1543


def test_invalid_regex_replace_warns_1543(warns: Callable[..., int]) -> None:
    assert warns("REGEX_REPLACE", "abc", "(", "x") == 1543


@pytest.mark.parametrize(
    ("icu", "python"),
    [
        ("\\Qa.b\\E", "a\\.b"),
        ("\\x{41}", "\\U00000041"),
        ("(?<year>\\d+)", "(?P<year>\\d+)"),
        ("(?<=a)b", "(?<=a)b"),
        ("end\\z", "end\\Z"),
    ],
)
def test_icu_translation(icu: str, python: str) -> None:
    assert translate_icu(icu) == python
