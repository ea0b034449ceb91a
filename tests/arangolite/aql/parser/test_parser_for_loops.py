"""Parser: the FOR forms, traversals and path searches (``for_loops``)."""

from __future__ import annotations

from arangolite.aql import ast
from arangolite.aql.parser import parse
from tests.arangolite.aql.parser.conftest import B, L, N, strip


def test_for_forms() -> None:
    body = parse("FOR x IN coll OPTIONS {indexHint: 'i'} RETURN x").body
    loop = body[0]
    assert isinstance(loop, ast.For)
    assert loop.var == "x" and strip(loop.expr) == ("Name", "coll")
    assert isinstance(loop.options, ast.ObjectLit)
    loop = parse("FOR x IN [1, 2] RETURN x").body[0]
    assert isinstance(loop, ast.For) and isinstance(loop.expr, ast.ArrayLit)
    loop = parse("FOR x IN (FOR y IN z RETURN y) RETURN x").body[0]
    assert isinstance(loop, ast.For) and isinstance(loop.expr, ast.Subquery)
    loop = parse("FOR [k, v] IN ENTRIES(o) RETURN k").body[0]
    assert isinstance(loop, ast.For)
    assert loop.var is None and loop.destructure == ("array", ("k", "v"))
    loop = parse("FOR {a, b} IN x RETURN a").body[0]
    assert isinstance(loop, ast.For) and loop.destructure == ("object", ("a", "b"))
    loop = parse("FOR x IN 1..10 RETURN x").body[0]
    assert isinstance(loop, ast.For) and isinstance(loop.expr, ast.Range)
    loop = parse("FOR x IN @@c RETURN x").body[0]
    assert isinstance(loop, ast.For) and loop.expr == ast.BindCollection("c", line=1, column=10)


def test_traversal_graph() -> None:
    trav = parse("FOR v, e, p IN 1..3 OUTBOUND 'a/1' GRAPH 'g' RETURN p").body[0]
    assert isinstance(trav, ast.Traversal)
    assert (trav.vertex_var, trav.edge_var, trav.path_var) == ("v", "e", "p")
    assert trav.direction == "OUTBOUND"
    assert strip((trav.min_depth, trav.max_depth)) == (("Literal", 1), ("Literal", 3))
    assert strip(trav.graph) == ("Literal", "g")
    assert trav.edge_collections == () and trav.prune is None
    trav = parse("FOR v IN inbound @start GRAPH @g RETURN v").body[0]
    assert isinstance(trav, ast.Traversal)
    assert trav.direction == "INBOUND" and trav.min_depth is None and trav.max_depth is None
    assert strip(trav.graph) == ("BindParam", "g")
    trav = parse("FOR v IN 2 ANY x GRAPH myGraph RETURN v").body[0]
    assert isinstance(trav, ast.Traversal)
    assert strip((trav.min_depth, trav.max_depth, trav.graph)) == (
        ("Literal", 2),
        ("Literal", 2),
        ("Literal", "myGraph"),
    )


def test_traversal_collections_prune_options() -> None:
    query = (
        "FOR v, e IN 1..@max OUTBOUND 'a/1' INBOUND e1, OUTBOUND @@e2, e3 "
        "PRUNE cond = v.x == 1 OPTIONS {bfs: true} RETURN v"
    )
    trav = parse(query).body[0]
    assert isinstance(trav, ast.Traversal)
    assert [(strip(r.collection), r.direction) for r in trav.edge_collections] == [
        (("Name", "e1"), "INBOUND"),
        (("BindCollection", "e2"), "OUTBOUND"),
        (("Name", "e3"), None),
    ]
    assert trav.graph is None and trav.prune_var == "cond"
    assert strip(trav.max_depth) == ("BindParam", "max")
    assert strip(trav.prune) == strip(B("==", ast.Attribute(N("v"), "x"), L(1)))
    assert isinstance(trav.options, ast.ObjectLit)
    trav = parse("FOR v IN OUTBOUND x edges PRUNE v.stop RETURN v").body[0]
    assert isinstance(trav, ast.Traversal)
    assert trav.prune_var is None and strip(trav.prune) == ("Attribute", ("Name", "v"), "stop")


def test_path_searches() -> None:
    sp = parse("FOR v, e IN OUTBOUND SHORTEST_PATH 'a' TO 'b' GRAPH 'g' RETURN v").body[0]
    assert isinstance(sp, ast.ShortestPath)
    assert (sp.kind, sp.vertex_var, sp.edge_var, sp.direction) == (
        "SHORTEST_PATH",
        "v",
        "e",
        "OUTBOUND",
    )
    assert strip((sp.start, sp.target, sp.graph)) == (
        ("Literal", "a"),
        ("Literal", "b"),
        ("Literal", "g"),
    )
    sp = parse(
        "FOR p IN ANY K_SHORTEST_PATHS @s TO @t edges OPTIONS {weightAttribute: 'w'} RETURN p"
    ).body[0]
    assert isinstance(sp, ast.ShortestPath)
    assert sp.kind == "K_SHORTEST_PATHS" and sp.graph is None
    assert [strip(r.collection) for r in sp.edge_collections] == [("Name", "edges")]
    assert isinstance(sp.options, ast.ObjectLit)
    sp = parse("FOR p IN 2..4 INBOUND K_PATHS 'a' TO 'b' GRAPH 'g' RETURN p").body[0]
    assert isinstance(sp, ast.ShortestPath)
    assert sp.kind == "K_PATHS"
    assert strip((sp.min_depth, sp.max_depth)) == (("Literal", 2), ("Literal", 4))
    sp = parse("FOR p IN OUTBOUND ALL_SHORTEST_PATHS 'a' TO 'b' GRAPH 'g' RETURN p").body[0]
    assert isinstance(sp, ast.ShortestPath) and sp.kind == "ALL_SHORTEST_PATHS"
