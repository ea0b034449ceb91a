"""AQL text -> typed AST (``arangolite.aql.ast``).

The grammar lives in ``grammar.lark`` (LALR(1), contextual lexer); this module builds the lark
parser once, turns parse-tree callbacks straight into AST nodes (no intermediate tree) and maps
every failure to ArangoDB's errors: ``QUERY_EMPTY`` (1502) for a query without tokens and
``QUERY_PARSE`` (1501) with ArangoDB's message shape for everything else::

    syntax error, unexpected <token>[, expecting <a> or <b>] near '<text>' at position <l>:<c>

This is the only module of arangolite that imports lark.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, TypedDict, cast

from lark import Lark, Token, Transformer
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from arangolite.aql import ast
from arangolite.errors import QUERY_EMPTY, QUERY_PARSE, ArangoError

__all__ = ["parse"]

_GRAMMAR_FILE = Path(__file__).with_name("grammar.lark")
_SNIPPET_LENGTH = 32
_MAX_EXPECTED = 4
_INT64_MAX = 2**63 - 1
_MAX_DEPTH = 500

# --------------------------------------------------------------------------- errors

_TOKEN_NAMES: dict[str, str] = {
    "FOR": "FOR declaration",
    "LET": "LET declaration",
    "FILTER": "FILTER declaration",
    "RETURN": "RETURN declaration",
    "COLLECT": "COLLECT declaration",
    "SORT": "SORT declaration",
    "LIMIT": "LIMIT declaration",
    "WINDOW": "WINDOW declaration",
    "ASC": "ASC keyword",
    "DESC": "DESC keyword",
    "IN": "IN keyword",
    "WITH": "WITH keyword",
    "INTO": "INTO keyword",
    "AGGREGATE": "AGGREGATE keyword",
    "GRAPH": "GRAPH keyword",
    "SHORTEST_PATH": "SHORTEST_PATH keyword",
    "K_SHORTEST_PATHS": "K_SHORTEST_PATHS keyword",
    "K_PATHS": "K_PATHS keyword",
    "ALL_SHORTEST_PATHS": "ALL_SHORTEST_PATHS keyword",
    "DISTINCT": "DISTINCT modifier",
    "REMOVE": "REMOVE command",
    "INSERT": "INSERT command",
    "UPDATE": "UPDATE command",
    "REPLACE": "REPLACE command",
    "UPSERT": "UPSERT command",
    "NULL": "null",
    "TRUE": "true",
    "FALSE": "false",
    "NAME": "identifier",
    "QNAME": "identifier",
    "OPTIONS": "identifier",
    "SEARCH": "identifier",
    "PRUNE": "identifier",
    "KEEP": "identifier",
    "COUNT": "identifier",
    "TO": "identifier",
    "STRING": "quoted string",
    "INT": "integer number",
    "HEX": "integer number",
    "BIN": "integer number",
    "FLOAT": "number",
    "BIND": "bind parameter",
    "BIND_COLL": "bind data source parameter",
    "ASSIGN": "assignment",
    "NOT": "not operator",
    "BANG": "not operator",
    "AND": "and operator",
    "ANDAND": "and operator",
    "OR": "or operator",
    "OROR": "or operator",
    "NOT_IN": "not in operator",
    "REGEX_MATCH": "~= operator",
    "REGEX_NON_MATCH": "~! operator",
    "EQ": "== operator",
    "NE": "!= operator",
    "LT": "< operator",
    "GT": "> operator",
    "LE": "<= operator",
    "GE": ">= operator",
    "LIKE": "like operator",
    "PLUS": "+ operator",
    "MINUS": "- operator",
    "STAR": "* operator",
    "SLASH": "/ operator",
    "PERCENT": "% operator",
    "QMARK": "?",
    "COLON": ":",
    "SCOPE": "::",
    "RANGE": "..",
    "COMMA": ",",
    "LPAR": "(",
    "RPAR": ")",
    "LBRACE": "{",
    "RBRACE": "}",
    "LSQB": "[",
    "RSQB": "]",
    "DOT": "'.'",
    "$END": "end of query string",
    "OUTBOUND": "outbound modifier",
    "INBOUND": "inbound modifier",
    "ANY": "any modifier",
    "ALL": "all modifier",
    "NONE": "none modifier",
    "AT_LEAST": "at least modifier",
}


def _snippet(text: str, offset: int) -> str:
    """ArangoDB's error region: up to 32 characters from ``offset``, ``...`` when cut."""
    rest = text[offset:]
    if len(rest) > _SNIPPET_LENGTH:
        return rest[:_SNIPPET_LENGTH] + "..."
    return rest


def _parse_error(text: str, message: str, offset: int, line: int, column: int) -> ArangoError:
    where = f" near '{_snippet(text, offset)}' at position {line}:{column}"
    return ArangoError(QUERY_PARSE, message + where)


def _error_at(text: str, message: str, node: ast.Node | Token) -> ArangoError:
    """A 1501 error located at an AST node or token."""
    line = int(node.line or 1)
    column = int(node.column or 1)
    return _parse_error(text, message, _offset_of(text, line, column), line, column)


def _offset_of(text: str, line: int, column: int) -> int:
    offset = 0
    for _ in range(line - 1):
        newline = text.find("\n", offset)
        if newline < 0:
            return len(text)
        offset = newline + 1
    return min(offset + column - 1, len(text))


def _describe(terminal: str) -> str:
    return _TOKEN_NAMES.get(terminal, terminal.lower())


def _acceptable(exc: UnexpectedToken) -> set[str]:
    """Terminals that could really follow (LALR lookaheads alone over-approximate)."""
    interactive = exc.interactive_parser
    if interactive is not None:
        try:
            accepts: Callable[[], set[str]] = interactive.accepts
            return set(accepts())
        except Exception:  # pragma: no cover - best effort only
            pass
    return set(exc.expected)


def _unexpected_token(text: str, exc: UnexpectedToken) -> ArangoError:
    token = exc.token
    unexpected = _describe(token.type)
    expected = sorted({_describe(name) for name in _acceptable(exc)})
    message = f"syntax error, unexpected {unexpected}"
    if 0 < len(expected) <= _MAX_EXPECTED:
        message += ", expecting " + " or ".join(expected)
    offset = token.start_pos if token.start_pos is not None else len(text)
    line = token.line if token.line is not None else 1
    column = token.column if token.column is not None else 1
    return _parse_error(text, message, offset, line, column)


def _unexpected_character(text: str, exc: UnexpectedCharacters) -> ArangoError:
    offset = exc.pos_in_stream or 0
    char = text[offset] if offset < len(text) else ""
    # an unterminated string or quoted name runs to the end of the query
    unexpected = "end of query string" if char in "\"'`\u00b4" else "invalid token"
    return _parse_error(
        text, f"syntax error, unexpected {unexpected}", offset, exc.line, exc.column
    )


def _to_arango_error(text: str, exc: LarkError) -> ArangoError:
    if isinstance(exc, UnexpectedToken):
        return _unexpected_token(text, exc)
    if isinstance(exc, UnexpectedCharacters):
        return _unexpected_character(text, exc)
    if isinstance(exc, UnexpectedInput):
        return _parse_error(text, "syntax error", exc.pos_in_stream or 0, exc.line, exc.column)
    return ArangoError(QUERY_PARSE, "syntax error")


class _SemanticError(Exception):
    """Raised from transformer callbacks; turned into a located 1501 by ``parse``."""

    def __init__(self, message: str, where: ast.Node | Token) -> None:
        super().__init__(message)
        self.message = message
        self.where = where


# --------------------------------------------------------------------------- literal decoding

_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _unescape_one(match: re.Match[str]) -> str:
    body = match.group(1)
    if len(body) == 5:
        return chr(int(body[1:], 16))
    return _ESCAPES.get(body, body)


def _unescape(body: str) -> str:
    """Resolve backslash escapes like ArangoDB (unknown escapes keep the character)."""
    if "\\" not in body:
        return body
    result = _ESCAPE_RE.sub(_unescape_one, body)
    if _SURROGATE_RE.search(result):
        result = result.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return result


def _quoted(token: Token) -> str:
    return _unescape(str(token)[1:-1])


def _number(token: Token) -> int | float | None:
    text = str(token)
    kind = token.type
    if kind == "FLOAT":
        value = float(text)
        return None if value in (float("inf"), float("-inf")) else value
    number = int(text[2:], 16 if kind == "HEX" else 2) if kind in ("HEX", "BIN") else int(text)
    return number if number <= _INT64_MAX else float(number)


# --------------------------------------------------------------------------- helpers


class _Pos(TypedDict):
    line: int
    column: int


def _pos(item: ast.Node | Token) -> _Pos:
    return {"line": int(item.line or 0), "column": int(item.column or 0)}


def _tokens(children: Sequence[Any], kind: str) -> list[Token]:
    return [c for c in children if isinstance(c, Token) and c.type == kind]


def _first_token(children: Sequence[Any], *kinds: str) -> Token | None:
    for child in children:
        if isinstance(child, Token) and child.type in kinds:
            return child
    return None


def _tagged(children: Sequence[Any], tag: str) -> Any:
    for child in children:
        if isinstance(child, tuple) and child and child[0] == tag:
            return child
    return None


def _check_options(options: ast.Expr | None) -> ast.Expr | None:
    if options is not None and not isinstance(options, ast.ObjectLit):
        raise _SemanticError("'OPTIONS' have to be an object", options)
    return options


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
            obj,
            self.levels,
            self.filter,
            offset,
            count,
            self.projection,
            **_pos(obj),
        )


_Access = Callable[[ast.Expr], ast.Expr]


def _current(at: Token) -> ast.Name:
    return ast.Name("CURRENT", **_pos(at))


def _apply_open(expansion: ast.Expansion, op: _Access | _Expand, depth: int) -> ast.Expansion:
    """Apply a postfix operation inside the ``depth``-th nested open expansion."""
    if depth > 1:
        inner = cast(ast.Expansion, expansion.projection)
        return replace(expansion, projection=_apply_open(inner, op, depth - 1))
    if isinstance(op, _Expand):
        element = expansion.projection or _current(op.token)
        return replace(expansion, projection=op.build(element))
    element = expansion.projection or ast.Name("CURRENT", **_pos(expansion))
    return replace(expansion, projection=op(element))


def _fold_access(base: ast.Expr, ops: Sequence[_Access | _Expand]) -> ast.Expr:
    """Fold a postfix chain; accesses after ``[*]`` go into the expansion's projection."""
    current: ast.Expr = base
    depth = 0  # how many nested expansions of this chain are still open
    for op in ops:
        if (
            depth
            and isinstance(current, ast.Expansion)
            and not (isinstance(op, _Expand) and op.levels > 1)
        ):
            current = _apply_open(current, op, depth)
            if isinstance(op, _Expand):
                depth += 1
        elif isinstance(op, _Expand):
            current = op.build(current)
            depth = 1
        else:
            current = op(current)
    return current


_DIRECTIONS: dict[str, ast.Direction] = {
    "OUTBOUND": "OUTBOUND",
    "INBOUND": "INBOUND",
    "ANY": "ANY",
}


def _direction(token: Token) -> ast.Direction:
    return _DIRECTIONS[token.type]


_BIND_TYPES = ("BIND", "BIND_COLL")

_OPERATORS = {
    "OR": "||",
    "OROR": "||",
    "AND": "&&",
    "ANDAND": "&&",
    "IN": "IN",
    "NOT_IN": "NOT IN",
    "LIKE": "LIKE",
    "REGEX_MATCH": "=~",
    "REGEX_NON_MATCH": "!~",
}


# --------------------------------------------------------------------------- transformer


class _Builder(Transformer[Token, ast.Query]):
    """Parse callbacks producing AST nodes. Stateless, so one instance serves every parse."""

    # ---- query structure

    def start(self, children: list[Any]) -> ast.Query:
        query = cast(ast.Query, children[-1])
        if len(children) == 1:
            return query
        with_clause = cast(tuple[Token, tuple[ast.CollectionRef, ...]], children[0])
        token, collections = with_clause
        return ast.Query(query.body, collections, **_pos(token))

    def with_clause(self, children: list[Any]) -> tuple[Token, tuple[ast.CollectionRef, ...]]:
        refs = tuple(self._collection_ref(c) for c in children[1:])
        return (children[0], refs)

    def query(self, children: list[Any]) -> ast.Query:
        body: list[ast.Operation] = []
        for child in children:
            if isinstance(child, list):  # LET a = 1, b = 2 gives several operations
                body.extend(child)
            else:
                body.append(child)
        return self._make_query(tuple(body))

    def _make_query(self, body: tuple[ast.Operation, ...]) -> ast.Query:
        self._check_distinct(body)
        return ast.Query(body, **_pos(body[0]))

    @staticmethod
    def _check_distinct(body: tuple[ast.Operation, ...]) -> None:
        last = body[-1]
        if isinstance(last, ast.Return) and last.distinct:
            loops = (ast.For, ast.Traversal, ast.ShortestPath)
            if not any(isinstance(op, loops) for op in body[:-1]):
                raise _SemanticError(
                    "cannot use DISTINCT modifier on top-level query element", last
                )

    # ---- FOR

    def vars_plain(self, children: list[Any]) -> tuple[str, tuple[str, ...]]:
        return ("plain", tuple(str(c) for c in children))

    def vars_array(self, children: list[Any]) -> tuple[str, tuple[str, ...]]:
        return ("array", tuple(str(c) for c in children[1:]))

    def vars_object(self, children: list[Any]) -> tuple[str, tuple[str, ...]]:
        return ("object", tuple(str(c) for c in children[1:]))

    @staticmethod
    def _plain_vars(
        token: Token, variables: tuple[str, tuple[str, ...]], most: int, message: str
    ) -> tuple[str, ...]:
        kind, names = variables
        if kind != "plain" or len(names) > most:
            raise _SemanticError(message, token)
        return names

    def for_plain(self, children: list[Any]) -> ast.For:
        token, variables, expr = children[0], children[1], children[3]
        options = children[4] if len(children) > 4 else None
        kind, names = variables
        if kind == "plain":
            if len(names) != 1:
                raise _SemanticError(
                    "Collections and views FOR loops only allow a single return variable", token
                )
            return ast.For(names[0], expr, options, **_pos(token))
        return ast.For(None, expr, options, (kind, names), **_pos(token))

    def for_opts(self, children: list[Any]) -> ast.Expr | None:
        return _check_options(children[1])

    def for_search(self, children: list[Any]) -> ast.Expr:
        raise _SemanticError("SEARCH is not supported: arangolite has no views", children[0])

    def steps_default(self, children: list[Any]) -> tuple[ast.Direction, ast.Expr | None]:
        return (children[0], None)

    def steps_expr(self, children: list[Any]) -> tuple[ast.Direction, ast.Expr | None]:
        return (children[1], children[0])

    def direction(self, children: list[Any]) -> ast.Direction:
        return _direction(children[0])

    @staticmethod
    def _depths(depth: ast.Expr | None) -> tuple[ast.Expr | None, ast.Expr | None]:
        if depth is None:
            return (None, None)
        if isinstance(depth, ast.Range):
            return (depth.low, depth.high)
        return (depth, depth)

    def for_traversal(self, children: list[Any]) -> ast.Traversal:
        token = children[0]
        names = self._plain_vars(
            token, children[1], 3, "Traversals only have one, two or three return variables"
        )
        direction, depth = children[3]
        start, subject = children[4], children[5]
        prune = _tagged(children[6:], "prune")
        options = _tagged(children[6:], "options")
        low, high = self._depths(depth)
        graph, edges = subject
        return ast.Traversal(
            names[0],
            names[1] if len(names) > 1 else None,
            names[2] if len(names) > 2 else None,
            direction,
            start,
            low,
            high,
            graph,
            edges,
            prune[2] if prune else None,
            prune[1] if prune else None,
            options[1] if options else None,
            **_pos(token),
        )

    def for_path(self, children: list[Any]) -> ast.ShortestPath:
        token, variables, direction, kind_token = children[0], children[1], children[3], children[4]
        kind = cast(Any, kind_token.type)
        if kind == "SHORTEST_PATH":
            most, message = 2, "SHORTEST_PATH must have one or two return variables"
        else:
            most, message = 1, f"{kind} only has one return variable"
        names = self._plain_vars(token, variables, most, message)
        start, target, subject = children[5], children[7], children[8]
        options = _tagged(children[9:], "options")
        graph, edges = subject
        return ast.ShortestPath(
            kind,
            names[0],
            names[1] if len(names) > 1 else None,
            direction,
            start,
            target,
            graph,
            edges,
            options[1] if options else None,
            **_pos(token),
        )

    def for_kpaths(self, children: list[Any]) -> ast.ShortestPath:
        token = children[0]
        names = self._plain_vars(token, children[1], 1, "K_PATHS only has one return variable")
        direction, depth = children[3]
        start, target, subject = children[5], children[7], children[8]
        options = _tagged(children[9:], "options")
        low, high = self._depths(depth)
        graph, edges = subject
        return ast.ShortestPath(
            "K_PATHS",
            names[0],
            None,
            direction,
            start,
            target,
            graph,
            edges,
            options[1] if options else None,
            low,
            high,
            **_pos(token),
        )

    def graph_named(self, children: list[Any]) -> tuple[ast.Expr, tuple[()]]:
        name = cast(Token, children[1])
        if name.type == "STRING":
            return (ast.Literal(_quoted(name), **_pos(name)), ())
        if name.type in _BIND_TYPES:
            return (self._bind_token(name), ())
        return (ast.Literal(str(name), **_pos(name)), ())

    def graph_edges(self, children: list[Any]) -> tuple[None, tuple[ast.EdgeCollectionRef, ...]]:
        return (None, tuple(children))

    def edge_coll(self, children: list[Any]) -> ast.EdgeCollectionRef:
        direction = children[0] if len(children) == 2 else None
        target = cast(Token, children[-1])
        collection: ast.Name | ast.BindCollection
        if target.type == "BIND":
            raise _SemanticError(
                "edge collections must be given as names or @@ bind parameters", target
            )
        if target.type == "BIND_COLL":
            collection = ast.BindCollection(str(target)[2:], **_pos(target))
        else:
            collection = ast.Name(str(target), **_pos(target))
        return ast.EdgeCollectionRef(collection, direction, **_pos(collection))

    def prune_var(self, children: list[Any]) -> tuple[str, str, ast.Expr]:
        return ("prune", str(children[1]), children[3])

    def prune_plain(self, children: list[Any]) -> tuple[str, None, ast.Expr]:
        return ("prune", None, children[1])

    def opts(self, children: list[Any]) -> tuple[str, ast.Expr]:
        return ("options", children[1])

    # ---- LET, FILTER, COLLECT, WINDOW, SORT, LIMIT, RETURN

    def let_op(self, children: list[Any]) -> list[ast.Let]:
        token = children[0]
        items = cast(list[tuple[str, ast.Expr]], children[1:])
        return [ast.Let(name, expr, **_pos(token)) for name, expr in items]

    def let_item(self, children: list[Any]) -> tuple[str, ast.Expr]:
        return (str(children[0]), children[2])

    def filter_op(self, children: list[Any]) -> ast.Filter:
        return ast.Filter(children[1], **_pos(children[0]))

    def collect_op(self, children: list[Any]) -> ast.Collect:
        token = children[0]
        parts = children[1:]
        groups = _tagged(parts, "groups")
        aggregates = _tagged(parts, "aggregate")
        into = _tagged(parts, "into")
        keep = _tagged(parts, "keep")
        count = _tagged(parts, "count")
        options = _tagged(parts, "options")
        if keep and not into:
            raise _SemanticError("use of 'KEEP' without 'INTO'", keep[2])
        return ast.Collect(
            groups[1] if groups else (),
            aggregates[1] if aggregates else (),
            into[1] if into else None,
            into[2] if into else None,
            keep[1] if keep else (),
            count[1] if count else None,
            options[1] if options else None,
            **_pos(token),
        )

    def collect_groups(self, children: list[Any]) -> tuple[str, tuple[tuple[str, ast.Expr], ...]]:
        return ("groups", tuple(children))

    def collect_item(self, children: list[Any]) -> tuple[str, ast.Expr]:
        return (str(children[0]), children[2])

    def aggregate(self, children: list[Any]) -> tuple[str, tuple[ast.Aggregate, ...]]:
        return ("aggregate", tuple(children[1:]))

    def agg_item(self, children: list[Any]) -> ast.Aggregate:
        name = children[0]
        return ast.Aggregate(str(name), children[2], **_pos(name))

    def collect_into(self, children: list[Any]) -> tuple[str, str, ast.Expr | None, Token]:
        expr = children[3] if len(children) > 3 else None
        return ("into", str(children[1]), expr, children[0])

    def collect_keep(self, children: list[Any]) -> tuple[str, tuple[str, ...], Token]:
        return ("keep", tuple(str(c) for c in children[1:]), children[0])

    def count_into(self, children: list[Any]) -> tuple[str, str, Token]:
        return ("count", str(children[3]), children[0])

    def window_plain(self, children: list[Any]) -> ast.Window:
        token, bounds, aggregates = children
        self._check_window(bounds)
        return ast.Window(bounds, aggregates[1], **_pos(token))

    def window_range(self, children: list[Any]) -> ast.Window:
        token, range_expr, _, bounds, aggregates = children
        self._check_window(bounds)
        return ast.Window(bounds, aggregates[1], range_expr, **_pos(token))

    @staticmethod
    def _check_window(bounds: ast.ObjectLit) -> None:
        if not bounds.items:
            raise _SemanticError(
                "At least one WINDOW bound must be specified ('preceding'/'following')", bounds
            )
        seen: set[str] = set()
        for item in bounds.items:
            key = item.key
            if not isinstance(key, str) or key not in ("preceding", "following"):
                raise _SemanticError(
                    f"Invalid WINDOW attribute '{key if isinstance(key, str) else '?'}'; "
                    'only "preceding" and "following" are supported',
                    item,
                )
            if key in seen:
                raise _SemanticError(f"WINDOW attribute '{key}' is specified multiple times", item)
            seen.add(key)

    def sort_op(self, children: list[Any]) -> ast.Sort:
        return ast.Sort(tuple(children[1:]), **_pos(children[0]))

    def sort_item(self, children: list[Any]) -> ast.SortKey:
        expr = children[0]
        ascending = not (len(children) > 1 and children[1].type == "DESC")
        return ast.SortKey(expr, ascending, **_pos(expr))

    def limit_op(self, children: list[Any]) -> ast.Limit:
        token = children[0]
        if len(children) == 3:
            return ast.Limit(children[2], children[1], **_pos(token))
        return ast.Limit(children[1], **_pos(token))

    def return_op(self, children: list[Any]) -> ast.Return:
        return ast.Return(children[-1], len(children) == 3, **_pos(children[0]))

    # ---- modifications

    def _collection_ref(self, item: Token) -> ast.CollectionRef:
        if item.type == "STRING":
            return ast.Literal(_quoted(item), **_pos(item))
        if item.type in _BIND_TYPES:
            return self._bind_token(item)
        return ast.Name(str(item), **_pos(item))

    def in_coll(self, children: list[Any]) -> tuple[str, ast.CollectionRef]:
        return ("collection", self._collection_ref(children[1]))

    @staticmethod
    def _modification_parts(
        children: list[Any],
    ) -> tuple[list[Any], ast.CollectionRef, ast.Expr | None]:
        collection = _tagged(children, "collection")[1]
        options = _tagged(children, "options")
        exprs = [c for c in children[1:] if not isinstance(c, (Token, tuple))]
        return exprs, collection, options[1] if options else None

    def insert_op(self, children: list[Any]) -> ast.Insert:
        exprs, collection, options = self._modification_parts(children)
        return ast.Insert(exprs[0], collection, options, **_pos(children[0]))

    def update_op(self, children: list[Any]) -> ast.Update:
        exprs, collection, options = self._modification_parts(children)
        key = exprs[0] if len(exprs) == 2 else None
        return ast.Update(key, exprs[-1], collection, options, **_pos(children[0]))

    def replace_op(self, children: list[Any]) -> ast.Replace:
        exprs, collection, options = self._modification_parts(children)
        key = exprs[0] if len(exprs) == 2 else None
        return ast.Replace(key, exprs[-1], collection, options, **_pos(children[0]))

    def remove_op(self, children: list[Any]) -> ast.Remove:
        exprs, collection, options = self._modification_parts(children)
        return ast.Remove(exprs[0], collection, options, **_pos(children[0]))

    def upsert_op(self, children: list[Any]) -> ast.Upsert:
        token = children[0]
        search = children[1]
        if isinstance(search, Token):
            search = self._bind_token(search)
        exprs, collection, options = self._modification_parts(children[2:])
        replace_ = _first_token(children, "REPLACE") is not None
        return ast.Upsert(search, exprs[0], exprs[1], collection, replace_, options, **_pos(token))

    # ---- expressions

    def ternary(self, children: list[Any]) -> ast.Ternary:
        cond = children[0]
        return ast.Ternary(cond, children[2], children[3], **_pos(cond))

    def ternary_short(self, children: list[Any]) -> ast.Ternary:
        cond = children[0]
        return ast.Ternary(cond, None, children[2], **_pos(cond))

    def binop(self, children: list[Any]) -> ast.Binary:
        left, op, right = children
        return ast.Binary(op, left, right, **_pos(left))

    def array_cmp(self, children: list[Any]) -> ast.ArrayCompare:
        left, quantifier, op, right = children
        name, at_least = quantifier
        return ast.ArrayCompare(name, op, left, right, at_least, **_pos(left))

    def quantifier(self, children: list[Any]) -> tuple[str, ast.Expr | None]:
        token = children[0]
        if token.type == "AT_LEAST":
            return ("AT LEAST", children[2])
        return (token.type, None)

    def range(self, children: list[Any]) -> ast.Range:
        low = children[0]
        return ast.Range(low, children[2], **_pos(low))

    def unary(self, children: list[Any]) -> ast.Unary:
        op, operand = children
        return ast.Unary(op[0], operand, **_pos(op[1]))

    def unary_op(self, children: list[Any]) -> tuple[str, Token]:
        token = children[0]
        symbol = {"NOT": "!", "BANG": "!", "MINUS": "-", "PLUS": "+"}[token.type]
        return (symbol, token)

    def _operator(self, children: list[Any]) -> str:
        if len(children) == 2:  # NOT LIKE, NOT =~, NOT !~
            negated = {"LIKE": "NOT LIKE", "REGEX_MATCH": "!~", "REGEX_NON_MATCH": "=~"}
            return negated[children[1].type]
        token = children[0]
        return _OPERATORS.get(token.type, str(token))

    or_op = and_op = eq_op = in_op = rel_op = add_op = mul_op = _operator

    # ---- postfix

    def access(self, children: list[Any]) -> ast.Expr:
        return _fold_access(children[0], children[1:])

    def op_attr(self, children: list[Any]) -> _Access:
        name = str(children[1])
        return lambda obj: ast.Attribute(obj, name, **_pos(obj))

    def op_bind_attr(self, children: list[Any]) -> _Access:
        param = self._bind_token(children[1])
        return lambda obj: ast.Index(obj, param, **_pos(obj))

    def op_index(self, children: list[Any]) -> _Access:
        index = children[1]
        return lambda obj: ast.Index(obj, index, **_pos(obj))

    def op_expand(self, children: list[Any]) -> _Expand:
        token = children[0]
        levels = len(_tokens(children, "STAR"))
        filter_ = _tagged(children, "filter")
        limit = _tagged(children, "limit")
        projection = _tagged(children, "return")
        return _Expand(
            token,
            levels,
            filter_[1] if filter_ else None,
            limit[1] if limit else None,
            projection[1] if projection else None,
        )

    def exp_filter(self, children: list[Any]) -> tuple[str, ast.Expr]:
        return ("filter", children[1])

    def exp_limit(self, children: list[Any]) -> tuple[str, tuple[ast.Expr | None, ast.Expr]]:
        if len(children) == 3:
            return ("limit", (children[1], children[2]))
        return ("limit", (None, children[1]))

    def exp_return(self, children: list[Any]) -> tuple[str, ast.Expr]:
        return ("return", children[1])

    # ---- primaries

    def var(self, children: list[Any]) -> ast.Name:
        name = children[0]
        return ast.Name(str(name), **_pos(name))

    def _bind_token(self, token: Token) -> ast.BindParam | ast.BindCollection:
        text = str(token)
        if text.startswith("@@"):
            return ast.BindCollection(text[2:], **_pos(token))
        return ast.BindParam(text[1:], **_pos(token))

    def bind(self, children: list[Any]) -> ast.BindParam | ast.BindCollection:
        return self._bind_token(children[0])

    bind_coll = bind

    def paren(self, children: list[Any]) -> ast.Expr:
        return cast(ast.Expr, children[1])

    def subquery(self, children: list[Any]) -> ast.Subquery:
        return ast.Subquery(children[1], **_pos(children[0]))

    def _call_args(self, children: list[Any]) -> tuple[ast.Expr, ...]:
        args: list[ast.Expr] = []
        for child in children:
            if isinstance(child, ast.Query):
                args.append(ast.Subquery(child, **_pos(child)))
            else:
                args.append(child)
        return tuple(args)

    def func_call(self, children: list[Any]) -> ast.FuncCall:
        name, token = children[0]
        return ast.FuncCall(name, self._call_args(children[2:]), **_pos(token))

    def like_call(self, children: list[Any]) -> ast.FuncCall:
        return ast.FuncCall("LIKE", self._call_args(children[2:]), **_pos(children[0]))

    def func_name(self, children: list[Any]) -> tuple[str, Any]:
        parts = [str(c) for c in children if not (isinstance(c, Token) and c.type == "SCOPE")]
        return ("::".join(parts).upper(), children[0])

    def array(self, children: list[Any]) -> ast.ArrayLit:
        return ast.ArrayLit(tuple(children[1:]), **_pos(children[0]))

    def object(self, children: list[Any]) -> ast.ObjectLit:
        return ast.ObjectLit(tuple(children[1:]), **_pos(children[0]))

    def obj_short(self, children: list[Any]) -> ast.ObjectItem:
        name = children[0]
        if name.type == "NAME" and name.upper() in _RESERVED:
            raise _SemanticError(f"syntax error, unexpected {_describe(name.upper())}", name)
        return ast.ObjectItem(str(name), ast.Name(str(name), **_pos(name)), **_pos(name))

    def obj_plain(self, children: list[Any]) -> ast.ObjectItem:
        key = children[0]
        text = _quoted(key) if isinstance(key, Token) and key.type == "STRING" else str(key)
        return ast.ObjectItem(text, children[1], **_pos(key))

    def obj_bind(self, children: list[Any]) -> ast.ObjectItem:
        key = self._bind_token(children[0])
        return ast.ObjectItem(key, children[1], **_pos(key))

    def obj_computed(self, children: list[Any]) -> ast.ObjectItem:
        return ast.ObjectItem(children[1], children[2], **_pos(children[0]))

    def literal(self, children: list[Any]) -> ast.Literal:
        token = children[0]
        kind = token.type
        value: bool | int | float | str | None
        if kind == "STRING":
            value = _quoted(token)
        elif kind in ("NULL", "TRUE", "FALSE"):
            value = {"NULL": None, "TRUE": True, "FALSE": False}[kind]
        else:
            value = _number(token)
        return ast.Literal(value, **_pos(token))

    def name(self, children: list[Any]) -> Token:
        token = cast(Token, children[0])
        if token.type == "QNAME":
            return token.update(value=_quoted(token))
        return token


# --------------------------------------------------------------------------- parser


# ArangoDB's reserved words. The contextual lexer alone would read them as names wherever the
# grammar cannot take the keyword; like ArangoDB we keep them reserved, except right after ``.``
# and as object keys (``doc.filter``, ``{count: 1}``), where a name is the only possibility.
_RESERVED_WORDS = """FOR LET FILTER RETURN COLLECT SORT LIMIT WINDOW DISTINCT AGGREGATE ASC DESC
    NOT AND OR IN INTO WITH REMOVE INSERT UPDATE REPLACE UPSERT GRAPH SHORTEST_PATH
    K_SHORTEST_PATHS K_PATHS ALL_SHORTEST_PATHS OUTBOUND INBOUND ANY ALL NONE LIKE NULL TRUE FALSE"""
_RESERVED = frozenset(_RESERVED_WORDS.split())


def _reserve_keywords(parser: Lark) -> None:
    """Wrap the contextual lexer so reserved words stay keywords outside name-only positions."""
    frontend: Any = parser.parser
    table: Any = frontend.parser._parse_table
    name_only = frozenset(
        state
        for state, actions in table.states.items()
        if "BIND" in actions and "LPAR" not in actions
    )
    lexer: Any = frontend.lexer
    original = lexer.lex

    def lex(lexer_state: Any, parser_state: Any) -> Iterator[Token]:
        for token in original(lexer_state, parser_state):
            if token.type == "NAME" and parser_state.position not in name_only:
                word = token.upper()
                if word in _RESERVED:
                    token = Token.new_borrow_pos(word, str(token), token)
            yield token

    lexer.lex = lex


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = _GRAMMAR_FILE.read_text(encoding="utf-8")
    parser = Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        transformer=_Builder(),
        cache=False,
        maybe_placeholders=False,
    )
    _reserve_keywords(parser)
    return parser


_ONLY_COMMENTS = re.compile(r"(?:\s|//[^\n]*+|/\*(?:[^*]|\*(?!/))*+\*/)*+", re.DOTALL)


def _is_empty(text: str) -> bool:
    return _ONLY_COMMENTS.fullmatch(text) is not None


def _run(text: str) -> ast.Query:
    try:
        result = _parser().parse(text)
    except _SemanticError as exc:
        raise _error_at(text, exc.message, exc.where) from None
    except LarkError as exc:
        inner = getattr(exc, "orig_exc", None)
        if isinstance(inner, _SemanticError):
            raise _error_at(text, inner.message, inner.where) from None
        if isinstance(inner, RecursionError):
            raise ArangoError(QUERY_PARSE, "query is too deeply nested") from None
        raise _to_arango_error(text, exc) from None
    except RecursionError:
        raise ArangoError(QUERY_PARSE, "query is too deeply nested") from None
    return cast(ast.Query, result)


def _check_depth(query: ast.Query) -> None:
    """Reject ASTs nested deeper than ``_MAX_DEPTH`` (the consumers of the AST recurse)."""
    stack: list[tuple[Any, int]] = [(query, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, ast.Node):
            if depth > _MAX_DEPTH:
                raise ArangoError(QUERY_PARSE, "query is too deeply nested")
            for field_name in item.__dataclass_fields__:
                if field_name not in ("line", "column"):
                    stack.append((getattr(item, field_name), depth + 1))
        elif isinstance(item, tuple):
            stack.extend((child, depth) for child in item)


@lru_cache(maxsize=512)
def _parse_cached(text: str) -> ast.Query:
    if _is_empty(text):
        raise ArangoError(QUERY_EMPTY)
    query = _run(text)
    if len(text) > _MAX_DEPTH:  # a shorter text cannot nest that deep
        _check_depth(query)
    return replace(query, text=text)


def parse(text: str) -> ast.Query:
    """Parse an AQL query into an ``ast.Query`` (``Query.text`` is set to ``text``).

    Raises:
        ArangoError: ``QUERY_EMPTY`` (1502) when the text holds no tokens,
            ``QUERY_PARSE`` (1501) for any syntax error, with ArangoDB's message shape.
    """
    if not isinstance(text, str):
        raise ArangoError(QUERY_PARSE, "query must be a string")
    try:
        return _parse_cached(text)
    except ArangoError:
        raise
    except Exception as exc:  # defensive: no other exception type may escape
        raise ArangoError(QUERY_PARSE, f"syntax error, {type(exc).__name__}") from None
