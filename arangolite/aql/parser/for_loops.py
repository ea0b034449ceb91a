"""Transformer callbacks of the ``FOR`` forms: plain loops, traversals and path searches."""

from __future__ import annotations

from typing import Any, cast

from lark import Token

from arangolite.aql import ast
from arangolite.aql.parser.children import tagged, tagged_value
from arangolite.aql.parser.errors import SemanticError
from arangolite.aql.parser.tokens import BIND_TYPES, bind_token, pos, quoted

__all__ = ["ForRules"]

_Variables = tuple[str, tuple[str, ...]]  # ("plain" | "array" | "object", names)
_DIRECTIONS: dict[str, ast.Direction] = {
    "OUTBOUND": "OUTBOUND",
    "INBOUND": "INBOUND",
    "ANY": "ANY",
}


def _plain_vars(token: Token, variables: _Variables, most: int, message: str) -> tuple[str, ...]:
    """The loop's variable names; at most ``most`` of them and no destructuring."""
    kind, names = variables
    if kind != "plain" or len(names) > most:
        raise SemanticError(message, token)
    return names


def _nth(names: tuple[str, ...], index: int) -> str | None:
    return names[index] if len(names) > index else None


def _depths(depth: ast.Expr | None) -> tuple[ast.Expr | None, ast.Expr | None]:
    """``min..max`` from the steps of a traversal: a range, one number, or nothing."""
    if depth is None:
        return (None, None)
    if isinstance(depth, ast.Range):
        return (depth.low, depth.high)
    return (depth, depth)


def _check_options(options: ast.Expr | None) -> ast.Expr | None:
    if options is not None and not isinstance(options, ast.ObjectLit):
        raise SemanticError("'OPTIONS' have to be an object", options)
    return options


def _path_vars(token: Token, variables: _Variables, kind: str) -> tuple[str, ...]:
    if kind == "SHORTEST_PATH":
        message = "SHORTEST_PATH must have one or two return variables"
        return _plain_vars(token, variables, 2, message)
    return _plain_vars(token, variables, 1, f"{kind} only has one return variable")


class _LoopRules:
    """Callbacks of plain ``FOR`` loops and their variables."""

    def vars_plain(self, children: list[Any]) -> _Variables:
        return ("plain", tuple(str(c) for c in children))

    def vars_array(self, children: list[Any]) -> _Variables:
        return ("array", tuple(str(c) for c in children[1:]))

    def vars_object(self, children: list[Any]) -> _Variables:
        return ("object", tuple(str(c) for c in children[1:]))

    def for_plain(self, children: list[Any]) -> ast.For:
        token, (kind, names), expr = children[0], children[1], children[3]
        options = children[4] if len(children) > 4 else None
        if kind != "plain":
            return ast.For(None, expr, options, (kind, names), **pos(token))
        if len(names) != 1:
            message = "Collections and views FOR loops only allow a single return variable"
            raise SemanticError(message, token)
        return ast.For(names[0], expr, options, **pos(token))

    def for_opts(self, children: list[Any]) -> ast.Expr | None:
        return _check_options(children[1])

    def for_search(self, children: list[Any]) -> ast.Expr:
        raise SemanticError("SEARCH is not supported: arangolite has no views", children[0])


class _GraphRules:
    """Callbacks of traversals and path searches, and of their graph or edge collections."""

    def for_traversal(self, children: list[Any]) -> ast.Traversal:
        token = children[0]
        message = "Traversals only have one, two or three return variables"
        names = _plain_vars(token, children[1], 3, message)
        (direction, depth), start, (graph, edges) = children[3], children[4], children[5]
        prune = tagged(children[6:], "prune")
        low, high = _depths(depth)
        return ast.Traversal(
            names[0],
            _nth(names, 1),
            _nth(names, 2),
            direction,
            start,
            low,
            high,
            graph,
            edges,
            prune[2] if prune else None,
            prune[1] if prune else None,
            tagged_value(children[6:], "options"),
            **pos(token),
        )

    def for_path(self, children: list[Any]) -> ast.ShortestPath:
        token, direction, kind = children[0], children[3], cast(Any, children[4].type)
        names = _path_vars(token, children[1], kind)
        start, target, (graph, edges) = children[5], children[7], children[8]
        options = tagged_value(children[9:], "options")
        return ast.ShortestPath(
            kind,
            names[0],
            _nth(names, 1),
            direction,
            start,
            target,
            graph,
            edges,
            options,
            **pos(token),
        )

    def for_kpaths(self, children: list[Any]) -> ast.ShortestPath:
        token = children[0]
        names = _plain_vars(token, children[1], 1, "K_PATHS only has one return variable")
        (direction, depth), start, target = children[3], children[5], children[7]
        graph, edges = children[8]
        low, high = _depths(depth)
        options = tagged_value(children[9:], "options")
        return ast.ShortestPath(
            "K_PATHS",
            names[0],
            None,
            direction,
            start,
            target,
            graph,
            edges,
            options,
            low,
            high,
            **pos(token),
        )

    def steps_default(self, children: list[Any]) -> tuple[ast.Direction, ast.Expr | None]:
        return (children[0], None)

    def steps_expr(self, children: list[Any]) -> tuple[ast.Direction, ast.Expr | None]:
        return (children[1], children[0])

    def direction(self, children: list[Any]) -> ast.Direction:
        return _DIRECTIONS[children[0].type]

    def graph_named(self, children: list[Any]) -> tuple[ast.Expr, tuple[()]]:
        name = cast(Token, children[1])
        if name.type == "STRING":
            return (ast.Literal(quoted(name), **pos(name)), ())
        if name.type in BIND_TYPES:
            return (bind_token(name), ())
        return (ast.Literal(str(name), **pos(name)), ())

    def graph_edges(self, children: list[Any]) -> tuple[None, tuple[ast.EdgeCollectionRef, ...]]:
        return (None, tuple(children))

    def edge_coll(self, children: list[Any]) -> ast.EdgeCollectionRef:
        direction = children[0] if len(children) == 2 else None
        target = cast(Token, children[-1])
        if target.type == "BIND":
            message = "edge collections must be given as names or @@ bind parameters"
            raise SemanticError(message, target)
        collection: ast.Name | ast.BindCollection
        if target.type == "BIND_COLL":
            collection = ast.BindCollection(str(target)[2:], **pos(target))
        else:
            collection = ast.Name(str(target), **pos(target))
        return ast.EdgeCollectionRef(collection, direction, **pos(collection))

    def prune_var(self, children: list[Any]) -> tuple[str, str, ast.Expr]:
        return ("prune", str(children[1]), children[3])

    def prune_plain(self, children: list[Any]) -> tuple[str, None, ast.Expr]:
        return ("prune", None, children[1])

    def opts(self, children: list[Any]) -> tuple[str, ast.Expr]:
        return ("options", children[1])


class ForRules(_LoopRules, _GraphRules):
    """Transformer callbacks of every ``FOR`` form and its parts."""
