"""Compiling graph traversals and path searches (FOR v, e, p IN ... GRAPH / edge collections)."""

from __future__ import annotations

from typing import Any

from arangolite.aql import ast
from arangolite.aql.codegen_base import Block, CodegenBase
from arangolite.aql.scope import Variable


class GraphCodegen(CodegenBase):
    """Traversal and SHORTEST_PATH / K_PATHS loops."""

    def _graph_args(self, op: Any) -> str:
        graph = self.expr(op.graph) if op.graph is not None else "None"
        colls = ", ".join(
            f"({self.collection_name(ref.collection)}, {ref.direction!r})" for ref in op.edge_collections
        )
        options = self.expr(op.options) if op.options is not None else "None"
        return f"{graph}, [{colls}], {options}"

    def _traversal(self, op: ast.Traversal, seg: Block) -> None:
        start = self.expr(op.start)
        low = self.expr(op.min_depth) if op.min_depth is not None else "1"
        high = self.expr(op.max_depth) if op.max_depth is not None else "None"
        graph_args = self._graph_args(op)
        vertex = self._declare(op.vertex_var)
        edge = self._declare(op.edge_var) if op.edge_var else Variable("", self.names.fresh("e"))
        path = self._declare(op.path_var) if op.path_var else Variable("", self.names.fresh("p"))
        prune = "None"
        prune_var = Variable("", self.names.fresh("pr"))
        if op.prune is not None:
            prune = f"lambda {vertex.py}, {edge.py}, {path.py}: {self.expr(op.prune)}"
            if op.prune_var:
                prune_var = self._declare(op.prune_var)
        seg.emit(
            f"for {vertex.py}, {edge.py}, {path.py}, {prune_var.py} in rt.turns(rt.traverse("
            f"{start}, {low}, {high}, {op.direction!r}, {graph_args}, {prune})):"
        )
        seg.depth += 1

    def _shortest_path(self, op: ast.ShortestPath, seg: Block) -> None:
        start, target = self.expr(op.start), self.expr(op.target)
        low = self.expr(op.min_depth) if op.min_depth is not None else "1"
        high = self.expr(op.max_depth) if op.max_depth is not None else "1"
        graph_args = self._graph_args(op)
        call = (
            f"rt.paths({op.kind!r}, {start}, {target}, {op.direction!r}, {graph_args}, {low}, {high})"
        )
        vertex = self._declare(op.vertex_var)
        if op.kind == "SHORTEST_PATH":
            edge = self._declare(op.edge_var) if op.edge_var else Variable("", self.names.fresh("e"))
            seg.emit(f"for {vertex.py}, {edge.py} in {call}:")
        else:
            seg.emit(f"for {vertex.py} in {call}:")
        seg.depth += 1
