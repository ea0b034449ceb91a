"""``/_api/database``: list, create and drop databases; the current database; user databases."""

from __future__ import annotations

from arangolite.errors import BAD_PARAMETER, USE_SYSTEM_DATABASE, ArangoError
from arangolite.rest.auth_users import users_of
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
    name = ctx.request.user
    if name is None:
        return ok({"result": sorted(ctx.engine.databases)})
    levels = users_of(ctx.engine).levels(name, full=False)
    return ok({"result": sorted(levels)})


def current(ctx: Context) -> Response:
    db = ctx.db
    return ok({"result": {"id": db.id, "name": db.name, "isSystem": db.is_system, "path": "none"}})


def create(ctx: Context) -> Response:
    _system_only(ctx)
    body = require_object(ctx.request.json(default={}))
    users = body.get("users") or []
    if not isinstance(users, list) or not all(isinstance(u, dict) for u in users):
        raise ArangoError(BAD_PARAMETER, "users must be an array of objects")
    db = ctx.engine.create_database(body.get("name"))
    store = users_of(ctx.engine)
    for user in users:
        name = user.get("username", user.get("user"))
        if store.find(name) is None:
            store.create(name, user.get("passwd", user.get("password")), user.get("active"), user.get("extra"))
        store.grant(name, db.name, None, "rw")
    return ok({"result": True}, 201)


def drop(ctx: Context, name: str) -> Response:
    _system_only(ctx)
    ctx.engine.drop_database(name)
    return ok({"result": True})


def register(router: Router) -> None:
    router.add("GET", "/_api/database", list_databases)
    router.add("POST", "/_api/database", create, catalogue=True)
    router.add("GET", "/_api/database/user", user_databases)
    router.add("GET", "/_api/database/current", current)
    router.add("DELETE", "/_api/database/{name}", drop, catalogue=True)
