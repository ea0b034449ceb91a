"""``/_api/gharial``: named graphs (create, list, get, drop, change definitions)."""

from __future__ import annotations

from arangolite.errors import NOT_IMPLEMENTED, ArangoError
from arangolite.rest import gharial_docs
from arangolite.rest.http import Context, Response, ok, require_object
from arangolite.rest.router import Router
from arangolite.storage import graphs as G

__all__ = ["register"]


def _status(ctx: Context) -> int:
    return 201 if ctx.request.flag("waitForSync") else 202


def list_graphs(ctx: Context) -> Response:
    return ok({"graphs": list(ctx.db.graphs.values())})


def create(ctx: Context) -> Response:
    body = require_object(ctx.request.json(default={}))
    options = require_object(body.get("options") or {}, "options")
    if (
        body.get("isSmart")
        or body.get("isDisjoint")
        or options.get("isSmart")
        or options.get("satellites")
    ):
        raise ArangoError(
            NOT_IMPLEMENTED, "SmartGraphs, Disjoint and SatelliteGraphs (Enterprise Edition)"
        )
    graph = G.create_graph(
        ctx.db, body.get("name"), body.get("edgeDefinitions"), body.get("orphanCollections")
    )
    return ok({"graph": graph}, _status(ctx), {"etag": graph["_rev"]})


def get_graph(ctx: Context, graph: str) -> Response:
    return ok({"graph": ctx.db.graph(graph)})


def drop(ctx: Context, graph: str) -> Response:
    G.drop_graph(ctx.db, graph, drop_collections=ctx.request.flag("dropCollections"))
    return ok({"removed": True}, _status(ctx))


def list_vertex_collections(ctx: Context, graph: str) -> Response:
    return ok({"collections": G.vertex_collections(ctx.db.graph(graph))})


def list_edge_collections(ctx: Context, graph: str) -> Response:
    return ok({"collections": sorted(G.edge_collections(ctx.db.graph(graph)))})


def add_vertex_collection(ctx: Context, graph: str) -> Response:
    body = require_object(ctx.request.json(default={}))
    doc = G.add_vertex_collection(ctx.db, graph, str(body.get("collection", "")))
    return ok({"graph": doc}, _status(ctx))


def remove_vertex_collection(ctx: Context, graph: str, coll: str) -> Response:
    doc = G.remove_vertex_collection(ctx.db, graph, coll, drop=ctx.request.flag("dropCollection"))
    return ok({"graph": doc}, _status(ctx))


def add_edge_definition(ctx: Context, graph: str) -> Response:
    doc = G.set_edge_definition(ctx.db, graph, ctx.request.json(default={}))
    return ok({"graph": doc}, _status(ctx))


def replace_edge_definition(ctx: Context, graph: str, coll: str) -> Response:
    doc = G.set_edge_definition(ctx.db, graph, ctx.request.json(default={}), replace=coll)
    return ok({"graph": doc}, _status(ctx))


def remove_edge_definition(ctx: Context, graph: str, coll: str) -> Response:
    doc = G.remove_edge_definition(ctx.db, graph, coll, drop=ctx.request.flag("dropCollections"))
    return ok({"graph": doc}, _status(ctx))


def register(router: Router) -> None:
    base = "/_api/gharial/{graph}"
    router.add("GET", "/_api/gharial", list_graphs)
    router.add("POST", "/_api/gharial", create, catalogue=True)
    router.add("GET", base, get_graph)
    router.add("DELETE", base, drop, catalogue=True)
    router.add("GET", f"{base}/vertex", list_vertex_collections)
    router.add("POST", f"{base}/vertex", add_vertex_collection, catalogue=True)
    router.add("DELETE", f"{base}/vertex/{{coll}}", remove_vertex_collection, catalogue=True)
    router.add("GET", f"{base}/edge", list_edge_collections)
    router.add("POST", f"{base}/edge", add_edge_definition, catalogue=True)
    router.add("PUT", f"{base}/edge/{{coll}}", replace_edge_definition, catalogue=True)
    router.add("DELETE", f"{base}/edge/{{coll}}", remove_edge_definition, catalogue=True)
    gharial_docs.register(router)
