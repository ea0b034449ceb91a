"""``/_api/version`` and the small server-information endpoints drivers call."""

from __future__ import annotations

import time

from arangolite.rest.http import Context, Response, ok
from arangolite.rest.router import Router

__all__ = ["VERSION", "register"]

VERSION = "3.12.4"


def version(ctx: Context) -> Response:
    body: dict[str, object] = {"server": "arango", "version": VERSION, "license": "community"}
    if ctx.request.flag("details"):
        body["details"] = {
            "mode": "server",
            "role": "SINGLE",
            "engine": "rocksdb",
            "architecture": "64bit",
            "server-version": VERSION,
            "arangolite": "true",
        }
    return Response(200, body)


def engine(ctx: Context) -> Response:
    return ok(
        {
            "name": "rocksdb",
            "supports": {
                "dfdb": False,
                "indexes": ["primary", "edge", "persistent", "hash", "skiplist", "ttl"],
                "aliases": {"indexes": {"hash": "persistent", "skiplist": "persistent"}},
            },
        }
    )


def availability(ctx: Context) -> Response:
    return Response(200, {"mode": "default", "writeOpsEnabled": True})


def role(ctx: Context) -> Response:
    return ok({"role": "SINGLE", "mode": "default"})


def server_mode(ctx: Context) -> Response:
    return ok({"mode": "default"})


def server_time(ctx: Context) -> Response:
    return ok({"time": time.time()})


def key_generators(ctx: Context) -> Response:
    return ok({"keyGenerators": ["padded", "traditional", "autoincrement", "uuid"]})


def echo(ctx: Context) -> Response:
    req = ctx.request
    return Response(
        200,
        {
            "authorized": True,
            "user": None,
            "database": ctx.db.name,
            "url": req.path,
            "protocol": "http",
            "server": {"address": "127.0.0.1", "port": 8529},
            "client": {"address": "127.0.0.1", "port": 0},
            "path": req.path,
            "headers": req.headers,
            "requestType": req.method,
            "requestBody": req.body,
            "rawRequestBody": list(req.body.encode("utf-8")),
            "parameters": req.params,
        },
    )


def register(router: Router) -> None:
    router.add("GET", "/_api/version", version, lock_free=True)
    router.add("GET", "/_admin/version", version, lock_free=True)
    router.add("GET", "/_api/engine", engine)
    router.add("GET", "/_admin/server/availability", availability)
    router.add("GET", "/_admin/server/role", role)
    router.add("GET", "/_admin/server/mode", server_mode)
    router.add("GET", "/_admin/time", server_time)
    router.add("GET", "/_api/key-generators", key_generators)
    router.add("GET", "/_admin/echo", echo)
    router.add("POST", "/_admin/echo", echo)
