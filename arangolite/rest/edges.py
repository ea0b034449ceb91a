"""``GET /_api/edges/{collection}``: the edges of one vertex, through the edge index."""

from __future__ import annotations

from arangolite.errors import BAD_PARAMETER, COLLECTION_TYPE_INVALID, ArangoError
from arangolite.rest.doc_common import read_transaction
from arangolite.rest.http import Context, Response, ok
from arangolite.rest.router import Router

__all__ = ["register"]


def edges(ctx: Context, coll: str) -> Response:
    vertex = ctx.request.params.get("vertex")
    if not vertex:
        raise ArangoError(BAD_PARAMETER, "illegal document identifier: vertex")
    direction = ctx.request.params.get("direction", "any")
    if direction not in ("any", "in", "out"):
        raise ArangoError(BAD_PARAMETER, "<direction> must by any, in, or out")
    if not ctx.db.get_collection(coll).is_edge:
        raise ArangoError(COLLECTION_TYPE_INVALID, message="collection type invalid")
    with read_transaction(ctx) as trx:
        handle = trx.collection(coll)
        found = []
        if direction in ("any", "out"):
            found.extend(handle.edges(vertex, "out"))
        if direction in ("any", "in"):
            seen = {e["_key"] for e in found}
            found.extend(e for e in handle.edges(vertex, "in") if e["_key"] not in seen)
    return ok({"edges": found, "stats": {"scannedIndex": len(found), "filtered": 0}})


def register(router: Router) -> None:
    router.add("GET", "/_api/edges/{coll}", edges, in_stream=True)
