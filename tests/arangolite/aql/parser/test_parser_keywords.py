"""Parser: reserved words, context words and case-insensitive keywords (``keywords``)."""

from __future__ import annotations

from arangolite.aql import ast
from arangolite.aql.parser import parse
from tests.arangolite.aql.parser.conftest import B, L, N, expr, same


def test_keywords_as_attribute_names_and_object_keys() -> None:
    same(
        expr("doc.filter.collect.for"),
        ast.Attribute(ast.Attribute(ast.Attribute(N("doc"), "filter"), "collect"), "for"),
    )
    obj = expr("{ count: 1, filter: 2, return: 3, options: 4 }")
    assert isinstance(obj, ast.ObjectLit)
    assert [item.key for item in obj.items] == ["count", "filter", "return", "options"]


def test_context_words_are_names() -> None:
    body = parse(
        "LET options = 1 LET count = 2 LET keep = 3 LET prune = 4 LET to = 5 RETURN to"
    ).body
    assert [op.name for op in body if isinstance(op, ast.Let)] == [
        "options",
        "count",
        "keep",
        "prune",
        "to",
    ]
    same(expr("CURRENT"), N("CURRENT"))
    same(expr("NEW.x"), ast.Attribute(N("NEW"), "x"))


def test_case_insensitive_keywords_and_comments() -> None:
    query = "for X in C // comment\n /* multi\nline */ filter X.a == TRUE Return Distinct X"
    body = parse(query).body
    assert [type(op).__name__ for op in body] == ["For", "Filter", "Return"]
    same(parse("FoR x In c ReTuRn x").body[0], parse("FOR x IN c RETURN x").body[0])
    same(expr("1 /* a */ + // b\n 2"), B("+", L(1), L(2)))
