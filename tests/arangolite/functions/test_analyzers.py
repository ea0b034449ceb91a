"""TOKENS with ArangoDB's built-in Analyzers (analyzers.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from arangolite.errors import ArangoError

CASES = [
    # ArangoDB's documented examples (aqlTokens_1 .. 4)
    (("Lörem ipsüm, DOLOR SIT Ämet.", "text_de"), ["lor", "ipsum", "dolor", "sit", "amet"]),
    (("quick brown fox", "text_en"), ["quick", "brown", "fox"]),
    ((["quick brown", "fox"], "text_en"), [["quick", "brown"], ["fox"]]),
    ((["quick brown", ["fox"]], "text_en"), [["quick", "brown"], [["fox"]]]),
    # stemming, case and accent folding, no stopwords in the built-ins
    (("The Runners were RUNNING", "text_en"), ["the", "runner", "were", "run"]),
    (("Été brûlé", "text_fr"), ["ete", "brul"]),
    (("Häuser und Bäume", "text_de"), ["haus", "und", "baum"]),
    (("corriendo rápidamente", "text_es"), ["corr", "rapid"]),
    # word boundaries: punctuation splits, inner apostrophes and decimal points do not
    (("don't stop: 3.14, foo_bar!", "text_en"), ["don't", "stop", "3.14", "foo_bar"]),
    (("", "text_en"), []),
    (("Quick Brown", "identity"), ["Quick Brown"]),
    (("Quick Brown",), ["Quick Brown"]),
    (("Quick", "_system::identity"), ["Quick"]),
]


@pytest.mark.parametrize(("args", "expected"), CASES)
def test_tokens(call: Callable[..., Any], args: tuple[Any, ...], expected: Any) -> None:
    assert call("TOKENS", *args) == expected


def test_unknown_analyzer_is_a_bad_parameter(call: Callable[..., Any]) -> None:
    with pytest.raises(ArangoError) as info:
        call("TOKENS", "x", "no_such_analyzer")
    assert info.value.error_num == 10


def test_chinese_segmentation_is_not_implemented(call: Callable[..., Any]) -> None:
    with pytest.raises(ArangoError) as info:
        call("TOKENS", "中文", "text_zh")
    assert info.value.error_num == 9
