"""Traversals and path searches."""

from __future__ import annotations

from typing import Any

import pytest
from arango.database import StandardDatabase


def q(db: StandardDatabase, text: str, **binds: Any) -> list[Any]:
    return list(db.aql.execute(text, bind_vars=binds or None))


@pytest.fixture
def graph(db: StandardDatabase) -> StandardDatabase:
    """a -> b -> c -> d and a -> c, inserted in that order; weights on `w`."""
    db.create_collection("v").insert_many([{"_key": k} for k in "abcde"])
    edges = db.create_collection("e", edge=True)
    for src, dst, w in [("a", "b", 1), ("b", "c", 1), ("c", "d", 5), ("a", "c", 3), ("d", "e", 1)]:
        edges.insert({"_from": f"v/{src}", "_to": f"v/{dst}", "w": w})
    return db


def test_dfs_explores_most_recent_edge_first(graph: StandardDatabase) -> None:
    rows = q(graph, "FOR v IN 1..2 OUTBOUND 'v/a' e RETURN v._key")
    assert rows == ["c", "d", "b", "c"]


def test_bfs_order(graph: StandardDatabase) -> None:
    rows = q(graph, "FOR v IN 1..2 OUTBOUND 'v/a' e OPTIONS {order: 'bfs'} RETURN v._key")
    assert rows == ["b", "c", "c", "d"]


def test_unique_vertices_global(graph: StandardDatabase) -> None:
    rows = q(graph, "FOR v IN 1..3 OUTBOUND 'v/a' e OPTIONS {order: 'bfs', uniqueVertices: 'global'} "
                    "RETURN v._key")
    assert rows == ["b", "c", "d", "e"]


def test_inbound_any_and_depth_zero(graph: StandardDatabase) -> None:
    assert q(graph, "FOR v IN INBOUND 'v/c' e SORT v._key RETURN v._key") == ["a", "b"]
    assert q(graph, "FOR v IN 0..0 ANY 'v/c' e RETURN v._key") == ["c"]
    assert sorted(q(graph, "FOR v IN 1 ANY 'v/c' e RETURN v._key")) == ["a", "b", "d"]


def test_path_variable_and_prune(graph: StandardDatabase) -> None:
    rows = q(graph, "FOR v, e, p IN 1..4 OUTBOUND 'v/a' e PRUNE v._key == 'c' "
                    "RETURN CONCAT_SEPARATOR('-', p.vertices[*]._key)")
    assert rows == ["a-c", "a-b", "a-b-c"]


def test_prune_variable(graph: StandardDatabase) -> None:
    rows = q(graph, "FOR v, e, p IN 1..4 OUTBOUND 'v/a' e PRUNE stop = e.w > 2 "
                    "FILTER NOT stop RETURN v._key")
    assert rows == ["b", "c"]


def test_start_vertex_as_document(graph: StandardDatabase) -> None:
    rows = q(graph, "FOR s IN v FILTER s._key == 'd' FOR n IN OUTBOUND s e RETURN n._key")
    assert rows == ["e"]


def test_named_graph(graph: StandardDatabase) -> None:
    graph.create_graph("g", edge_definitions=[{
        "edge_collection": "e", "from_vertex_collections": ["v"], "to_vertex_collections": ["v"],
    }])
    assert q(graph, "FOR v IN 1..1 OUTBOUND 'v/a' GRAPH 'g' RETURN v._key") == ["c", "b"]


def test_shortest_path_weighted_and_unweighted(graph: StandardDatabase) -> None:
    hops = q(graph, "FOR v IN OUTBOUND SHORTEST_PATH 'v/a' TO 'v/d' e RETURN v._key")
    assert hops == ["a", "c", "d"]
    rows = q(graph, "FOR v, ed IN OUTBOUND SHORTEST_PATH 'v/a' TO 'v/d' e "
                    "OPTIONS {weightAttribute: 'w'} RETURN [v._key, ed.w]")
    assert rows == [["a", None], ["b", 1], ["c", 1], ["d", 5]]


def test_k_shortest_and_k_paths(graph: StandardDatabase) -> None:
    rows = q(graph, "FOR p IN OUTBOUND K_SHORTEST_PATHS 'v/a' TO 'v/d' e "
                    "OPTIONS {weightAttribute: 'w'} RETURN [p.vertices[*]._key, p.weight]")
    assert rows == [[["a", "b", "c", "d"], 7], [["a", "c", "d"], 8]]
    rows = q(graph, "FOR p IN 1..5 OUTBOUND K_PATHS 'v/a' TO 'v/d' e RETURN LENGTH(p.edges)")
    assert sorted(rows) == [2, 3]
