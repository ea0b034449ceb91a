"""Parser: ``parse`` itself: text and positions, the cache, empty and deep queries, the corpus."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from arangolite.aql import ast
from arangolite.aql.parser import parse
from tests.arangolite.aql.parser.conftest import error_of, ret

CORPUS = (
    Path(os.environ.get("NOMARR_SHARED_DIR") or Path(__file__).resolve().parents[5] / "shared")
    / "conformance"
)


def test_text_and_positions() -> None:
    text = "FOR x IN c\n  FILTER x.a > 1\n  RETURN x"
    query = parse(text)
    assert query.text == text
    loop, flt, out = query.body
    assert (loop.line, loop.column) == (1, 1)
    assert (flt.line, flt.column) == (2, 3)
    assert isinstance(flt, ast.Filter)
    assert (flt.expr.line, flt.expr.column) == (2, 10)
    assert isinstance(flt.expr, ast.Binary)
    assert (flt.expr.right.line, flt.expr.right.column) == (2, 16)
    assert (out.line, out.column) == (3, 3)


def test_parse_is_cached_and_returns_equal_queries() -> None:
    assert parse("RETURN 1") is parse("RETURN 1")
    assert parse("RETURN 1 + 1") == parse("RETURN 1 + 1")


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "// nothing", "/* a */ // b\n"])
def test_empty_query(text: str) -> None:
    assert error_of(text).error_num == 1502


def test_deep_nesting_gives_parse_error_not_crash() -> None:
    deep = "RETURN " + "[" * 3000 + "]" * 3000
    assert error_of(deep).error_num == 1501
    parens = "RETURN " + "(" * 3000 + "1" + ")" * 3000  # parentheses add no AST depth
    assert isinstance(ret(parens), ast.Literal)
    chain = "RETURN " + " + ".join(["1"] * 3000)
    assert error_of(chain).error_num == 1501
    unclosed = "RETURN " + "[" * 5000
    assert error_of(unclosed).error_num == 1501
    fine = "RETURN " + "(" * 100 + "1" + ")" * 100
    assert isinstance(ret(fine), ast.Literal)


def test_non_string_input() -> None:
    assert error_of(123).error_num == 1501  # type: ignore[arg-type]


def _corpus_queries() -> list[str]:
    queries: list[str] = []
    aql = CORPUS / "aql_3.12.jsonl"
    if aql.exists():
        for line in aql.read_text(encoding="utf-8").splitlines():
            queries.append(json.loads(line)["query"])
    return queries


def test_conformance_corpus_queries_parse() -> None:
    queries = _corpus_queries()
    if not queries:
        pytest.skip("conformance corpus not available")
    for text in queries:
        assert parse(text).body, text
