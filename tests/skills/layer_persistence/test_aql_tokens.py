"""The fast tokenizer's patterns and keywords come from arangolite's grammar, not a hand copy."""

from __future__ import annotations

import pytest
from conftest import REPO_ROOT
from layerlint.naming.aql_tokens import NONRESERVED, RESERVED, pattern_from, tokenize

from arangolite.aql.parser.keywords import RESERVED as ARANGOLITE_RESERVED

GRAMMAR = (REPO_ROOT / "arangolite" / "aql" / "parser" / "grammar.lark").read_text(encoding="utf-8")


def _cut(pattern_grammar: str, text: str) -> list[str]:
    return [m.group() for m in pattern_from(pattern_grammar).finditer(text) if m.group().strip()]


def test_keywords_are_arangolite_s() -> None:
    assert RESERVED == ARANGOLITE_RESERVED
    assert {"OPTIONS", "SEARCH", "PRUNE", "KEEP", "COUNT", "TO"} == NONRESERVED


def test_a_terminal_the_grammar_gains_is_a_token() -> None:
    assert _cut(GRAMMAR, "a <=> b") == ["a", "<=", ">", "b"]
    assert _cut(GRAMMAR + '\nSPACESHIP: "<=>"\n', "a <=> b") == ["a", "<=>", "b"]
    wider = GRAMMAR.replace("HEX.3: /0[xX][0-9a-fA-F]+/", "HEX.3: /0[xX][0-9a-fA-F_]+/")
    assert _cut(wider, "0xff_ff") == ["0xff_ff"]


def test_escapes_are_left_to_the_full_parser() -> None:
    assert tokenize('RETURN "plain"') is not None
    assert tokenize('RETURN "a\\"b"') is None
    narrowed = GRAMMAR.replace(r'STRING: /"(?:[^"\\]|\\.)*"/s', r'STRING: /"[^"]*"/s')
    with pytest.raises(ValueError, match="STRING"):
        pattern_from(narrowed)
