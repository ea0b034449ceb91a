"""``/_api/database``: list, create and drop databases; the current database; user databases."""

from __future__ import annotations

from arangolite.errors import USE_SYSTEM_DATABASE, ArangoError
from arangolite.rest.http import Context, Response, ok, require_object
from arangolite.rest.router import Router

__all__ = ["register"]


def _system_only(ctx: Context) -> None:
    if not ctx.db.is_system:
        raise ArangoError(USE_SYSTEM_DATABASE)


def list_databases(ctx: Context) -> Response:
    _system_only(ctx)
    return ok({"result": sorted(ctx.engine.databases)})


def user_databases(ctx: Context) -> Response:
    return ok({"result": sorted(ctx.engine.databases)})


def current(ctx: Context) -> Response:
    db = ctx.db
    return ok({"result": {"id": db.id, "name": db.name, "isSystem": db.is_system, "path": "none"}})


def create(ctx: Context) -> Response:
    _system_only(ctx)
    body = require_object(ctx.request.json(default={}))
    ctx.engine.create_database(body.get("name"))
    return ok({"result": True}, 201)


def drop(ctx: Context, name: str) -> Response:
    _system_only(ctx)
    ctx.engine.drop_database(name)
    return ok({"result": True})


def register(router: Router) -> None:
    router.add("GET", "/_api/database", list_databases)
    router.add("POST", "/_api/database", create)
    router.add("GET", "/_api/database/user", user_databases)
    router.add("GET", "/_api/database/current", current)
    router.add("DELETE", "/_api/database/{name}", drop)
