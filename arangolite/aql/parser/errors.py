"""Parse failures -> ArangoDB's 1501 errors, located at a line and column of the query text."""

from __future__ import annotations

from collections.abc import Callable

from lark import Token
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from arangolite.aql import ast
from arangolite.aql.parser.token_names import describe
from arangolite.errors import QUERY_PARSE, ArangoError

__all__ = ["TOO_DEEP", "SemanticError", "error_at", "from_lark_error"]

TOO_DEEP = "query is too deeply nested"
_SNIPPET_LENGTH = 32
_MAX_EXPECTED = 4


class SemanticError(Exception):
    """Raised from transformer callbacks; turned into a located 1501 by ``parse``.

    Args:
        message: the error message, without ArangoDB's ``near '...' at position`` suffix.
        where: the AST node or token the error points at.
    """

    def __init__(self, message: str, where: ast.Node | Token) -> None:
        super().__init__(message)
        self.message = message
        self.where = where


def _snippet(text: str, offset: int) -> str:
    """ArangoDB's error region: up to 32 characters from ``offset``, ``...`` when cut."""
    rest = text[offset:]
    if len(rest) > _SNIPPET_LENGTH:
        return rest[:_SNIPPET_LENGTH] + "..."
    return rest


def _parse_error(text: str, message: str, offset: int, line: int, column: int) -> ArangoError:
    where = f" near '{_snippet(text, offset)}' at position {line}:{column}"
    return ArangoError(QUERY_PARSE, message + where)


def _offset_of(text: str, line: int, column: int) -> int:
    offset = 0
    for _ in range(line - 1):
        newline = text.find("\n", offset)
        if newline < 0:
            return len(text)
        offset = newline + 1
    return min(offset + column - 1, len(text))


def error_at(text: str, message: str, node: ast.Node | Token) -> ArangoError:
    """A 1501 error located at an AST node or token."""
    line = int(node.line or 1)
    column = int(node.column or 1)
    return _parse_error(text, message, _offset_of(text, line, column), line, column)


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
    unexpected = describe(token.type)
    expected = sorted({describe(name) for name in _acceptable(exc)})
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


def _syntax_error(text: str, exc: LarkError) -> ArangoError:
    if isinstance(exc, UnexpectedToken):
        return _unexpected_token(text, exc)
    if isinstance(exc, UnexpectedCharacters):
        return _unexpected_character(text, exc)
    if isinstance(exc, UnexpectedInput):
        return _parse_error(text, "syntax error", exc.pos_in_stream or 0, exc.line, exc.column)
    return ArangoError(QUERY_PARSE, "syntax error")


def from_lark_error(text: str, exc: LarkError) -> ArangoError:
    """The 1501 error for a lark failure, or for what a transformer callback raised inside it."""
    inner = getattr(exc, "orig_exc", None)
    if isinstance(inner, SemanticError):
        return error_at(text, inner.message, inner.where)
    if isinstance(inner, RecursionError):
        return ArangoError(QUERY_PARSE, TOO_DEEP)
    return _syntax_error(text, exc)
