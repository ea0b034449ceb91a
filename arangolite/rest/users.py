"""``/_api/user`` (users and their database / collection permissions) and ``/_api/token``.

Who may call what is decided before the handler runs (``arangolite.rest.auth``); the handlers
only read and change the store.
"""

from __future__ import annotations

from typing import Any

from arangolite.errors import BAD_PARAMETER, ArangoError
from arangolite.rest.auth import guard_of
from arangolite.rest.auth_users import public_token, public_user, users_of
from arangolite.rest.http import Context, Response, ok, require_object
from arangolite.rest.router import Router

__all__ = ["register"]


def _body(ctx: Context) -> dict[str, Any]:
    return require_object(ctx.request.json(default={}))


def list_users(ctx: Context) -> Response:
    return ok({"result": [public_user(u) for u in users_of(ctx.engine).all()]})


def create_user(ctx: Context) -> Response:
    body = _body(ctx)
    store = users_of(ctx.engine)
    doc = store.create(body.get("user"), body.get("passwd"), body.get("active"), body.get("extra"))
    return ok(public_user(doc), 201)


def get_user(ctx: Context, user: str) -> Response:
    return ok(public_user(users_of(ctx.engine).get(user)))


def update_user(ctx: Context, user: str) -> Response:
    return ok(public_user(users_of(ctx.engine).modify(user, _body(ctx), replace=False)))


def replace_user(ctx: Context, user: str) -> Response:
    return ok(public_user(users_of(ctx.engine).modify(user, _body(ctx), replace=True)))


def delete_user(ctx: Context, user: str) -> Response:
    users_of(ctx.engine).remove(user)
    return ok({}, 202)


def list_levels(ctx: Context, user: str) -> Response:
    store = users_of(ctx.engine)
    store.get(user)
    return ok({"result": store.levels(user, ctx.request.flag("full"))})


def get_db_level(ctx: Context, user: str, db: str) -> Response:
    store = users_of(ctx.engine)
    store.get(user)
    return ok({"result": store.database_level(user, db)})


def get_coll_level(ctx: Context, user: str, db: str, coll: str) -> Response:
    store = users_of(ctx.engine)
    store.get(user)
    return ok({"result": store.collection_level(user, db, coll)})


def _grant(ctx: Context) -> str:
    grant = _body(ctx).get("grant")
    if not isinstance(grant, str):
        raise ArangoError(BAD_PARAMETER, "expecting grant: rw, ro or none")
    return grant


def set_db_level(ctx: Context, user: str, db: str) -> Response:
    grant = _grant(ctx)
    users_of(ctx.engine).grant(user, db, None, grant)
    return ok({db: grant})


def set_coll_level(ctx: Context, user: str, db: str, coll: str) -> Response:
    grant = _grant(ctx)
    users_of(ctx.engine).grant(user, db, coll, grant)
    return ok({f"{db}/{coll}": grant})


def reset_db_level(ctx: Context, user: str, db: str) -> Response:
    users_of(ctx.engine).reset(user, db, None)
    return ok({}, 202)


def reset_coll_level(ctx: Context, user: str, db: str, coll: str) -> Response:
    users_of(ctx.engine).reset(user, db, coll)
    return ok({}, 202)


def list_tokens(ctx: Context, user: str) -> Response:
    doc = users_of(ctx.engine).get(user)
    return Response(200, {"tokens": [public_token(t) for t in doc.get("tokens", [])]})


def create_token(ctx: Context, user: str) -> Response:
    body = _body(ctx)
    token = users_of(ctx.engine).create_token(user, body.get("name"), body.get("valid_until"))
    return Response(200, token)


def delete_token(ctx: Context, user: str, token_id: str) -> Response:
    if not token_id.isdigit():
        raise ArangoError(BAD_PARAMETER, "token id must be a number")
    users_of(ctx.engine).remove_token(user, int(token_id))
    return Response(200, {})


def login(ctx: Context) -> Response:
    """``POST /_open/auth``: a JWT for a user's name and password."""
    return guard_of(ctx.engine).login(ctx.request.json(default={}))


def register(router: Router) -> None:
    router.add("POST", "/_open/auth", login)
    router.add("GET", "/_api/user", list_users)
    router.add("POST", "/_api/user", create_user, catalogue=True)
    router.add("GET", "/_api/user/{user}", get_user)
    router.add("PATCH", "/_api/user/{user}", update_user, catalogue=True)
    router.add("PUT", "/_api/user/{user}", replace_user, catalogue=True)
    router.add("DELETE", "/_api/user/{user}", delete_user, catalogue=True)
    router.add("GET", "/_api/user/{user}/database", list_levels)
    router.add("GET", "/_api/user/{user}/database/{db}", get_db_level)
    router.add("GET", "/_api/user/{user}/database/{db}/{coll}", get_coll_level)
    router.add("PUT", "/_api/user/{user}/database/{db}", set_db_level, catalogue=True)
    router.add("PUT", "/_api/user/{user}/database/{db}/{coll}", set_coll_level, catalogue=True)
    router.add("DELETE", "/_api/user/{user}/database/{db}", reset_db_level, catalogue=True)
    router.add("DELETE", "/_api/user/{user}/database/{db}/{coll}", reset_coll_level, catalogue=True)
    router.add("GET", "/_api/token/{user}", list_tokens)
    router.add("POST", "/_api/token/{user}", create_token)
    router.add("DELETE", "/_api/token/{user}/{token_id}", delete_token)
