"""Vertex and edge documents through ``/_api/gharial/{graph}/vertex|edge/...``.

Like ArangoDB: the collection must belong to the graph (1926 / 1930), an edge's ``_from``/``_to``
must name vertex collections its edge definition allows (1947) and existing vertices (1202), and
removing a vertex also removes the graph's edges attached to it.
"""

from __future__ import annotations

from typing import Any

from arangolite.errors import (
    DOCUMENT_NOT_FOUND,
    GRAPH_EDGE_COLLECTION_NOT_USED,
    GRAPH_REFERENCED_VERTEX_COLLECTION_NOT_USED,
    GRAPH_VERTEX_COL_DOES_NOT_EXIST,
    INVALID_EDGE_ATTRIBUTE,
    ArangoError,
)
from arangolite.rest.doc_common import (
    meta,
    precondition_failed,
    read_transaction,
    unquote_rev,
    write_transaction,
)
from arangolite.rest.http import Context, Response, ok
from arangolite.rest.router import Router
from arangolite.storage import graphs as G
from arangolite.storage.docs import check_object
from arangolite.storage.handle import TrxCollection
from arangolite.storage.transactions import Transaction

__all__ = ["register"]

Document = dict[str, Any]


def _status(ctx: Context) -> int:
    return 201 if ctx.request.flag("waitForSync") else 202


def _check_collection(ctx: Context, graph: str, kind: str, coll: str) -> Document:
    definition = ctx.db.graph(graph)
    if kind == "vertex":
        if coll not in G.vertex_collections(definition):
            raise ArangoError(GRAPH_VERTEX_COL_DOES_NOT_EXIST)
    elif coll not in G.edge_collections(definition):
        raise ArangoError(GRAPH_EDGE_COLLECTION_NOT_USED)
    return definition


def _check_edge(trx: Transaction, definition: Document, coll: str, doc: Document) -> None:
    edef = next(d for d in definition["edgeDefinitions"] if d["collection"] == coll)
    for attr, allowed in (("_from", edef["from"]), ("_to", edef["to"])):
        handle = doc.get(attr)
        if not isinstance(handle, str) or "/" not in handle:
            raise ArangoError(INVALID_EDGE_ATTRIBUTE)
        if handle.split("/", 1)[0] not in allowed:
            raise ArangoError(GRAPH_REFERENCED_VERTEX_COLLECTION_NOT_USED)
        if trx.document(handle) is None:
            raise ArangoError(DOCUMENT_NOT_FOUND, message=f"document not found: {handle}")


def _answer(
    ctx: Context, kind: str, result: Document, old: Document | None, new: Document | None
) -> Response:
    body: Document = {kind: result}
    if ctx.request.flag("returnNew") and new is not None:
        body["new"] = new
    if ctx.request.flag("returnOld") and old is not None:
        body["old"] = old
    return ok(body, _status(ctx), {"etag": result["_rev"]})


def insert(ctx: Context, graph: str, kind: str, coll: str) -> Response:
    definition = _check_collection(ctx, graph, kind, coll)
    body = check_object(ctx.request.json())
    with write_transaction(ctx, coll) as trx:
        if kind == "edge":
            _check_edge(trx, definition, coll, body)
        _, new = trx.collection(coll).insert(body)
    return _answer(ctx, kind, meta(new), None, new)


def _precondition(ctx: Context, current: Document | None) -> Response | None:
    if current is None:
        raise ArangoError(DOCUMENT_NOT_FOUND)
    expected = unquote_rev(ctx.request.header("if-match"))
    if expected is not None and expected != current["_rev"]:
        return precondition_failed(current)
    return None


def read(ctx: Context, graph: str, kind: str, coll: str, key: str) -> Response:
    _check_collection(ctx, graph, kind, coll)
    with read_transaction(ctx) as trx:
        doc = trx.collection(coll).get(key)
    failed = _precondition(ctx, doc)
    if failed is not None:
        return failed
    assert doc is not None
    if_none = unquote_rev(ctx.request.header("if-none-match"))
    if if_none is not None and if_none == doc["_rev"]:
        return Response(304, None, {"etag": doc["_rev"]})
    return ok({kind: doc}, 200, {"etag": doc["_rev"]})


def _modify(ctx: Context, graph: str, kind: str, coll: str, key: str, *, patch: bool) -> Response:
    definition = _check_collection(ctx, graph, kind, coll)
    body = check_object(ctx.request.json())
    keep_null = ctx.request.flag("keepNull", True)
    with write_transaction(ctx, coll) as trx:
        handle = trx.collection(coll)
        failed = _precondition(ctx, handle.get(key))
        if failed is not None:
            return failed
        if patch:
            old, new = handle.update(key, body, keep_null=keep_null)
        else:
            old, new = handle.replace(key, body)
        if kind == "edge":
            _check_edge(trx, definition, coll, new)
    result = {**meta(new), "_oldRev": old["_rev"]}
    return _answer(ctx, kind, result, old, new)


def update(ctx: Context, graph: str, kind: str, coll: str, key: str) -> Response:
    return _modify(ctx, graph, kind, coll, key, patch=True)


def replace(ctx: Context, graph: str, kind: str, coll: str, key: str) -> Response:
    return _modify(ctx, graph, kind, coll, key, patch=False)


def _remove_attached_edges(trx: Transaction, definition: Document, vertex_id: str) -> None:
    for edge_coll in G.edge_collections(definition):
        handle: TrxCollection = trx.collection(edge_coll)
        attached = {
            e["_key"]: e for e in handle.edges(vertex_id, "out") + handle.edges(vertex_id, "in")
        }
        for edge_key in attached:
            handle.remove(edge_key)


def remove(ctx: Context, graph: str, kind: str, coll: str, key: str) -> Response:
    definition = _check_collection(ctx, graph, kind, coll)
    with write_transaction(ctx, coll) as trx:
        handle = trx.collection(coll)
        failed = _precondition(ctx, handle.get(key))
        if failed is not None:
            return failed
        old = handle.remove(key)
        if kind == "vertex":
            _remove_attached_edges(trx, definition, old["_id"])
    body: Document = {"removed": True}
    if ctx.request.flag("returnOld"):
        body["old"] = old
    return ok(body, _status(ctx))


def _bind(kind: str, handler: Any) -> Any:
    def bound(ctx: Context, **variables: str) -> Response:
        result: Response = handler(ctx, kind=kind, **variables)
        return result

    return bound


def register(router: Router) -> None:
    for kind in ("vertex", "edge"):
        base = f"/_api/gharial/{{graph}}/{kind}/{{coll}}"
        router.add("POST", base, _bind(kind, insert), in_stream=True)
        router.add("GET", f"{base}/{{key}}", _bind(kind, read), in_stream=True)
        router.add("PATCH", f"{base}/{{key}}", _bind(kind, update), in_stream=True)
        router.add("PUT", f"{base}/{{key}}", _bind(kind, replace), in_stream=True)
        router.add("DELETE", f"{base}/{{key}}", _bind(kind, remove), in_stream=True)
