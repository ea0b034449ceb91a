"""Parser: operators and precedence, array and object literals, subqueries (``expressions``)."""

from __future__ import annotations

import pytest

from arangolite.aql import ast
from tests.arangolite.aql.parser.conftest import B, L, N, expr, same, strip


def test_array_and_object_literals() -> None:
    same(expr("[]"), ast.ArrayLit(()))
    same(expr("[1, 2,]"), ast.ArrayLit((L(1), L(2))))
    same(expr("{}"), ast.ObjectLit(()))
    obj = expr("{a: 1, 'b c': 2, \"d\": 3, [k]: 4, @p: 5, e, `f g`: 6, }")
    assert isinstance(obj, ast.ObjectLit)
    keys = [strip(item.key) for item in obj.items]
    assert keys == ["a", "b c", "d", ("Name", "k"), ("BindParam", "p"), "e", "f g"]
    assert strip(obj.items[5].value) == ("Name", "e")


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("1 + 2 * 3", B("+", L(1), B("*", L(2), L(3)))),
        ("(1 + 2) * 3", B("*", B("+", L(1), L(2)), L(3))),
        ("1 - 2 - 3", B("-", B("-", L(1), L(2)), L(3))),
        ("8 / 4 % 3", B("%", B("/", L(8), L(4)), L(3))),
        ("a || b && c", B("||", N("a"), B("&&", N("b"), N("c")))),
        ("a OR b AND c", B("||", N("a"), B("&&", N("b"), N("c")))),
        ("a and b or c", B("||", B("&&", N("a"), N("b")), N("c"))),
        ("x IN y == true", B("==", B("IN", N("x"), N("y")), L(True))),
        ("a == b IN c", B("==", N("a"), B("IN", N("b"), N("c")))),
        ("a < b == c > d", B("==", B("<", N("a"), N("b")), B(">", N("c"), N("d")))),
        ("a NOT IN b", B("NOT IN", N("a"), N("b"))),
        ("a not  in b", B("NOT IN", N("a"), N("b"))),
        ("a LIKE b", B("LIKE", N("a"), N("b"))),
        ("a NOT LIKE b", B("NOT LIKE", N("a"), N("b"))),
        ("a =~ b", B("=~", N("a"), N("b"))),
        ("a !~ b", B("!~", N("a"), N("b"))),
        ("a != b", B("!=", N("a"), N("b"))),
        ("a <= b", B("<=", N("a"), N("b"))),
        ("a >= b", B(">=", N("a"), N("b"))),
        ("1..2 + 3", ast.Range(L(1), B("+", L(2), L(3)))),
        ("x IN 1..5", B("IN", N("x"), ast.Range(L(1), L(5)))),
        ("a < 1..2", B("<", N("a"), ast.Range(L(1), L(2)))),
        ("-x * y", B("*", ast.Unary("-", N("x")), N("y"))),
        ("NOT x IN y", B("IN", ast.Unary("!", N("x")), N("y"))),
        ("!a == b", B("==", ast.Unary("!", N("a")), N("b"))),
        ("- -1", ast.Unary("-", ast.Unary("-", L(1)))),
        ("+a", ast.Unary("+", N("a"))),
        ("!a.b", ast.Unary("!", ast.Attribute(N("a"), "b"))),
        ("a ? b : c", ast.Ternary(N("a"), N("b"), N("c"))),
        ("a ?: c", ast.Ternary(N("a"), None, N("c"))),
        (
            "a ? b : c ? d : e",
            ast.Ternary(N("a"), N("b"), ast.Ternary(N("c"), N("d"), N("e"))),
        ),
        ("a || b ? c : d", ast.Ternary(B("||", N("a"), N("b")), N("c"), N("d"))),
        ("a ? b || c : d", ast.Ternary(N("a"), B("||", N("b"), N("c")), N("d"))),
    ],
)
def test_precedence(text: str, shape: ast.Expr) -> None:
    same(expr(text), shape)


@pytest.mark.parametrize(
    ("text", "quantifier", "op"),
    [
        ("a ALL == b", "ALL", "=="),
        ("a any != b", "ANY", "!="),
        ("a NONE < b", "NONE", "<"),
        ("a ALL >= b", "ALL", ">="),
        ("a ALL IN b", "ALL", "IN"),
        ("a NONE NOT IN b", "NONE", "NOT IN"),
    ],
)
def test_array_comparison(text: str, quantifier: str, op: str) -> None:
    same(expr(text), ast.ArrayCompare(quantifier, op, N("a"), N("b")))


def test_array_comparison_at_least_and_precedence() -> None:
    same(
        expr("a AT LEAST (2) IN b"),
        ast.ArrayCompare("AT LEAST", "IN", N("a"), N("b"), L(2)),
    )
    same(
        expr("a ALL == b && c"),
        B("&&", ast.ArrayCompare("ALL", "==", N("a"), N("b")), N("c")),
    )
    same(
        expr("a + 1 ANY > b + 2"),
        ast.ArrayCompare("ANY", ">", B("+", N("a"), L(1)), B("+", N("b"), L(2))),
    )


def test_subqueries() -> None:
    node = expr("(FOR x IN y RETURN x)")
    assert isinstance(node, ast.Subquery)
    assert [type(op) for op in node.query.body] == [ast.For, ast.Return]
    node = expr("(LET a = 1 RETURN a)[0]")
    assert isinstance(node, ast.Index) and isinstance(node.obj, ast.Subquery)
    node = expr("(INSERT {} INTO c)")
    assert isinstance(node, ast.Subquery)
    assert isinstance(node.query.body[0], ast.Insert)
