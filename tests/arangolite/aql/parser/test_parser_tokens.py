"""Parser: literals, names and bind parameters (``arangolite.aql.parser.tokens``)."""

from __future__ import annotations

from typing import Any

import pytest

from arangolite.aql import ast
from arangolite.aql.parser import parse
from tests.arangolite.aql.parser.conftest import N, expr, same


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("null", None),
        ("NULL", None),
        ("True", True),
        ("false", False),
        ("42", 42),
        ("0", 0),
        ("1.5", 1.5),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("2.5E-1", 0.25),
        (".5e1", 5.0),
        ("0x1F", 31),
        ("0XfF", 255),
        ("0b101", 5),
        ("0B11", 3),
        ("99999999999999999999", 1e20),
        ("'single'", "single"),
        ('"double"', "double"),
        (r"'it\'s'", "it's"),
        (r'"a\"b"', 'a"b'),
        (r"'\n\t\r\b\f\\\/'", "\n\t\r\b\f\\/"),
        (r"'\u00e9\u20AC'", "é€"),
        (r"'\ud83d\ude00'", "\U0001f600"),
        (r"'\q'", "q"),
        ("'multi\nline'", "multi\nline"),
        ("''", ""),
    ],
)
def test_literals(text: str, value: Any) -> None:
    node = expr(text)
    assert isinstance(node, ast.Literal)
    assert node.value == value
    assert type(node.value) is type(value)


def test_names() -> None:
    same(expr("_key"), N("_key"))
    same(expr("__x1"), N("__x1"))
    same(expr("$abc"), N("$abc"))
    same(expr("`for`"), N("for"))
    same(expr("\u00b4with space\u00b4"), N("with space"))
    same(expr("a.`b c`"), ast.Attribute(N("a"), "b c"))


def test_bind_parameters() -> None:
    same(expr("@x"), ast.BindParam("x"))
    same(expr("@1a_b"), ast.BindParam("1a_b"))
    same(expr("@_x"), ast.BindParam("_x"))
    same(expr("@@coll"), ast.BindCollection("coll"))
    same(expr("doc.@attr"), ast.Index(N("doc"), ast.BindParam("attr")))
    query = parse("FOR d IN @@c FILTER d.a == @v RETURN d")
    assert ast.bind_parameter_names(query) == {"@c", "v"}
