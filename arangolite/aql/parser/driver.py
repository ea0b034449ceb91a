"""``parse``: AQL text -> ``ast.Query``, with ArangoDB's 1501/1502 errors and a parse cache."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Any, cast

from lark.exceptions import LarkError

from arangolite.aql import ast
from arangolite.aql.parser.errors import TOO_DEEP, SemanticError, error_at, from_lark_error
from arangolite.aql.parser.loader import lark_parser
from arangolite.errors import QUERY_EMPTY, QUERY_PARSE, ArangoError

__all__ = ["parse"]

_MAX_DEPTH = 500
_ONLY_COMMENTS = re.compile(r"(?:\s|//[^\n]*+|/\*(?:[^*]|\*(?!/))*+\*/)*+", re.DOTALL)


def _is_empty(text: str) -> bool:
    return _ONLY_COMMENTS.fullmatch(text) is not None


def _run(text: str) -> ast.Query:
    try:
        result = lark_parser().parse(text)
    except SemanticError as exc:
        raise error_at(text, exc.message, exc.where) from None
    except LarkError as exc:
        raise from_lark_error(text, exc) from None
    except RecursionError:
        raise ArangoError(QUERY_PARSE, TOO_DEEP) from None
    return cast(ast.Query, result)


def _check_depth(query: ast.Query) -> None:
    """Reject ASTs nested deeper than ``_MAX_DEPTH`` (the consumers of the AST recurse)."""
    stack: list[tuple[Any, int]] = [(query, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, ast.Node):
            if depth > _MAX_DEPTH:
                raise ArangoError(QUERY_PARSE, TOO_DEEP)
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

    Args:
        text: the AQL query.

    Returns:
        The query's AST (immutable; recent texts are answered from a cache).

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
