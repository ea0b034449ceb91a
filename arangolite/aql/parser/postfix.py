"""Postfix chains: ``.name``, ``.@bind``, ``[index]`` and the ``[* ...]`` expansion.

Each postfix operation becomes a pending function (or an ``_Expand``); ``access`` then folds the
chain onto its base. Accesses after ``[*]`` go into the expansion's projection, as in ArangoDB:
``a[*].b`` is ``a`` expanded with the projection ``CURRENT.b``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, cast

from lark import Token

from arangolite.aql import ast
from arangolite.aql.parser.children import tagged_value, tokens_of
from arangolite.aql.parser.tokens import bind_token, pos

__all__ = ["PostfixRules"]

_Access = Callable[[ast.Expr], ast.Expr]


class _Expand:
    """A pending ``[* ...]`` postfix operation."""

    __slots__ = ("filter", "levels", "limit", "projection", "token")

    def __init__(
        self,
        token: Token,
        levels: int,
        filter_: ast.Expr | None,
        limit: tuple[ast.Expr | None, ast.Expr] | None,
        projection: ast.Expr | None,
    ) -> None:
        self.token = token
        self.levels = levels
        self.filter = filter_
        self.limit = limit
        self.projection = projection

    def build(self, obj: ast.Expr) -> ast.Expansion:
        offset, count = self.limit if self.limit is not None else (None, None)
        return ast.Expansion(
            obj, self.levels, self.filter, offset, count, self.projection, **pos(obj)
        )


def _current(at: ast.Node | Token) -> ast.Name:
    return ast.Name("CURRENT", **pos(at))


def _apply_open(expansion: ast.Expansion, op: _Access | _Expand, depth: int) -> ast.Expansion:
    """Apply a postfix operation inside the ``depth``-th nested open expansion."""
    if depth > 1:
        inner = cast(ast.Expansion, expansion.projection)
        return replace(expansion, projection=_apply_open(inner, op, depth - 1))
    if isinstance(op, _Expand):
        element = expansion.projection or _current(op.token)
        return replace(expansion, projection=op.build(element))
    element = expansion.projection or _current(expansion)
    return replace(expansion, projection=op(element))


def _goes_inside(current: ast.Expr, op: _Access | _Expand, depth: int) -> bool:
    """Whether ``op`` applies inside the open expansions (``[**]`` and deeper close them)."""
    if not depth or not isinstance(current, ast.Expansion):
        return False
    return not (isinstance(op, _Expand) and op.levels > 1)


def _fold_access(base: ast.Expr, ops: Sequence[_Access | _Expand]) -> ast.Expr:
    """Fold a postfix chain; accesses after ``[*]`` go into the expansion's projection."""
    current: ast.Expr = base
    depth = 0  # how many nested expansions of this chain are still open
    for op in ops:
        if _goes_inside(current, op, depth):
            current = _apply_open(cast(ast.Expansion, current), op, depth)
            if isinstance(op, _Expand):
                depth += 1
        elif isinstance(op, _Expand):
            current = op.build(current)
            depth = 1
        else:
            current = op(current)
    return current


class PostfixRules:
    """Transformer callbacks of the postfix operations (rules ``access`` and ``op_*``)."""

    def access(self, children: list[Any]) -> ast.Expr:
        return _fold_access(children[0], children[1:])

    def op_attr(self, children: list[Any]) -> _Access:
        name = str(children[1])
        return lambda obj: ast.Attribute(obj, name, **pos(obj))

    def op_bind_attr(self, children: list[Any]) -> _Access:
        param = bind_token(children[1])
        return lambda obj: ast.Index(obj, param, **pos(obj))

    def op_index(self, children: list[Any]) -> _Access:
        index = children[1]
        return lambda obj: ast.Index(obj, index, **pos(obj))

    def op_expand(self, children: list[Any]) -> _Expand:
        return _Expand(
            children[0],
            len(tokens_of(children, "STAR")),
            tagged_value(children, "filter"),
            tagged_value(children, "limit"),
            tagged_value(children, "return"),
        )

    def exp_filter(self, children: list[Any]) -> tuple[str, ast.Expr]:
        return ("filter", children[1])

    def exp_limit(self, children: list[Any]) -> tuple[str, tuple[ast.Expr | None, ast.Expr]]:
        if len(children) == 3:
            return ("limit", (children[1], children[2]))
        return ("limit", (None, children[1]))

    def exp_return(self, children: list[Any]) -> tuple[str, ast.Expr]:
        return ("return", children[1])
