"""``/_api/gharial``: named graphs and their vertex / edge documents."""

from __future__ import annotations

import pytest
from arango.database import StandardDatabase
from arango.exceptions import DocumentInsertError, GraphCreateError, GraphDeleteError


def _defs() -> list[dict[str, object]]:
    return [
        {
            "edge_collection": "knows",
            "from_vertex_collections": ["people"],
            "to_vertex_collections": ["people"],
        }
    ]


def test_create_get_list_delete(db: StandardDatabase) -> None:
    graph = db.create_graph("social", edge_definitions=_defs(), orphan_collections=["lonely"])
    assert db.has_collection("knows") and db.collection("knows").properties()["edge"] is True
    assert db.has_collection("people") and db.has_collection("lonely")
    props = graph.properties()
    assert props["name"] == "social" and props["orphan_collections"] == ["lonely"]
    assert db.graphs()[0]["name"] == "social"
    assert graph.vertex_collections() == ["lonely", "people"]
    assert [d["edge_collection"] for d in graph.edge_definitions()] == ["knows"]
    with pytest.raises(GraphCreateError) as dup:
        db.create_graph("social")
    assert dup.value.error_code == 1925
    assert db.delete_graph("social", drop_collections=True)
    assert not db.has_collection("knows") and not db.has_collection("people")
    with pytest.raises(GraphDeleteError) as missing:
        db.delete_graph("social")
    assert missing.value.error_code == 1924


def test_storage_graph_definition(db: StandardDatabase, engine) -> None:  # type: ignore[no-untyped-def]
    db.create_graph("g", edge_definitions=_defs())
    trx = engine.database(db.name).begin()
    assert trx.graph("g")["edgeDefinitions"] == [
        {"collection": "knows", "from": ["people"], "to": ["people"]}
    ]
    trx.abort()


def test_vertex_and_edge_crud(db: StandardDatabase) -> None:
    graph = db.create_graph("g", edge_definitions=_defs())
    people = graph.vertex_collection("people")
    knows = graph.edge_collection("knows")
    people.insert({"_key": "alice"})
    people.insert({"_key": "bob"})
    edge = knows.insert({"_from": "people/alice", "_to": "people/bob", "since": 2020})
    assert knows.get(edge["_key"])["since"] == 2020
    with pytest.raises(DocumentInsertError) as missing_vertex:
        knows.insert({"_from": "people/alice", "_to": "people/nobody"})
    assert missing_vertex.value.error_code == 1202
    with pytest.raises(DocumentInsertError) as foreign:
        knows.insert({"_from": "people/alice", "_to": "other/x"})
    assert foreign.value.error_code == 1947
    people.update({"_key": "alice", "age": 30})
    assert people.get("alice")["age"] == 30
    people.delete("bob")
    assert knows.count() == 0
    with pytest.raises(DocumentInsertError) as not_in_graph:
        graph.vertex_collection("strangers").insert({})
    assert not_in_graph.value.error_code == 1926


def test_edge_definition_changes(db: StandardDatabase) -> None:
    graph = db.create_graph("g", edge_definitions=_defs())
    graph.create_edge_definition("likes", ["people"], ["things"])
    assert db.has_collection("things")
    graph.replace_edge_definition("likes", ["people"], ["stuff"])
    assert "stuff" in graph.vertex_collections()
    graph.delete_edge_definition("likes", purge=True)
    assert not db.has_collection("likes")
    graph.create_vertex_collection("extra")
    assert "extra" in graph.vertex_collections()
    graph.delete_vertex_collection("extra")
    assert "extra" not in graph.vertex_collections()


def test_conflicting_definition_in_other_graph(db: StandardDatabase) -> None:
    db.create_graph("one", edge_definitions=_defs())
    other = [
        {
            "edge_collection": "knows",
            "from_vertex_collections": ["x"],
            "to_vertex_collections": ["y"],
        }
    ]
    with pytest.raises(GraphCreateError) as info:
        db.create_graph("two", edge_definitions=other)
    assert info.value.error_code == 1921


def test_enterprise_graphs_are_501(db: StandardDatabase) -> None:
    with pytest.raises(GraphCreateError) as info:
        db.create_graph("smart", smart=True, smart_field="region")
    assert info.value.http_code == 501


def test_adding_a_vertex_collection_twice(db: StandardDatabase) -> None:
    from arango.exceptions import VertexCollectionCreateError

    graph = db.create_graph("g2", edge_definitions=_defs())
    graph.create_vertex_collection("extra")
    with pytest.raises(VertexCollectionCreateError) as orphan:
        graph.create_vertex_collection("extra")
    assert orphan.value.error_code == 1938  # already an orphan
    with pytest.raises(VertexCollectionCreateError) as in_edge_def:
        graph.create_vertex_collection("people")
    assert in_edge_def.value.error_code == 1929  # already in an edge definition
