"""Parser: attribute and index access, calls, the ``[*]`` expansion (``postfix``)."""

from __future__ import annotations

from arangolite.aql import ast
from tests.arangolite.aql.parser.conftest import B, L, N, expr, same


def test_postfix_and_calls() -> None:
    same(expr("a.b[0]['c']"), ast.Index(ast.Index(ast.Attribute(N("a"), "b"), L(0)), L("c")))
    same(expr("length(x)"), ast.FuncCall("LENGTH", (N("x"),)))
    same(expr("my::ns::f()"), ast.FuncCall("MY::NS::F", ()))
    same(expr("LIKE('a', 'b')"), ast.FuncCall("LIKE", (L("a"), L("b"))))
    same(expr("F(1)[0]"), ast.Index(ast.FuncCall("F", (L(1),)), L(0)))
    call = expr("LENGTH(FOR x IN y RETURN x)")
    assert isinstance(call, ast.FuncCall) and isinstance(call.args[0], ast.Subquery)


def test_expansion() -> None:
    cur = N("CURRENT")
    same(expr("a[*]"), ast.Expansion(N("a")))
    same(
        expr("a[*].b.c"),
        ast.Expansion(N("a"), projection=ast.Attribute(ast.Attribute(cur, "b"), "c")),
    )
    same(
        expr("a[* FILTER CURRENT.x > 1 LIMIT 2, 3 RETURN CURRENT.y]"),
        ast.Expansion(
            N("a"),
            1,
            B(">", ast.Attribute(cur, "x"), L(1)),
            L(2),
            L(3),
            ast.Attribute(cur, "y"),
        ),
    )
    same(expr("a[* LIMIT 4]"), ast.Expansion(N("a"), limit_count=L(4)))
    same(expr("a[**]"), ast.Expansion(N("a"), levels=2))
    same(expr("a[***]"), ast.Expansion(N("a"), levels=3))
    same(
        expr("a[*].b[*].c"),
        ast.Expansion(
            N("a"),
            projection=ast.Expansion(ast.Attribute(cur, "b"), projection=ast.Attribute(cur, "c")),
        ),
    )
    same(
        expr("a[*].b[**]"),
        ast.Expansion(ast.Expansion(N("a"), projection=ast.Attribute(cur, "b")), levels=2),
    )
    same(
        expr("(a[*].b).c"),
        ast.Attribute(ast.Expansion(N("a"), projection=ast.Attribute(cur, "b")), "c"),
    )
    same(
        expr("a[* RETURN x].y"),
        ast.Expansion(N("a"), projection=ast.Attribute(N("x"), "y")),
    )
