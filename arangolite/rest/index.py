"""``/_api/index``: list, inspect, create and drop indexes of a collection."""

from __future__ import annotations

from arangolite.errors import (
    COLLECTION_PARAMETER_MISSING,
    INDEX_NOT_FOUND,
    ArangoError,
)
from arangolite.rest import maintenance
from arangolite.rest.http import Context, Response, ok
from arangolite.rest.router import Router
from arangolite.storage.index_specs import describe

__all__ = ["register"]


def _collection_param(ctx: Context) -> str:
    name = ctx.request.params.get("collection")
    if not name:
        raise ArangoError(COLLECTION_PARAMETER_MISSING)
    return name


def list_indexes(ctx: Context) -> Response:
    coll = ctx.db.get_collection(_collection_param(ctx))
    indexes = coll.describe_indexes()
    return ok({"indexes": indexes, "identifiers": {i["id"]: i for i in indexes}})


def get_index(ctx: Context, coll: str, iid: str) -> Response:
    collection = ctx.db.get_collection(coll)
    for index in collection.describe_indexes():
        if index["id"] == f"{collection.name}/{iid}" or index["name"] == iid:
            return ok(index)
    raise ArangoError(INDEX_NOT_FOUND)


def create(ctx: Context) -> Response:
    spec = ctx.request.json(default={})  # (as ArangoDB: the body, the collection, the spec)
    coll = ctx.db.get_collection(_collection_param(ctx))
    index, created = ctx.db.ensure_index(coll.name, spec)
    if created and index.kind == "ttl":
        maintenance.reschedule(ctx.engine)  # a new TTL index is watched from the next request
    body = describe(index, coll.name)  # (its name now: it may have been renamed meanwhile)
    body["isNewlyCreated"] = created
    return ok(body, 201 if created else 200)


def drop(ctx: Context, coll: str, iid: str) -> Response:
    collection = ctx.db.get_collection(coll)
    ctx.db.drop_index(collection.name, iid)
    return ok({"id": f"{collection.name}/{iid}"})


def register(router: Router) -> None:
    router.add("GET", "/_api/index", list_indexes)
    router.add("POST", "/_api/index", create, catalogue=True)
    router.add("GET", "/_api/index/{coll}/{iid}", get_index)
    router.add("DELETE", "/_api/index/{coll}/{iid}", drop, catalogue=True)
