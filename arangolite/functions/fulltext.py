"""FULLTEXT(collection, attribute, query, limit): documents whose indexed words match the query.

The query is a comma-separated list of words, each optionally prefixed ``prefix:`` (words
starting with it) or ``complete:`` (the whole word, the default), and by ``+`` (and, the
default), ``|`` (or) or ``-`` (and not); terms apply from left to right. A query without any word
is error 10. It needs a fulltext index on the attribute (error 1571 otherwise). Results come in
the collection's order.
"""

from __future__ import annotations

from typing import Any

from arangolite.errors import (
    BAD_PARAMETER,
    QUERY_FULLTEXT_INDEX_MISSING,
    QUERY_FUNCTION_ARGUMENT_TYPE_MISMATCH,
    ArangoError,
)
from arangolite.functions._args import string_arg
from arangolite.functions.registry import FunctionContext, aql_function

_OPERATORS = "+|-"


def _terms(query: str) -> list[tuple[str, str, str]]:
    """``(operator, mode, word)`` for each comma-separated term."""
    out = []
    for raw in query.split(","):
        term = raw.strip()
        op = "+"
        if term and term[0] in _OPERATORS:
            op, term = term[0], term[1:].strip()
        mode = "complete"
        for prefix in ("prefix:", "complete:"):
            if term.lower().startswith(prefix):
                mode, term = prefix[:-1], term[len(prefix) :]
        if term:
            out.append((op, mode, term))
    return out


def matching_keys(index: Any, query: str) -> set[str]:
    """Keys of the committed documents the index says match ``query``."""
    terms = _terms(query)
    if not terms:
        raise ArangoError(BAD_PARAMETER, f"fulltext query '{query}' has no search word")
    result: set[str] | None = None
    for op, mode, word in terms:
        keys = index.prefix(word) if mode == "prefix" else index.complete(word)
        if result is None:
            result = keys if op != "-" else set()
        elif op == "+":
            result &= keys
        elif op == "|":
            result |= keys
        else:
            result -= keys
    return result or set()


def _matches_document(index: Any, doc: dict[str, Any], query: str) -> bool:
    """Whether one (uncommitted) document matches, by indexing it on its own."""
    single = type(index)(
        index.id, index.name, {"fields": index.fields, "minLength": index.min_length}
    )
    single.insert(doc)
    return bool(matching_keys(single, query))


@aql_function("FULLTEXT", 3, 4, context=True, deterministic=False, collection_args=(0,))
def fulltext(
    ctx: FunctionContext, coll: Any, attribute: Any, query: Any, limit: Any = None
) -> list[dict[str, Any]]:
    """Documents whose ``attribute`` matches the fulltext ``query``."""
    name, attr, text = string_arg(coll), string_arg(attribute), string_arg(query)
    view = ctx.index_view(name, "fulltext")
    if view is None or view.index.fields != [attr]:
        raise ArangoError(QUERY_FULLTEXT_INDEX_MISSING, name)
    found: list[dict[str, Any]] = view.matching(
        lambda index: matching_keys(index, text),
        lambda d: _matches_document(view.index, d, text),
        _limit(limit),
    )
    return found


def _limit(limit: Any) -> int | None:
    """How many documents ``FULLTEXT`` gives at most (None: all). As ArangoDB's optimizer,
    which makes the call an index read and the limit a LIMIT after it: an integer or null
    (else 1542), 0 gives none, and a negative one, read as an unsigned count, no limit."""
    if limit is None:
        return None
    if type(limit) is not int:
        raise ArangoError(QUERY_FUNCTION_ARGUMENT_TYPE_MISMATCH, message="limit parameter has wrong type")
    return limit if limit >= 0 else None
