"""Named graphs: validating edge definitions, creating their collections, storing the definition."""

from __future__ import annotations

from typing import Any

from arangolite.errors import (
    COLLECTION_TYPE_INVALID,
    GRAPH_COLLECTION_MULTI_USE,
    GRAPH_COLLECTION_USE_IN_MULTI_GRAPHS,
    GRAPH_COLLECTION_USED_IN_EDGE_DEF,
    GRAPH_COLLECTION_USED_IN_ORPHANS,
    GRAPH_CREATE_MALFORMED_EDGE_DEFINITION,
    GRAPH_CREATE_MISSING_NAME,
    GRAPH_DUPLICATE,
    GRAPH_EDGE_COLLECTION_NOT_USED,
    GRAPH_NOT_IN_ORPHAN_COLLECTION,
    ArangoError,
)
from arangolite.storage.database import Database

__all__ = [
    "create_graph",
    "drop_graph",
    "edge_collections",
    "normalize_definition",
    "update_graph",
    "vertex_collections",
]

Document = dict[str, Any]


def _names(value: Any, what: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ArangoError(
            GRAPH_CREATE_MALFORMED_EDGE_DEFINITION, f"'{what}' must be an array of names"
        )
    return sorted(set(value))


def normalize_definition(edef: Any) -> Document:
    """``{"collection", "from", "to"}`` with sorted, de-duplicated vertex collection lists."""
    if (
        not isinstance(edef, dict)
        or not isinstance(edef.get("collection"), str)
        or not edef["collection"]
    ):
        raise ArangoError(
            GRAPH_CREATE_MALFORMED_EDGE_DEFINITION, "edge definition must name a collection"
        )
    return {
        "collection": edef["collection"],
        "from": _names(edef.get("from"), "from"),
        "to": _names(edef.get("to"), "to"),
    }


def edge_collections(graph: Document) -> list[str]:
    return [d["collection"] for d in graph["edgeDefinitions"]]


def vertex_collections(graph: Document) -> list[str]:
    names: set[str] = set(graph["orphanCollections"])
    for edef in graph["edgeDefinitions"]:
        names.update(edef["from"], edef["to"])
    return sorted(names)


def _check_definitions(db: Database, name: str, defs: list[Document]) -> None:
    seen: set[str] = set()
    for edef in defs:
        coll = edef["collection"]
        if coll in seen:
            raise ArangoError(GRAPH_COLLECTION_MULTI_USE, coll)
        seen.add(coll)
        for other in db.graphs.values():
            if other["_key"] == name:
                continue
            for theirs in other["edgeDefinitions"]:
                if theirs["collection"] == coll and theirs != edef:
                    raise ArangoError(GRAPH_COLLECTION_USE_IN_MULTI_GRAPHS, coll)


def _ensure_collection(db: Database, name: str, ctype: int) -> None:
    existing = db.collections.get(name)
    if existing is None:
        db.create_collection(name, ctype)
    elif existing.type != ctype:
        raise ArangoError(COLLECTION_TYPE_INVALID, message=f"collection type invalid: {name}")


def _materialize(db: Database, graph: Document) -> None:
    for edef in graph["edgeDefinitions"]:
        _ensure_collection(db, edef["collection"], 3)
    for vertex in vertex_collections(graph):
        _ensure_collection(db, vertex, 2)


def _store(db: Database, graph: Document) -> Document:
    graph["_rev"] = db.engine.clock.next_rev()
    db.put_graph(graph)
    return graph


def create_graph(db: Database, name: Any, edge_definitions: Any, orphans: Any) -> Document:
    """Create a named graph and any missing collections it names."""
    if not isinstance(name, str) or not name:
        raise ArangoError(GRAPH_CREATE_MISSING_NAME)
    if name in db.graphs:
        raise ArangoError(GRAPH_DUPLICATE)
    if edge_definitions is not None and not isinstance(edge_definitions, list):
        raise ArangoError(
            GRAPH_CREATE_MALFORMED_EDGE_DEFINITION, "edgeDefinitions must be an array"
        )
    defs = [normalize_definition(e) for e in edge_definitions or []]
    _check_definitions(db, name, defs)
    orphan_list = _names(orphans or [], "orphanCollections")
    graph: Document = {
        "_key": name,
        "_id": f"_graphs/{name}",
        "_rev": "",
        "name": name,
        "edgeDefinitions": defs,
        "orphanCollections": orphan_list,
    }
    _materialize(db, graph)
    return _store(db, graph)


def update_graph(db: Database, name: str, defs: list[Document], orphans: list[str]) -> Document:
    """Store a changed definition of an existing graph (creating missing collections)."""
    _check_definitions(db, name, defs)
    graph = {**db.graph(name), "edgeDefinitions": defs, "orphanCollections": sorted(set(orphans))}
    used = {c for d in defs for c in (*d["from"], *d["to"])}
    graph["orphanCollections"] = [o for o in graph["orphanCollections"] if o not in used]
    _materialize(db, graph)
    return _store(db, graph)


def add_vertex_collection(db: Database, name: str, coll: str) -> Document:
    graph = db.graph(name)
    if coll in graph["orphanCollections"]:
        raise ArangoError(GRAPH_COLLECTION_USED_IN_ORPHANS)
    if coll in vertex_collections(graph):
        raise ArangoError(GRAPH_COLLECTION_USED_IN_EDGE_DEF)
    return update_graph(db, name, graph["edgeDefinitions"], [*graph["orphanCollections"], coll])


def remove_vertex_collection(db: Database, name: str, coll: str, *, drop: bool) -> Document:
    graph = db.graph(name)
    if coll not in graph["orphanCollections"]:
        raise ArangoError(GRAPH_NOT_IN_ORPHAN_COLLECTION)
    orphans = [o for o in graph["orphanCollections"] if o != coll]
    result = update_graph(db, name, graph["edgeDefinitions"], orphans)
    if drop:
        _drop_unused(db, [coll])
    return result


def set_edge_definition(
    db: Database, name: str, edef: Any, *, replace: str | None = None
) -> Document:
    """Add an edge definition, or replace the one for collection ``replace``."""
    graph = db.graph(name)
    new = normalize_definition(edef)
    defs = list(graph["edgeDefinitions"])
    if replace is None:
        defs.append(new)
    else:
        if replace != new["collection"] or replace not in edge_collections(graph):
            raise ArangoError(GRAPH_EDGE_COLLECTION_NOT_USED)
        defs = [new if d["collection"] == replace else d for d in defs]
    return update_graph(db, name, defs, graph["orphanCollections"])


def remove_edge_definition(db: Database, name: str, coll: str, *, drop: bool) -> Document:
    graph = db.graph(name)
    if coll not in edge_collections(graph):
        raise ArangoError(GRAPH_EDGE_COLLECTION_NOT_USED)
    defs = [d for d in graph["edgeDefinitions"] if d["collection"] != coll]
    previous = set(vertex_collections(graph))
    remaining = {c for d in defs for c in (*d["from"], *d["to"])}
    orphans = sorted(set(graph["orphanCollections"]) | (previous - remaining))
    result = update_graph(db, name, defs, orphans)
    if drop:
        _drop_unused(db, [coll])
    return result


def _drop_unused(db: Database, names: list[str]) -> None:
    used: set[str] = set()
    for graph in db.graphs.values():
        used.update(edge_collections(graph), vertex_collections(graph))
    for coll in names:
        if coll not in used and coll in db.collections:
            db.drop_collection(coll)


def drop_graph(db: Database, name: str, *, drop_collections: bool) -> None:
    graph = db.remove_graph(name)
    if drop_collections:
        _drop_unused(db, edge_collections(graph) + vertex_collections(graph))
