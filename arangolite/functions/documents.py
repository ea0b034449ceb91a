"""Document handle and collection functions: DOCUMENT, PARSE_IDENTIFIER, PARSE_KEY,
PARSE_COLLECTION, IS_SAME_COLLECTION and COLLECTION_COUNT."""

from __future__ import annotations

from typing import Any

from arangolite.errors import QUERY_FUNCTION_ARGUMENT_TYPE_MISMATCH, ArangoError
from arangolite.functions._args import type_warning
from arangolite.functions.registry import FunctionContext, aql_function


def split_id(handle: Any) -> tuple[str, str] | None:
    """``(collection, key)`` of a document id string or of an object's ``_id``; None if invalid."""
    if type(handle) is dict:
        handle = handle.get("_id")
    if type(handle) is not str:
        return None
    collection, sep, key = handle.partition("/")
    if not sep or not collection or not key:
        return None
    return collection, key


def _parsed(handle: Any, fname: str) -> tuple[str, str]:
    parts = split_id(handle)
    if parts is None:
        raise type_warning(fname)
    return parts


@aql_function("PARSE_IDENTIFIER", 1)
def parse_identifier(handle: Any) -> dict[str, str]:
    """``{collection, key}`` of a document id or a document."""
    collection, key = _parsed(handle, "PARSE_IDENTIFIER")
    return {"collection": collection, "key": key}


@aql_function("PARSE_KEY", 1)
def parse_key(handle: Any) -> str:
    """The key part of a document id or a document's ``_id``."""
    return _parsed(handle, "PARSE_KEY")[1]


@aql_function("PARSE_COLLECTION", 1)
def parse_collection(handle: Any) -> str:
    """The collection part of a document id or a document's ``_id``."""
    return _parsed(handle, "PARSE_COLLECTION")[0]


@aql_function("IS_SAME_COLLECTION", 2, collection_args=(0, 1))
def is_same_collection(collection: Any, handle: Any) -> bool:
    """Whether the document id (or document) belongs to ``collection``."""
    parts = split_id(handle)
    if type(collection) is not str or parts is None:
        raise type_warning("IS_SAME_COLLECTION")
    return parts[0] == collection


def _by_id(ctx: FunctionContext, handle: Any) -> dict[str, Any] | None:
    parts = split_id(handle)
    return None if parts is None else ctx.document(f"{parts[0]}/{parts[1]}")


def _by_key(ctx: FunctionContext, collection: str, handle: Any) -> dict[str, Any] | None:
    if type(handle) is dict:
        handle = handle.get("_id")
    if type(handle) is not str:
        return None
    if "/" not in handle:
        return ctx.collection_get(collection, handle)
    parts = split_id(handle)
    if parts is None or parts[0] != collection:
        return None
    return ctx.collection_get(collection, parts[1])


def _present(docs: list[dict[str, Any] | None]) -> list[dict[str, Any]]:
    return [d for d in docs if d is not None]


@aql_function("DOCUMENT", 1, 2, context=True, deterministic=False, collection_args=(0,))
def document(ctx: FunctionContext, first: Any, second: Any = ...) -> Any:
    """Look documents up: ``DOCUMENT(id)``, ``DOCUMENT([ids])``, ``DOCUMENT(coll, key)`` or
    ``DOCUMENT(coll, [keys])``. A single missing document gives null; arrays skip missing ones."""
    if second is ...:
        if type(first) is list:
            return _present([_by_id(ctx, h) for h in first])
        return _by_id(ctx, first)
    if type(first) is not str:
        raise type_warning("DOCUMENT")
    if type(second) is list:
        return _present([_by_key(ctx, first, h) for h in second])
    return _by_key(ctx, first, second)


@aql_function("COLLECTION_COUNT", 1, context=True, deterministic=False, collection_args=(0,))
def collection_count(ctx: FunctionContext, collection: Any) -> int:
    """How many documents a collection holds: ``COLLECTION_COUNT(coll)`` or with its name as a
    string (what ``LENGTH(coll)`` and ``COUNT(coll)`` are turned into, as ArangoDB does: the
    count, not the documents). Not a string: 1542, as an error; no such collection: 1203."""
    if type(collection) is not str:
        raise ArangoError(QUERY_FUNCTION_ARGUMENT_TYPE_MISMATCH, "COLLECTION_COUNT")
    return ctx.collection_count(collection)
