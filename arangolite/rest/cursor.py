"""``/_api/cursor``: run AQL and page through the result in batches.

A query's rows are computed when the cursor is created, and the cursor keeps the rest for later
batches, unless the request asks for ``options.stream``: a read-only query then runs lazily, each
batch running the query only as far as that batch needs (its transaction stays open meanwhile and
ends with the last batch, or when the cursor is deleted or expires). A cursor lives until it is
exhausted, deleted, or idle for longer than its ``ttl``. As in ArangoDB, a batch names the cursor
``id`` only while more batches follow, ``count`` comes only when asked for (never for a streaming
query), and with ``allowRetry`` the last batch can be fetched again through
``/_api/cursor/<id>/<batchId>``.

A read-only query outside a stream transaction runs without the engine lock
(:func:`create_unlocked`): on a snapshot of its own (``storage.snapshot_read`` on a data
directory, ``storage.memory_read`` in memory), kept by a streaming cursor until its last batch, so it neither waits for nor holds up other requests, and
sees one snapshot however long it runs. A query the snapshot cannot serve (one that reads a geo or
fulltext index, one over a TTL collection holding expired documents, a collection the engine has
not caught up on, the results or plan cache, authentication, ``profile``, the in-memory store of
a data directory) runs under the lock. Later batches of cursors whose rows are computed, or whose
query reads its own snapshot, are served without the lock too. A cursor's batches never run at
the same time: a request for a cursor whose batch is running gets 1601 ``cursor is busy``, as in
ArangoDB, rather than waiting (a batch under the lock may hand the lock to waiting requests
between its rows, ``aql/turns.py``: a request waiting for that batch under the lock would wait
for ever); deleting it then closes it when its batch ends. An idle lock-free cursor is ended
when it expires by a reaper thread of its store, whether or not requests come (its snapshot
holds a pooled connection and keeps SQLite's write-ahead log from starting over).
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Any

from arangolite import ids
from arangolite.aql.compiler import CompiledQuery
from arangolite.aql.executor import (
    QueryResult,
    StreamingQuery,
    execute,
    execute_stream,
    plan_for,
)
from arangolite.aql.profile import plan_body
from arangolite.errors import (
    BAD_PARAMETER,
    CURSOR_BUSY,
    CURSOR_NOT_FOUND,
    HTTP_BAD_PARAMETER,
    INTERNAL,
    QUERY_EMPTY,
    ArangoError,
)
from arangolite.rest.http import Context, Response, ok, require_object
from arangolite.rest.query_cache import caches_of
from arangolite.rest.query_run import check_access, run_query
from arangolite.rest.router import Router
from arangolite.storage.engine import Engine
from arangolite.storage.lockfree import reads_memory_indexes
from arangolite.storage.snapshot_read import MEMORY_INDEXES, NeedsLock

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


_REAP_SLACK = 0.05  # seconds past a cursor's expiry before the reaper looks again

@dataclass
class Cursor:
    """A result being paged through: a computed list, or a streaming query's next rows."""

    id: str
    db_name: str
    rows: list[Any]
    batch_size: int
    count: int | None
    extra: dict[str, Any]
    ttl: float
    allow_retry: bool = False
    cached: bool = False  # served from the query results cache
    stream: StreamingQuery | None = None
    pos: int = 0
    batch_id: int = 0
    last: dict[str, Any] | None = None
    expires: float = field(default=0.0)
    lock_free: bool = False  # a streaming query on its own snapshot (batches need no lock)
    running: bool = False  # a batch is being taken (one at a time)
    closing: bool = False  # deleted or expired: no more batches; closed when none runs
    _flags: threading.Lock = field(default_factory=threading.Lock)  # guards the two above

    def touch(self) -> None:
        self.expires = time.monotonic() + self.ttl

    def _take(self) -> tuple[list[Any], bool]:
        if self.stream is not None:
            try:
                chunk, has_more = self.stream.take(self.batch_size)
            except NeedsLock as why:  # it reached what only the locked path can serve:
                if self.batch_id == 0:  # nothing answered yet, the locked path runs it again
                    raise
                raise ArangoError(INTERNAL, message=f"streaming query stopped: {why}") from None
            self.extra = _extra(self.stream.result())
            return chunk, has_more
        chunk = self.rows[self.pos : self.pos + self.batch_size]
        self.pos += len(chunk)
        return chunk, self.pos < len(self.rows)

    def next_batch(self) -> dict[str, Any]:
        """The next batch as ArangoDB shapes it (advances the cursor). Like ArangoDB, only a
        batch with more to follow names the cursor ``id`` and the ``nextBatchId``."""
        with self._flags:
            if self.closing:
                raise ArangoError(CURSOR_NOT_FOUND)
            if self.running:
                raise ArangoError(CURSOR_BUSY)
            self.running = True
        try:
            return self._next_batch()
        finally:
            with self._flags:
                self.running = False
                closing = self.closing
            if closing and self.stream is not None:
                self.stream.close()

    def _next_batch(self) -> dict[str, Any]:
        chunk, has_more = self._take()
        self.batch_id += 1
        body: dict[str, Any] = {"result": chunk, "hasMore": has_more}
        if has_more:
            body["id"] = self.id
        if self.count is not None:
            body["count"] = self.count
        body["extra"] = self.extra
        body["cached"] = self.cached
        if has_more:
            body["nextBatchId"] = str(self.batch_id + 1)
        self.last = body
        return body

    def close(self) -> None:
        """Release what the cursor holds (a streaming query's open transaction)."""
        with self._flags:
            self.closing = True
            if self.running:
                return  # the running batch closes it when it ends
        if self.stream is not None:
            self.stream.close()

    @property
    def needs_lock(self) -> bool:
        """Whether its batches read through the engine (a streaming query under the lock)."""
        return self.stream is not None and not self.lock_free


class CursorStore:
    """Open cursors of one engine."""

    def __init__(self) -> None:
        self.cursors: dict[str, Cursor] = {}
        self._lock = threading.Lock()  # requests with and without the engine lock share it
        self._reaping = False

    def add(self, cursor: Cursor) -> None:
        with self._lock:
            self.cursors[cursor.id] = cursor
            if cursor.lock_free and not self._reaping:
                self._reaping = True
                threading.Thread(target=self._reap, name="cursor-reaper", daemon=True).start()

    def _reap(self) -> None:
        """End idle lock-free cursors once they expire, whether or not requests come: each holds
        a read snapshot, which keeps a pooled connection and SQLite's log from starting over.
        Runs while there are such cursors."""
        while True:
            with self._lock:
                waiting = [c.expires for c in self.cursors.values() if c.lock_free]
                if not waiting:
                    self._reaping = False
                    return
            time.sleep(min(max(min(waiting) - time.monotonic(), 0.0) + _REAP_SLACK, 1.0))
            self.expire(unlocked=True)

    def expire(self, *, unlocked: bool = False) -> None:
        """Drop the cursors idle for longer than their ttl (not one whose batch is running;
        ``unlocked``: only those whose closing needs no engine lock)."""
        now = time.monotonic()
        with self._lock:
            gone = [
                c for c in self.cursors.values()
                if c.expires < now and not c.running and not (unlocked and c.needs_lock)
            ]
            for cursor in gone:
                del self.cursors[cursor.id]
        for cursor in gone:
            cursor.close()

    def get(self, db_name: str, cid: str) -> Cursor:
        self.expire()
        return self.find(db_name, cid)

    def find(self, db_name: str, cid: str) -> Cursor:
        """The cursor, expired or not (404 when unknown)."""
        cursor = self.cursors.get(cid)
        if cursor is None or cursor.db_name != db_name:
            raise ArangoError(CURSOR_NOT_FOUND)
        return cursor

    def remove(self, cid: str) -> None:
        with self._lock:
            cursor = self.cursors.pop(cid, None)
        if cursor is not None:
            cursor.close()


_STORES: weakref.WeakKeyDictionary[Engine, CursorStore] = weakref.WeakKeyDictionary()
_STORES_LOCK = threading.Lock()


def store_for(engine: Engine) -> CursorStore:
    store = _STORES.get(engine)  # the common case, without the lock (a dict read)
    if store is not None:
        return store
    with _STORES_LOCK:
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
    """The query options, with a top-level ``memoryLimit`` of the cursor API among them."""
    options = body.get("options")
    if options is None:
        options = {}
    if type(options) is not dict:
        raise ArangoError(BAD_PARAMETER, "expecting JSON object for 'options'")
    options = dict(options)
    if body.get("memoryLimit") is not None:
        options.setdefault("memoryLimit", body["memoryLimit"])
    return options


def _extra(result: QueryResult) -> dict[str, Any]:
    return {"warnings": list(result.warnings), "stats": {**_DEFAULT_STATS, **result.stats}}


def _add_profile(
    extra: dict[str, Any], result: QueryResult, body: dict[str, Any], options: dict[str, Any]
) -> None:
    """``extra.profile`` (``profile`` true or 1), plus ``extra.plan`` and ``stats.nodes`` (2)."""
    if result.profile is None:
        return
    extra["profile"] = result.profile
    if result.node_stats is not None:  # profile >= 2 (see arangolite.aql.node_profile)
        compiled = plan_for(body["query"]).compiled
        extra["plan"] = plan_body(compiled, body.get("bindVars") or {})
        extra["plan"]["nodes"] = result.plan_nodes or []
        extra["stats"]["nodes"] = result.node_stats


def _query_text(body: dict[str, Any]) -> str:
    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        raise ArangoError(QUERY_EMPTY)
    return query


def create(ctx: Context) -> Response:
    body = require_object(ctx.request.json(default={}))
    if "query" not in body:
        raise ArangoError(QUERY_EMPTY)
    batch_size = _positive_int(body.get("batchSize"), "batchSize", 1000)
    ttl = _ttl(body.get("ttl"))
    options = _options(body)
    cursor = Cursor(
        id=ids.new(),
        db_name=ctx.db.name,
        rows=[],
        batch_size=batch_size,
        count=None,
        extra={},
        ttl=ttl,
        allow_retry=bool(options.get("allowRetry")),
    )
    check_access(ctx, _query_text(body), body.get("bindVars"))
    started = None
    if options.get("stream") and ctx.trx is None:
        started = execute_stream(ctx.db, _query_text(body), body.get("bindVars"), options=options)
    if isinstance(started, StreamingQuery):
        cursor.stream = started  # count is not known ahead for a streaming query
    else:
        if started is not None:
            result = started
        else:
            query, binds = _query_text(body), body.get("bindVars")
            result, cursor.cached = run_query(
                ctx, query, binds, options,
                lambda: execute(ctx.db, query, binds, trx=ctx.trx, options=options),
            )
        cursor.rows, cursor.extra = result.rows, _extra(result)
        _add_profile(cursor.extra, result, body, options)
        cursor.count = len(result.rows) if body.get("count") else None
    first = cursor.next_batch()
    if first["hasMore"]:
        cursor.touch()
        store_for(ctx.engine).add(cursor)
    return ok(first, 201)


def create_unlocked(ctx: Context) -> Response | None:
    """:func:`create` without the engine lock, for a read-only query on a data directory (on a
    snapshot of its own, see the module); None when it must run under the lock."""
    request = _unlocked_request(ctx)  # decided before a snapshot is begun for it
    if request is None:
        return None
    body, options, plan = request
    if _reads_memory_index(ctx, plan, body.get("bindVars"), bool(options.get("stream"))):
        return None
    snap = ctx.engine.open_snapshot(ctx.db)
    if snap is None:
        return None
    query, binds = body["query"], body.get("bindVars")
    cursor = Cursor(
        id=ids.new(),
        db_name=ctx.db.name,
        rows=[],
        batch_size=_positive_int(body.get("batchSize"), "batchSize", 1000),
        count=None,
        extra={},
        ttl=_ttl(body.get("ttl")),
        allow_retry=bool(options.get("allowRetry")),
    )
    try:
        for name in _named(plan, binds):
            snap.collection(name)  # known in the snapshot, without in-memory-only indexes
        if options.get("stream"):
            started = execute_stream(ctx.db, query, binds, options=options, trx=snap)
        else:
            started, _ = run_query(
                ctx, query, binds, options,
                lambda: execute(ctx.db, query, binds, trx=snap, options=options),
            )
        if isinstance(started, StreamingQuery):
            cursor.stream, cursor.lock_free = started, True
        else:
            snap.close()
            cursor.rows, cursor.extra = started.rows, _extra(started)
            cursor.count = len(started.rows) if body.get("count") else None
        first = cursor.next_batch()
    except NeedsLock:
        snap.close()
        return None  # nothing was answered yet: the locked path runs it all again
    except BaseException:
        snap.close()
        raise
    store = store_for(ctx.engine)
    store.expire(unlocked=True)  # an idle cursor's snapshot ends (its connection is pooled)
    if first["hasMore"]:
        cursor.touch()
        store.add(cursor)
    else:
        snap.close()
    return ok(first, 201)


def _unlocked_request(ctx: Context) -> tuple[dict[str, Any], dict[str, Any], Any] | None:
    """``(body, options, plan)`` of a query :func:`create_unlocked` may run, else None (the
    locked path then answers, errors included)."""
    if ctx.request.user is not None:
        return None  # access checks read the users under the lock
    try:
        body = ctx.request.json(default={})
        if type(body) is not dict or not isinstance(body.get("query"), str):
            return None
        if not body["query"].strip() or not isinstance(body.get("bindVars"), dict | None):
            return None
        options = _options(body)
        _positive_int(body.get("batchSize"), "batchSize", 1000)
        _ttl(body.get("ttl"))
        if options.get("profile") or options.get("usePlanCache"):
            return None
        if caches_of(ctx.engine).wanted(options):
            return None
        plan = plan_for(body["query"], lazy=bool(options.get("stream")))
    except (ArangoError, RecursionError):
        return None
    if plan.compiled.has_writes:
        return None
    return body, options, plan


def _named(plan: Any, binds: dict[str, Any] | None) -> list[str]:
    """The collections the query names (in the text, or bound to ``@@`` parameters)."""
    compiled: CompiledQuery = plan.compiled
    names = set(compiled.collections)
    names.update(v for k, v in (binds or {}).items() if k.startswith("@") and isinstance(v, str))
    return sorted(names)


_MEMORY_INDEX_FUNCTIONS = frozenset({"FULLTEXT", "NEAR", "WITHIN", "WITHIN_RECTANGLE"})


def _reads_memory_index(ctx: Context, plan: Any, binds: dict[str, Any] | None, stream: bool) -> bool:
    """True when the query may read a geo or fulltext index the snapshot cannot serve (on
    disk, ``storage.snapshot_read``; in memory it can, ``storage.memory_read``): it calls a
    function that reads one or has a geo filter an index may answer, and a collection it names
    has such an index, or it streams (a collection it reaches only at run time would stop a
    later batch). Other queries over such collections run on the snapshot; one that reads such
    an index anyway reruns under the lock."""
    if reads_memory_indexes(ctx.engine):
        return False  # in memory the query's snapshot reads them itself
    compiled: CompiledQuery = plan.compiled
    if "rt.geo_" not in compiled.source and not any(
        getattr(spec, "name", None) in _MEMORY_INDEX_FUNCTIONS for spec in compiled.functions
    ):
        return False
    if stream:
        return True
    for name in _named(plan, binds):
        coll = ctx.db.collections.get(name)
        if coll is not None and any(i.kind in MEMORY_INDEXES for i in list(coll.indexes)):
            return True
    return False


def next_batch_unlocked(ctx: Context, cid: str) -> Response | None:
    """:func:`next_batch` without the engine lock, for cursors whose batches need none."""
    store = store_for(ctx.engine)
    store.expire(unlocked=True)
    cursor = store.cursors.get(cid)
    if cursor is None or cursor.db_name != ctx.db.name or cursor.needs_lock:
        return None  # unknown (404) or expired: the locked path answers
    return _serve_next(store, cursor, cid)


def delete_unlocked(ctx: Context, cid: str) -> Response | None:
    """:func:`delete` without the engine lock, for cursors whose closing needs none."""
    store = store_for(ctx.engine)
    cursor = store.cursors.get(cid)
    if cursor is None or cursor.db_name != ctx.db.name or cursor.needs_lock:
        return None
    store.remove(cid)
    return ok({"id": cid}, 202)


def next_batch(ctx: Context, cid: str) -> Response:
    store = store_for(ctx.engine)
    return _serve_next(store, store.get(ctx.db.name, cid), cid)


def _serve_next(store: CursorStore, cursor: Cursor, cid: str) -> Response:
    try:
        body = cursor.next_batch()
    except ArangoError as exc:
        if exc.code is not CURSOR_BUSY:
            store.remove(cid)  # a query that failed half way is gone, as in ArangoDB
        raise
    except BaseException:
        store.remove(cid)
        raise
    if body["hasMore"] or cursor.allow_retry:
        cursor.touch()
    else:
        store.remove(cid)
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
    store.remove(cid)
    return ok({"id": cid}, 202)


def missing_id(ctx: Context) -> Response:
    raise ArangoError(HTTP_BAD_PARAMETER, message="expecting POST /_api/cursor/<cursor-id>")


def register(router: Router) -> None:
    router.add(
        "POST", "/_api/cursor", create, unlocked=create_unlocked, patient=True, in_stream=True
    )
    router.add("PUT", "/_api/cursor", missing_id)
    router.add("DELETE", "/_api/cursor", missing_id)
    router.add("POST", "/_api/cursor/{cid}", next_batch, unlocked=next_batch_unlocked)
    router.add("PUT", "/_api/cursor/{cid}", next_batch, unlocked=next_batch_unlocked)
    router.add("POST", "/_api/cursor/{cid}/{batch}", retry_batch)
    router.add("DELETE", "/_api/cursor/{cid}", delete, unlocked=delete_unlocked)
