"""Transformer callbacks of the query and its statements, except ``FOR`` (in ``for_loops``)."""

from __future__ import annotations

from typing import Any, cast

from lark import Token

from arangolite.aql import ast
from arangolite.aql.parser.children import first_token, tagged, tagged_value
from arangolite.aql.parser.errors import SemanticError
from arangolite.aql.parser.tokens import bind_token, collection_ref, pos

__all__ = ["StatementRules"]

_WithClause = tuple[Token, tuple[ast.CollectionRef, ...]]
_LOOPS = (ast.For, ast.Traversal, ast.ShortestPath)
_WINDOW_BOUNDS = ("preceding", "following")


def _check_distinct(body: tuple[ast.Operation, ...]) -> None:
    """``RETURN DISTINCT`` needs a loop before it."""
    last = body[-1]
    if not isinstance(last, ast.Return) or not last.distinct:
        return
    if not any(isinstance(op, _LOOPS) for op in body[:-1]):
        message = "cannot use DISTINCT modifier on top-level query element"
        raise SemanticError(message, last)


def _check_window_item(item: ast.ObjectItem, seen: set[str]) -> None:
    key = item.key
    if not isinstance(key, str) or key not in _WINDOW_BOUNDS:
        raise SemanticError(
            f"Invalid WINDOW attribute '{key if isinstance(key, str) else '?'}'; "
            'only "preceding" and "following" are supported',
            item,
        )
    if key in seen:
        raise SemanticError(f"WINDOW attribute '{key}' is specified multiple times", item)
    seen.add(key)


def _check_window(bounds: ast.ObjectLit) -> None:
    if not bounds.items:
        message = "At least one WINDOW bound must be specified ('preceding'/'following')"
        raise SemanticError(message, bounds)
    seen: set[str] = set()
    for item in bounds.items:
        _check_window_item(item, seen)


def _modification_parts(children: list[Any]) -> tuple[list[Any], ast.CollectionRef, Any]:
    """The expressions, the collection and the options of a modification statement."""
    collection = tagged(children, "collection")[1]
    exprs = [c for c in children[1:] if not isinstance(c, (Token, tuple))]
    return exprs, collection, tagged_value(children, "options")


class _QueryRules:
    """Callbacks of the query structure: ``WITH``, the operations, ``RETURN``."""

    def start(self, children: list[Any]) -> ast.Query:
        query = cast(ast.Query, children[-1])
        if len(children) == 1:
            return query
        token, collections = cast(_WithClause, children[0])
        return ast.Query(query.body, collections, **pos(token))

    def with_clause(self, children: list[Any]) -> _WithClause:
        return (children[0], tuple(collection_ref(c) for c in children[1:]))

    def query(self, children: list[Any]) -> ast.Query:
        body: list[ast.Operation] = []
        for child in children:
            if isinstance(child, list):  # LET a = 1, b = 2 gives several operations
                body.extend(child)
            else:
                body.append(child)
        _check_distinct(tuple(body))
        return ast.Query(tuple(body), **pos(body[0]))

    def return_op(self, children: list[Any]) -> ast.Return:
        return ast.Return(children[-1], len(children) == 3, **pos(children[0]))


class _SimpleRules:
    """Callbacks of ``LET``, ``FILTER``, ``SORT`` and ``LIMIT``."""

    def let_op(self, children: list[Any]) -> list[ast.Let]:
        token = children[0]
        items = cast(list[tuple[str, ast.Expr]], children[1:])
        return [ast.Let(name, expr, **pos(token)) for name, expr in items]

    def let_item(self, children: list[Any]) -> tuple[str, ast.Expr]:
        return (str(children[0]), children[2])

    def filter_op(self, children: list[Any]) -> ast.Filter:
        return ast.Filter(children[1], **pos(children[0]))

    def sort_op(self, children: list[Any]) -> ast.Sort:
        return ast.Sort(tuple(children[1:]), **pos(children[0]))

    def sort_item(self, children: list[Any]) -> ast.SortKey:
        expr = children[0]
        ascending = not (len(children) > 1 and children[1].type == "DESC")
        return ast.SortKey(expr, ascending, **pos(expr))

    def limit_op(self, children: list[Any]) -> ast.Limit:
        token = children[0]
        if len(children) == 3:
            return ast.Limit(children[2], children[1], **pos(token))
        return ast.Limit(children[1], **pos(token))


class _CollectRules:
    """Callbacks of ``COLLECT`` and ``WINDOW``, which share ``AGGREGATE``."""

    def collect_op(self, children: list[Any]) -> ast.Collect:
        parts = children[1:]
        into = tagged(parts, "into")
        keep = tagged(parts, "keep")
        if keep and not into:
            raise SemanticError("use of 'KEEP' without 'INTO'", keep[2])
        return ast.Collect(
            tagged_value(parts, "groups", ()),
            tagged_value(parts, "aggregate", ()),
            into[1] if into else None,
            into[2] if into else None,
            keep[1] if keep else (),
            tagged_value(parts, "count"),
            tagged_value(parts, "options"),
            **pos(children[0]),
        )

    def collect_groups(self, children: list[Any]) -> tuple[str, tuple[tuple[str, ast.Expr], ...]]:
        return ("groups", tuple(children))

    def collect_item(self, children: list[Any]) -> tuple[str, ast.Expr]:
        return (str(children[0]), children[2])

    def aggregate(self, children: list[Any]) -> tuple[str, tuple[ast.Aggregate, ...]]:
        return ("aggregate", tuple(children[1:]))

    def agg_item(self, children: list[Any]) -> ast.Aggregate:
        name = children[0]
        return ast.Aggregate(str(name), children[2], **pos(name))

    def collect_into(self, children: list[Any]) -> tuple[str, str, ast.Expr | None, Token]:
        expr = children[3] if len(children) > 3 else None
        return ("into", str(children[1]), expr, children[0])

    def collect_keep(self, children: list[Any]) -> tuple[str, tuple[str, ...], Token]:
        return ("keep", tuple(str(c) for c in children[1:]), children[0])

    def count_into(self, children: list[Any]) -> tuple[str, str, Token]:
        return ("count", str(children[3]), children[0])

    def window_plain(self, children: list[Any]) -> ast.Window:
        token, bounds, aggregates = children
        _check_window(bounds)
        return ast.Window(bounds, aggregates[1], **pos(token))

    def window_range(self, children: list[Any]) -> ast.Window:
        token, range_expr, _, bounds, aggregates = children
        _check_window(bounds)
        return ast.Window(bounds, aggregates[1], range_expr, **pos(token))


class _ModificationRules:
    """Callbacks of ``INSERT``, ``UPDATE``, ``REPLACE``, ``REMOVE`` and ``UPSERT``."""

    def in_coll(self, children: list[Any]) -> tuple[str, ast.CollectionRef]:
        return ("collection", collection_ref(children[1]))

    def insert_op(self, children: list[Any]) -> ast.Insert:
        exprs, collection, options = _modification_parts(children)
        return ast.Insert(exprs[0], collection, options, **pos(children[0]))

    def update_op(self, children: list[Any]) -> ast.Update:
        exprs, collection, options = _modification_parts(children)
        key = exprs[0] if len(exprs) == 2 else None
        return ast.Update(key, exprs[-1], collection, options, **pos(children[0]))

    def replace_op(self, children: list[Any]) -> ast.Replace:
        exprs, collection, options = _modification_parts(children)
        key = exprs[0] if len(exprs) == 2 else None
        return ast.Replace(key, exprs[-1], collection, options, **pos(children[0]))

    def remove_op(self, children: list[Any]) -> ast.Remove:
        exprs, collection, options = _modification_parts(children)
        return ast.Remove(exprs[0], collection, options, **pos(children[0]))

    def upsert_op(self, children: list[Any]) -> ast.Upsert:
        token, search = children[0], children[1]
        if isinstance(search, Token):
            search = bind_token(search)
        exprs, collection, options = _modification_parts(children[2:])
        replace_ = first_token(children, "REPLACE") is not None
        return ast.Upsert(search, exprs[0], exprs[1], collection, replace_, options, **pos(token))


class StatementRules(_QueryRules, _SimpleRules, _CollectRules, _ModificationRules):
    """Transformer callbacks of the query structure and every statement except ``FOR``."""
