"""AST leaves from single tokens (strings, numbers, bind parameters, collection names), positions."""

from __future__ import annotations

import re
from typing import TypedDict

from lark import Token

from arangolite.aql import ast

__all__ = ["BIND_TYPES", "Pos", "bind_token", "collection_ref", "number", "pos", "quoted"]

BIND_TYPES = ("BIND", "BIND_COLL")
_INT64_MAX = 2**63 - 1
_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


class Pos(TypedDict):
    """The ``line`` and ``column`` keyword arguments of an AST node."""

    line: int
    column: int


def pos(item: ast.Node | Token) -> Pos:
    """Where a node or token starts, as keyword arguments for a new AST node."""
    return {"line": int(item.line or 0), "column": int(item.column or 0)}


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


def quoted(token: Token) -> str:
    """The text of a quoted string or name, quotes removed and escapes resolved."""
    return _unescape(str(token)[1:-1])


def number(token: Token) -> int | float | None:
    """The value of a number token: beyond int64 a float, an overflowing float ``None``."""
    text = str(token)
    kind = token.type
    if kind == "FLOAT":
        value = float(text)
        return None if value in (float("inf"), float("-inf")) else value
    integer = int(text[2:], 16 if kind == "HEX" else 2) if kind in ("HEX", "BIN") else int(text)
    return integer if integer <= _INT64_MAX else float(integer)


def bind_token(token: Token) -> ast.BindParam | ast.BindCollection:
    """``@name`` -> ``BindParam``, ``@@name`` -> ``BindCollection``."""
    text = str(token)
    if text.startswith("@@"):
        return ast.BindCollection(text[2:], **pos(token))
    return ast.BindParam(text[1:], **pos(token))


def collection_ref(item: Token) -> ast.CollectionRef:
    """A collection given as a name, a quoted string or a bind parameter."""
    if item.type == "STRING":
        return ast.Literal(quoted(item), **pos(item))
    if item.type in BIND_TYPES:
        return bind_token(item)
    return ast.Name(str(item), **pos(item))
