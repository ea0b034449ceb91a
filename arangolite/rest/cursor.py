"""``/_api/cursor``: run AQL and page through the result in batches.

A query's rows are computed when the cursor is created; the cursor keeps the rest for later
batches until it is exhausted, deleted, or idle for longer than its ``ttl``. With ``allowRetry``
the last batch can be fetched again through ``/_api/cursor/<id>/<batchId>``.
"""

from __future__ import annotations

import time
import weakref
from dataclasses import dataclass, field
from typing import Any

from arangolite.errors import (
    BAD_PARAMETER,
    CURSOR_NOT_FOUND,
    HTTP_BAD_PARAMETER,
    QUERY_EMPTY,
    ArangoError,
)
from arangolite.rest.http import Context, Response, ok, require_object
from arangolite.rest.router import Router
from arangolite.storage.engine import Engine

__all__ = ["Cursor", "CursorStore", "register"]

_DEFAULT_STATS: dict[str, Any] = {
    "writesExecuted": 0,
    "writesIgnored": 0,
    "documentLookups": 0,
    "seeks": 0,
    "scannedFull": 0,
    "scannedIndex": 0,
    "cursorsCreated": 0,
    "cursorsRearmed": 0,
    "cacheHits": 0,
    "cacheMisses": 0,
    "filtered": 0,
    "httpRequests": 0,
    "executionTime": 0.0,
    "peakMemoryUsage": 0,
    "intermediateCommits": 0,
}


@dataclass
class Cursor:
    """A result being paged through."""

    id: str
    db_name: str
    rows: list[Any]
    batch_size: int
    with_count: bool
    extra: dict[str, Any]
    ttl: float
    allow_retry: bool = False
    pos: int = 0
    batch_id: int = 0
    last: dict[str, Any] | None = None
    expires: float = field(default=0.0)

    def touch(self) -> None:
        self.expires = time.monotonic() + self.ttl

    def next_batch(self) -> dict[str, Any]:
        """The next batch as ArangoDB shapes it (advances the cursor)."""
        chunk = self.rows[self.pos : self.pos + self.batch_size]
        self.pos += len(chunk)
        self.batch_id += 1
        has_more = self.pos < len(self.rows)
        body: dict[str, Any] = {"result": chunk, "hasMore": has_more}
        if has_more or self.batch_id > 1:
            body["id"] = self.id
        if self.with_count:
            body["count"] = len(self.rows)
        body["extra"] = self.extra
        body["cached"] = False
        if has_more:
            body["nextBatchId"] = str(self.batch_id + 1)
        self.last = body
        return body


class CursorStore:
    """Open cursors of one engine."""

    def __init__(self) -> None:
        self.cursors: dict[str, Cursor] = {}

    def expire(self) -> None:
        now = time.monotonic()
        for cid in [c.id for c in self.cursors.values() if c.expires < now]:
            del self.cursors[cid]

    def get(self, db_name: str, cid: str) -> Cursor:
        self.expire()
        cursor = self.cursors.get(cid)
        if cursor is None or cursor.db_name != db_name:
            raise ArangoError(CURSOR_NOT_FOUND)
        return cursor


_STORES: weakref.WeakKeyDictionary[Engine, CursorStore] = weakref.WeakKeyDictionary()


def store_for(engine: Engine) -> CursorStore:
    store = _STORES.get(engine)
    if store is None:
        store = _STORES[engine] = CursorStore()
    return store


def _positive_int(value: Any, name: str, default: int) -> int:
    if value is None:
        return default
    if type(value) not in (int, float) or not 1 <= value < 2**63:
        raise ArangoError(BAD_PARAMETER, f"expecting positive integer for '{name}'")
    return int(value)


def _ttl(value: Any) -> float:
    if value is None:
        return 30.0
    if type(value) not in (int, float) or not 0 <= value < 2**53:
        raise ArangoError(BAD_PARAMETER, "expecting a number of seconds for 'ttl'")
    return float(value) or 30.0


def _options(body: dict[str, Any]) -> dict[str, Any]:
    options = body.get("options")
    if options is None:
        return {}
    if type(options) is not dict:
        raise ArangoError(BAD_PARAMETER, "expecting JSON object for 'options'")
    return options


def run_query(ctx: Context, body: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """Execute the query of a cursor request; return rows and ``extra``."""
    from arangolite.aql.executor import execute

    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        raise ArangoError(QUERY_EMPTY)
    options = dict(_options(body))
    if body.get("memoryLimit") is not None:  # a top-level attribute of the cursor API
        options.setdefault("memoryLimit", body["memoryLimit"])
    result = execute(ctx.db, query, body.get("bindVars"), trx=ctx.trx, options=options)
    stats = {**_DEFAULT_STATS, **result.stats}
    if options.get("fullCount") and result.full_count is not None:
        stats["fullCount"] = result.full_count
    return result.rows, {"warnings": list(result.warnings), "stats": stats}


def create(ctx: Context) -> Response:
    body = require_object(ctx.request.json(default={}))
    if "query" not in body:
        raise ArangoError(QUERY_EMPTY)
    batch_size = _positive_int(body.get("batchSize"), "batchSize", 1000)
    ttl = _ttl(body.get("ttl"))
    options = _options(body)
    rows, extra = run_query(ctx, body)
    cursor = Cursor(
        id=str(ctx.engine.tick()),
        db_name=ctx.db.name,
        rows=rows,
        batch_size=batch_size,
        with_count=bool(body.get("count")),
        extra=extra,
        ttl=ttl,
        allow_retry=bool(options.get("allowRetry")),
    )
    first = cursor.next_batch()
    if first["hasMore"]:
        cursor.touch()
        store_for(ctx.engine).cursors[cursor.id] = cursor
    return ok(first, 201)


def next_batch(ctx: Context, cid: str) -> Response:
    store = store_for(ctx.engine)
    cursor = store.get(ctx.db.name, cid)
    body = cursor.next_batch()
    if body["hasMore"] or cursor.allow_retry:
        cursor.touch()
    else:
        del store.cursors[cid]
    return ok(body)


def retry_batch(ctx: Context, cid: str, batch: str) -> Response:
    store = store_for(ctx.engine)
    cursor = store.get(ctx.db.name, cid)
    if batch == str(cursor.batch_id) and cursor.last is not None:
        cursor.touch()
        return ok(cursor.last)
    if batch == str(cursor.batch_id + 1):
        return next_batch(ctx, cid)
    raise ArangoError(CURSOR_NOT_FOUND)


def delete(ctx: Context, cid: str) -> Response:
    store = store_for(ctx.engine)
    store.get(ctx.db.name, cid)
    del store.cursors[cid]
    return ok({"id": cid}, 202)


def missing_id(ctx: Context) -> Response:
    raise ArangoError(HTTP_BAD_PARAMETER, message="expecting POST /_api/cursor/<cursor-id>")


def register(router: Router) -> None:
    router.add("POST", "/_api/cursor", create)
    router.add("PUT", "/_api/cursor", missing_id)
    router.add("DELETE", "/_api/cursor", missing_id)
    router.add("POST", "/_api/cursor/{cid}", next_batch)
    router.add("PUT", "/_api/cursor/{cid}", next_batch)
    router.add("POST", "/_api/cursor/{cid}/{batch}", retry_batch)
    router.add("DELETE", "/_api/cursor/{cid}", delete)
