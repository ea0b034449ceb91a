"""``/_api/collection``: create, list, inspect, configure, truncate, rename and drop collections."""

from __future__ import annotations

import hashlib

from arangolite.errors import COLLECTION_PARAMETER_MISSING, NOT_IMPLEMENTED, ArangoError
from arangolite.rest.http import Context, Response, ok, require_object
from arangolite.rest.router import Router
from arangolite.storage.collection import SETTABLE_PROPERTIES, Collection

__all__ = ["register"]

_CREATE_OPTIONS = ("keyOptions", "isSystem", *SETTABLE_PROPERTIES)


def list_collections(ctx: Context) -> Response:
    exclude = ctx.request.flag("excludeSystem")
    result = [c.info() for c in ctx.db.collections.values() if not (exclude and c.is_system)]
    return ok({"result": result})


def create(ctx: Context) -> Response:
    body = require_object(ctx.request.json(default={}))
    name = body.get("name")
    if not name:
        raise ArangoError(COLLECTION_PARAMETER_MISSING, message="illegal name")
    options = {k: body[k] for k in _CREATE_OPTIONS if k in body}
    coll = ctx.db.create_collection(name, body.get("type", 2), options)
    return ok(coll.properties())


def _coll(ctx: Context, name: str) -> Collection:
    return ctx.db.get_collection(name)


def info(ctx: Context, name: str) -> Response:
    return ok(_coll(ctx, name).info())


def properties(ctx: Context, name: str) -> Response:
    return ok(_coll(ctx, name).properties())


def _count(ctx: Context, coll: Collection) -> int:
    if ctx.trx is not None:
        return ctx.trx.collection(coll.name).count()
    return coll.state.count()


def count(ctx: Context, name: str) -> Response:
    coll = _coll(ctx, name)
    return ok({**coll.properties(), "count": _count(ctx, coll)})


def figures(ctx: Context, name: str) -> Response:
    coll = _coll(ctx, name)
    index_count = 1 + (1 if coll.is_edge else 0) + len(coll.indexes)
    figs = {
        "indexes": {"count": index_count, "size": 0},
        "documentsSize": 0,
        "cacheInUse": False,
        "cacheSize": 0,
        "cacheUsage": 0,
    }
    return ok({**coll.properties(), "count": coll.state.count(), "figures": figs})


def _revision(coll: Collection) -> str:
    return max((d["_rev"] for d in coll.state.scan()), default="0")


def revision(ctx: Context, name: str) -> Response:
    coll = _coll(ctx, name)
    return ok({**coll.properties(), "revision": _revision(coll)})


def checksum(ctx: Context, name: str) -> Response:
    coll = _coll(ctx, name)
    with_revs = ctx.request.flag("withRevisions") or ctx.request.flag("withRevision")
    with_data = ctx.request.flag("withData")
    total = 0
    for doc in coll.state.scan():
        text = doc["_key"] + (doc["_rev"] if with_revs else "")
        if with_data:
            text += repr(sorted((k, repr(v)) for k, v in doc.items() if k not in ("_rev", "_id")))
        total ^= int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")
    return ok({**coll.info(), "revision": _revision(coll), "checksum": str(total)})


def set_properties(ctx: Context, name: str) -> Response:
    body = require_object(ctx.request.json(default={}))
    coll = ctx.db.set_properties(name, body)
    return ok(coll.properties())


def truncate(ctx: Context, name: str) -> Response:
    coll = _coll(ctx, name)
    if ctx.trx is not None:
        ctx.trx.collection(coll.name).truncate()
    else:
        trx = ctx.db.begin()
        try:
            trx.collection(coll.name).truncate()
        except BaseException:
            trx.abort()
            raise
        trx.commit()
    return ok(coll.info())


def load(ctx: Context, name: str) -> Response:
    coll = _coll(ctx, name)
    return ok({**coll.info(), "count": coll.state.count()})


def no_op(ctx: Context, name: str) -> Response:
    return ok(_coll(ctx, name).info())


def load_indexes(ctx: Context, name: str) -> Response:
    _coll(ctx, name)
    return ok({"result": True})


def recalculate_count(ctx: Context, name: str) -> Response:
    coll = _coll(ctx, name)
    return ok({"result": True, "count": coll.state.count()})


def rename(ctx: Context, name: str) -> Response:
    body = require_object(ctx.request.json(default={}))
    current = ctx.db.get_collection(name)
    if body.get("name") == current.name:
        return ok(current.info())  # renaming to its own name succeeds, as in ArangoDB
    coll = ctx.db.rename_collection(name, body.get("name"))
    return ok(coll.info())


def drop(ctx: Context, name: str) -> Response:
    coll = ctx.db.drop_collection(name, is_system=ctx.request.flag("isSystem"))
    return ok({"id": str(coll.cid)})


def cluster_only(ctx: Context, name: str) -> Response:
    _coll(ctx, name)
    raise ArangoError(NOT_IMPLEMENTED, "cluster-only collection API on a single server")


def register(router: Router) -> None:
    base = "/_api/collection/{name}"
    router.add("GET", "/_api/collection", list_collections)
    router.add("POST", "/_api/collection", create, catalogue=True)
    router.add("GET", base, info)
    router.add("DELETE", base, drop, catalogue=True)
    for suffix, handler in (
        ("properties", properties),
        ("count", count),
        ("figures", figures),
        ("revision", revision),
        ("checksum", checksum),
        ("shards", cluster_only),
    ):
        router.add("GET", f"{base}/{suffix}", handler, in_stream=handler is count)
    for suffix, handler in (
        ("properties", set_properties),
        ("truncate", truncate),
        ("load", load),
        ("unload", no_op),
        ("compact", no_op),
        ("loadIndexesIntoMemory", load_indexes),
        ("recalculateCount", recalculate_count),
        ("rename", rename),
        ("responsibleShard", cluster_only),
    ):
        router.add(
            "PUT", f"{base}/{suffix}", handler, in_stream=handler is truncate,
            catalogue=handler in (set_properties, rename),
        )
