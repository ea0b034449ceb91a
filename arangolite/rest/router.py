"""Routing: ``/_db/<name>/`` prefix, method + path pattern -> handler, errors as ArangoDB sends.

Handlers take a :class:`Context` plus the path variables and return a :class:`Response`; any
``ArangoError`` they raise becomes ArangoDB's error body. Unknown paths answer 404 (errorNum 404),
known paths with another method 405. Every request is served under the engine lock, except the
few registered ``lock_free`` (they touch no storage) and those whose handler has an ``unlocked``
variant that answers (outside a stream transaction: reads of one document and batch reads, see
``storage.lockfree``, and read-only AQL cursors, see ``rest.cursor``); the engine's
maintenance runs only when due (``maintenance.py``), not on every request.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from arangolite import gc_pause
from arangolite.errors import (
    BAD_PARAMETER,
    HTTP_METHOD_NOT_ALLOWED,
    HTTP_NOT_FOUND,
    INTERNAL,
    NOT_IMPLEMENTED,
    RESOURCE_LIMIT,
    SHUTTING_DOWN,
    ArangoError,
)
from arangolite.io_errors import os_failure, sqlite_failure
from arangolite.rest import jobs, leases, maintenance, recording
from arangolite.rest.http import Context, Request, Response, error_response
from arangolite.rest.routes import RouteTable
from arangolite.storage.engine import Engine

__all__ = ["Router", "dispatch", "make_request", "split_database"]

Handler = Callable[..., Response]
_log = logging.getLogger("arangolite.rest")


class Router:
    """Method + path-pattern routing table (see :class:`RouteTable`)."""

    def __init__(self) -> None:
        self._table = RouteTable()
        self.lock_free: set[Handler] = set()
        self.unlocked: dict[Handler, Callable[..., Response | None]] = {}
        self.patient: set[Handler] = set()
        self.ahead: dict[Handler, Callable[[Request], None]] = {}
        self.in_stream: set[Handler] = set()
        self.catalogue: set[Handler] = set()

    def add(
        self,
        method: str,
        pattern: str,
        handler: Handler,
        *,
        lock_free: bool = False,
        unlocked: Callable[..., Response | None] | None = None,
        patient: bool = False,
        ahead: Callable[[Request], None] | None = None,
        in_stream: bool = False,
        catalogue: bool = False,
    ) -> None:
        """Register ``handler`` for ``METHOD /path/{var}/...``.

        ``lock_free`` handlers touch no storage and are served without the engine lock, so they
        answer while a long query runs (server version, listing and killing queries).
        ``unlocked`` is tried first, without the engine lock, for requests outside a stream
        transaction; when it answers None, ``handler`` serves the request under the lock.
        ``patient``: the request first waits up to :data:`LOCK_PATIENCE` for the engine lock
        and is served under it when it comes free; only when a request holding it takes longer
        is ``unlocked`` tried (see :data:`LOCK_PATIENCE`).
        ``ahead(request)`` prepares a big body before the engine lock is taken, in place of the
        JSON parse every big body gets (:func:`_parse_ahead`): the handler's own parse, cached
        on the request (an import's JSON lines or tabular rows).
        ``in_stream``: the handler runs in the stream transaction a request names in
        ``x-arango-trx-id``, as ArangoDB's document, edge, import, graph vertex and edge, cursor
        creation, count and truncate APIs do; every other handler ignores the header, as
        ArangoDB's do (it takes no lease and answers whether or not the transaction still runs).
        ``catalogue``: the handler changes the catalogue (collections, indexes, databases,
        graphs, users), which it checks and writes under one hold of the engine lock; when a
        commit is writing its rows with the lock let go (``Store.commit``'s ``apart``), such a
        request waits for it before it starts, with the lock let go too
        (``EnginePersistence.wait_for_store``), rather than at its write, holding it.
        """
        self._table.add(method, pattern, handler)
        if catalogue:
            self.catalogue.add(handler)
        if in_stream:
            self.in_stream.add(handler)
        if ahead is not None:
            self.ahead[handler] = ahead
        if lock_free:
            self.lock_free.add(handler)
        if unlocked is not None:
            self.unlocked[handler] = unlocked
            if patient:
                self.patient.add(handler)

    def patterns(self) -> list[tuple[str, tuple[str, ...], Handler]]:
        """Every route as ``(METHOD, path parts, handler)``, in registration order."""
        return self._table.patterns()

    def route(self, method: str, pattern: str) -> Callable[[Handler], Handler]:
        """Decorator form of :meth:`add`."""

        def wrap(handler: Handler) -> Handler:
            self.add(method, pattern, handler)
            return handler

        return wrap

    def match(self, method: str, path: str) -> tuple[Handler, dict[str, str]]:
        """The handler and path variables for a request; 404/405 errors otherwise."""
        literal = self._table.find_literal(method, path)
        if literal is not None:
            return literal, {}
        segments = [unquote(s) if "%" in s else s for s in path.split("/") if s]
        found = self._table.find(method, segments)
        if isinstance(found, tuple):
            return found
        if path.startswith(UNSUPPORTED_PREFIXES):
            raise ArangoError(NOT_IMPLEMENTED, f"{method} {path} is not supported by arangolite")
        if found:
            raise ArangoError(HTTP_METHOD_NOT_ALLOWED)
        raise ArangoError(HTTP_NOT_FOUND, path)


def split_database(path: str) -> tuple[str, str]:
    """``/_db/<name>/rest`` -> ``(name, /rest)``; other paths belong to ``_system``."""
    if path.startswith("/_db/"):
        name, _, rest = path[5:].partition("/")
        return unquote(name), "/" + rest
    return "_system", path


# ArangoDB APIs arangolite does not provide: answered with 501 rather than "unknown path"
UNSUPPORTED_PREFIXES = (
    "/_api/view",
    "/_api/analyzer",
    "/_api/user",
    "/_api/tasks",
    "/_api/batch",
    "/_api/export",
    "/_api/simple",
    "/_api/traversal",
    "/_api/replication",
    "/_api/wal",
    "/_api/foxx",
    "/_api/token",
    "/_api/cluster",
    "/_api/control_pregel",
    "/_api/dump",
    "/_api/aqlfunction",
    "/_api/query/rules",
    "/_admin/metrics",
    "/_admin/status",
    "/_admin/license",
    "/_admin/log",
    "/_admin/execute",
    "/_admin/server/tls",
    "/_admin/server/jwt",
    "/_admin/server/encryption",
    "/_admin/backup",
    "/_admin/cluster",
    "/_admin/support-info",
    "/_admin/routing",
    "/_admin/shutdown",
    "/_admin/compact",
    "/_admin/options",
    "/_admin/statistics",
    "/_admin/database/target-version",
    "/_admin/server/api-calls",
    "/_admin/server/aql-queries",
    "/_admin/test",
)


_BULK_BODY = 256 * 1024

# How long a ``patient`` request (a read-only query) waits for the engine lock before it runs
# without it. Lock-free readers do not wait behind a slow request, but under the GIL they do not
# yield to the writers they no longer wait for either: eight threads re-reading while others
# commit made claims 8x slower (bench_ingest). A read that finds the lock free within this time
# is served under it, serialised with short writes as before; one held up longer by a slow
# request runs on its own snapshot. Tests of the lock-free path set it to 0 (never wait).
LOCK_PATIENCE = 0.02


def _locked(
    engine: Engine, handler: Handler, request: Request, variables: dict[str, str],
    ahead: Callable[[Request], None] | None = None, trx_id: str = "", catalogue: bool = False,
) -> Response:
    """Serve ``request`` under the engine lock (in stream transaction ``trx_id``, if any, with
    its lease taken first: ``rest.leases``); a big body is prepared first, before the lock
    (``ahead``, else :func:`_parse_ahead`); ``catalogue``: see :meth:`Router.add`."""
    taken = leases.take(engine, request, trx_id)
    bulk = len(request.body) >= _BULK_BODY
    try:
        with gc_pause.paused(bulk):
            if bulk:
                (ahead or _parse_ahead)(request)
            return _under_lock(engine, handler, request, variables, taken, trx_id, catalogue)
    finally:
        leases.give_back(engine, taken)


def _parse_ahead(request: Request) -> None:
    """Parse a big JSON body (a batch of documents, an import, a query with big bind
    parameters) before the engine lock is taken: parsing 100,000 documents takes a few tenths
    of a second, which other requests would otherwise wait for. A body that does not parse is
    left to the handler, which answers its error. A route may register its own parse instead
    (``Router.add(..., ahead=)``: an import's JSON lines and tabular rows)."""
    if request.body[:64].lstrip()[:1] not in ("[", "{"):
        return
    with contextlib.suppress(ArangoError, RecursionError, ValueError, MemoryError):
        request.json()


def _under_lock(
    engine: Engine, handler: Handler, request: Request, variables: dict[str, str],
    taken: leases.Taken, trx_id: str, catalogue: bool = False,
) -> Response:
    """Serve ``request`` under the engine lock (in stream transaction ``trx_id``, if any;
    ``taken``: its lease; ``catalogue``: first wait for a commit writing apart, the lock let
    go: see :meth:`Router.add`)."""
    with engine.lock:
        if catalogue and engine.wait_for_store() and engine.lock.closed:
            raise ArangoError(SHUTTING_DOWN)  # (closed while it waited: nothing done)
        return _served(engine, handler, request, variables, taken, trx_id)


def _served(
    engine: Engine, handler: Handler, request: Request, variables: dict[str, str],
    taken: leases.Taken, trx_id: str,
) -> Response:
    with engine.serving():
        maintenance.run_due(engine)  # serving() caught up on other processes' commits first
        ctx = Context(engine, request, engine.database(request.db_name))
        if not trx_id:
            return handler(ctx, **variables)
        ctx.trx = trx = engine.streams.lease(ctx.db, trx_id)
        # a query of this request may hand the engine lock over between rows (aql/turns)
        trx.held_alone = taken is not None and taken[1]
        try:
            return handler(ctx, **variables)
        finally:
            trx.held_alone = False


def dispatch(engine: Engine, router: Router, request: Request) -> Response:
    """Serve one request."""
    try:
        handler, variables = router.match(request.method, request.path)
        recording.record_call(recording.calls_of(engine), request)
        if request.header("x-arango-async"):
            return jobs.submit(engine, request, lambda inner: dispatch(engine, router, inner))
        if handler in router.lock_free:
            return handler(Context(engine, request, engine.database(request.db_name)), **variables)
        # the stream transaction it runs in (a handler that takes no part in stream transactions
        # ignores the header, as ArangoDB's do)
        trx_id = (request.header("x-arango-trx-id") or "") if handler in router.in_stream else ""
        unlocked = router.unlocked.get(handler)
        if unlocked is not None and not trx_id:
            db = engine.databases.get(request.db_name)
            if db is not None:
                patience = LOCK_PATIENCE if handler in router.patient else 0.0
                if patience > 0 and engine.lock.acquire(timeout=patience):
                    try:  # the lock came free in time: served under it, as before
                        return _locked(engine, handler, request, variables, router.ahead.get(handler))
                    finally:
                        engine.lock.release()
                response = unlocked(Context(engine, request, db), **variables)
                if response is not None:
                    return response
        return _locked(
            engine, handler, request, variables, router.ahead.get(handler), trx_id,
            handler in router.catalogue,
        )
    except ArangoError as exc:
        return error_response(exc)
    except RecursionError:
        return error_response(ArangoError(BAD_PARAMETER, "value nested too deeply"))
    except MemoryError:
        return error_response(ArangoError(RESOURCE_LIMIT, message="out of memory serving the request"))
    except sqlite3.Error as exc:  # a store read outside a write transaction (those map their own)
        return error_response(sqlite_failure(exc, engine.path or "the data directory"))
    except OSError as exc:  # a file of the data directory (disk full, read-only, I/O error)
        return error_response(os_failure(exc, engine.path or "the data directory"))
    except Exception as exc:
        _log.exception("internal error serving %s %s", request.method, request.path)
        return error_response(ArangoError(INTERNAL, message=f"internal error: {exc!r}"))


def make_request(
    method: str,
    path: str,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    body: str | bytes | None = None,
) -> Request:
    """Build a :class:`Request` from raw parts (path may carry the ``/_db/<name>`` prefix)."""
    db_name, rest = split_database(path)
    text = body.decode("utf-8") if isinstance(body, bytes) else (body or "")
    return Request(
        method=method.upper(),
        path=rest,
        params={str(k): str(v) for k, v in (params or {}).items()},
        headers={k.lower(): str(v) for k, v in (headers or {}).items()},
        body=text,
        db_name=db_name,
    )
