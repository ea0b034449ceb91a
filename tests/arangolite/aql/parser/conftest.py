"""Helpers of the parser tests: parse one expression, compare ASTs without positions."""

from __future__ import annotations

from typing import Any

import pytest

from arangolite.aql import ast
from arangolite.aql.parser import parse
from arangolite.errors import ArangoError


def ret(query: str) -> ast.Expr:
    """The expression of the query's final RETURN."""
    last = parse(query).body[-1]
    assert isinstance(last, ast.Return)
    return last.expr


def expr(text: str) -> ast.Expr:
    return ret("RETURN " + text)


def strip(node: Any) -> Any:
    """A position-free nested-tuple rendering of an AST, for compact comparisons."""
    if isinstance(node, ast.Node):
        fields = [f for f in node.__dataclass_fields__ if f not in ("line", "column", "text")]
        return (type(node).__name__, *(strip(getattr(node, f)) for f in fields))
    if isinstance(node, tuple):
        return tuple(strip(x) for x in node)
    return node


def N(name: str) -> ast.Name:
    return ast.Name(name)


def L(value: Any) -> ast.Literal:
    return ast.Literal(value)


def B(op: str, left: ast.Expr, right: ast.Expr) -> ast.Binary:
    return ast.Binary(op, left, right)


def same(a: Any, b: Any) -> None:
    assert strip(a) == strip(b)


def error_of(query: str) -> ArangoError:
    with pytest.raises(ArangoError) as info:
        parse(query)
    return info.value
