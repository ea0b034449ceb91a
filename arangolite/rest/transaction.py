"""``/_api/transaction``: stream transactions (begin, status, commit, abort, list).

JavaScript transactions (``POST /_api/transaction`` with an ``action``) need a JavaScript
engine and are answered with 501.
"""

from __future__ import annotations

from typing import Any

from arangolite.errors import BAD_PARAMETER, NOT_IMPLEMENTED, ArangoError
from arangolite.rest.http import Context, Response, ok, require_object
from arangolite.rest.router import Router

__all__ = ["register"]


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ArangoError(BAD_PARAMETER, "collections must be a string or an array of strings")


def _seconds(value: Any) -> float | None:
    """``lockTimeout``: seconds to wait for a locked document (0 or absent: fail at once)."""
    if value is None:
        return None
    if type(value) not in (int, float) or value < 0:
        raise ArangoError(BAD_PARAMETER, "lockTimeout must be a non-negative number")
    return float(value)


def begin(ctx: Context) -> Response:
    body = require_object(ctx.request.json(default={}))
    collections = body.get("collections") or {}
    if not isinstance(collections, dict):
        raise ArangoError(BAD_PARAMETER, "missing 'collections'")
    trx = ctx.engine.streams.begin(
        ctx.db,
        _names(collections.get("read")),
        _names(collections.get("write")),
        _names(collections.get("exclusive")),
        allow_implicit=bool(body.get("allowImplicit", True)),
        lock_timeout=_seconds(body.get("lockTimeout")),
    )
    trx.wait_for_sync = bool(body.get("waitForSync", False))
    return ok({"result": {"id": trx.id, "status": trx.status}}, 201)


def status(ctx: Context, tid: str) -> Response:
    state = ctx.engine.streams.status(ctx.db, tid)
    return ok({"result": {"id": tid, "status": state}})


def commit(ctx: Context, tid: str) -> Response:
    state = ctx.engine.streams.finish(ctx.db, tid, commit=True)
    return ok({"result": {"id": tid, "status": state}})


def abort(ctx: Context, tid: str) -> Response:
    state = ctx.engine.streams.finish(ctx.db, tid, commit=False)
    return ok({"result": {"id": tid, "status": state}})


def listing(ctx: Context) -> Response:
    return Response(200, {"transactions": ctx.engine.streams.listing(ctx.db)})


def javascript(ctx: Context) -> Response:
    raise ArangoError(NOT_IMPLEMENTED, "JavaScript transactions (use stream transactions)")


def register(router: Router) -> None:
    router.add("POST", "/_api/transaction/begin", begin)
    router.add("GET", "/_api/transaction", listing)
    router.add("POST", "/_api/transaction", javascript)
    router.add("GET", "/_api/transaction/{tid}", status)
    router.add("PUT", "/_api/transaction/{tid}", commit)
    router.add("DELETE", "/_api/transaction/{tid}", abort)
