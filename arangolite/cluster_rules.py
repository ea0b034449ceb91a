"""``cluster_rules`` mode: refuse what an ArangoDB cluster refuses and a single server allows.

A single server accepts a few things a sharded collection cannot have. Code tested only on a
single server (or on arangolite) then fails when it moves to a cluster. In this mode arangolite
raises the cluster's errors for them:

- a unique index whose fields do not include every shard key of its collection: 1470
  ``ERROR_CLUSTER_UNSUPPORTED`` (each shard can only check its own documents for duplicates);
- a document with a ``_key`` of the caller's choice in a collection sharded by other
  attributes than ``_key``: 1466 ``ERROR_CLUSTER_MUST_NOT_SPECIFY_KEY`` (the coordinator could
  not tell which shard owns that key);
- an update or replace that changes a shard key attribute: 1469
  ``ERROR_CLUSTER_MUST_NOT_CHANGE_SHARDING_ATTRIBUTES``;
- ``shardKeys`` naming ``_id`` or more than 8 attributes at collection creation: 10.

It is a thin layer over the REST resources: :func:`cluster_router` returns a router whose
handlers for index creation and single-document and batch writes check these rules first,
and :func:`enable` installs it on an :class:`~arangolite.client.InProcessHTTPClient`. Writes
made by AQL queries are not checked (the engine has no cluster planner); see
``docs/scaling.md`` for which queries are cluster-safe and why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from arangolite.errors import BAD_PARAMETER, ArangoError, ErrorCode
from arangolite.rest.http import Context, Response
from arangolite.rest.router import Handler, Router

__all__ = [
    "CLUSTER_MUST_NOT_CHANGE_SHARDING_ATTRIBUTES",
    "CLUSTER_MUST_NOT_SPECIFY_KEY",
    "CLUSTER_UNSUPPORTED",
    "cluster_router",
    "enable",
]

CLUSTER_MUST_NOT_SPECIFY_KEY = ErrorCode(1466, 400, "must not specify _key for this collection")
CLUSTER_MUST_NOT_CHANGE_SHARDING_ATTRIBUTES = ErrorCode(1469, 400, "must not change the value of a shard key attribute")
CLUSTER_UNSUPPORTED = ErrorCode(1470, 501, "unsupported operation or parameter for clusters: %s")
MAX_SHARD_KEYS = 8


def _shard_keys(ctx: Context, name: str) -> list[str]:
    props = ctx.db.get_collection(name).props
    return list(props.get("shardKeys") or ["_key"])


def _check_index(ctx: Context) -> None:
    body = ctx.request.json(default={})
    name = ctx.request.params.get("collection", "")
    if not isinstance(body, dict) or not body.get("unique") or not name:
        return
    fields = set(body.get("fields") or [])
    missing = [key for key in _shard_keys(ctx, name) if key not in fields]
    if missing:
        raise ArangoError(
            CLUSTER_UNSUPPORTED,
            f"a unique index on {name!r} must include every shard key ({', '.join(missing)} missing)",
        )


def _documents(ctx: Context) -> list[Any]:
    body = ctx.request.json(default=None)
    return body if isinstance(body, list) else [body]


def _check_insert(ctx: Context, coll: str) -> None:
    if _shard_keys(ctx, coll) == ["_key"]:
        return
    if any(isinstance(doc, dict) and "_key" in doc for doc in _documents(ctx)):
        raise ArangoError(CLUSTER_MUST_NOT_SPECIFY_KEY)


def _check_update(ctx: Context, coll: str, key: str | None = None) -> None:
    shard_keys = [k for k in _shard_keys(ctx, coll) if k != "_key"]
    if not shard_keys:
        return
    collection = ctx.db.get_collection(coll)
    for doc in _documents(ctx):
        if not isinstance(doc, dict):
            continue
        stored = collection.state.get(str(doc.get("_key", key)))
        if stored is not None and any(k in doc and doc[k] != stored.get(k) for k in shard_keys):
            raise ArangoError(CLUSTER_MUST_NOT_CHANGE_SHARDING_ATTRIBUTES)


def _check_collection(ctx: Context) -> None:
    body = ctx.request.json(default={})
    keys = body.get("shardKeys") if isinstance(body, dict) else None
    if keys is not None and ("_id" in keys or len(keys) > MAX_SHARD_KEYS):
        raise ArangoError(BAD_PARAMETER, "shardKeys: at most 8 attributes, and not _id")


_RULES: dict[tuple[str, str], Callable[..., None]] = {
    ("POST", "/_api/index"): _check_index,
    ("POST", "/_api/collection"): _check_collection,
    ("POST", "/_api/document/{coll}"): _check_insert,
    ("PUT", "/_api/document/{coll}"): _check_update,
    ("PATCH", "/_api/document/{coll}"): _check_update,
    ("PUT", "/_api/document/{coll}/{key}"): _check_update,
    ("PATCH", "/_api/document/{coll}/{key}"): _check_update,
}


def _guarded(check: Callable[..., None], handler: Handler) -> Handler:
    def guarded(ctx: Context, **variables: str) -> Response:
        check(ctx, **variables)
        return handler(ctx, **variables)

    return guarded


class _ClusterRouter(Router):
    """A router whose handlers named in ``_RULES`` check the cluster rules first."""

    def add(self, method: str, pattern: str, handler: Handler, **options: Any) -> None:
        check = _RULES.get((method, pattern))
        if check is not None:  # writes: an ``unlocked`` variant serves only reads (a batch
            handler = _guarded(check, handler)  # read, ``onlyget``), which no rule concerns
        super().add(method, pattern, handler, **options)


def cluster_router() -> Router:
    """Return a new router with every REST resource, checking the cluster rules first."""
    from arangolite.rest import resources

    router = _ClusterRouter()
    resources.register_all(router)
    return router


def enable(client: Any) -> Any:
    """Make an ``InProcessHTTPClient`` apply the cluster rules; return it."""
    client.router = cluster_router()
    return client
