"""The execution nodes of a query compiled for profiling (``options.profile`` 2).

Each operation the compiled code keeps becomes a node of ``extra.plan.nodes`` (ids from 1, with
the id of the node before it as its dependency, ArangoDB's node type names) and, in the
generated code, a ``PN.hit(id)`` where the node hands a row on (see ``aql/node_profile.py``).
A query level starts with a ``SingletonNode`` (the main level) or a ``SubqueryStartNode``; a
subquery ends with a ``SubqueryEndNode``, which is in the plan but not counted. Compiled without
profiling, none of this is emitted: the code is the same as before.
"""

from __future__ import annotations

from typing import Any

from arangolite.aql import ast
from arangolite.aql.codegen_base import Block

__all__ = ["ProfileCodegen"]

_TYPES: dict[type, str] = {
    ast.Let: "CalculationNode", ast.Filter: "FilterNode", ast.Limit: "LimitNode",
    ast.Return: "ReturnNode", ast.Traversal: "TraversalNode",
    ast.ShortestPath: "ShortestPathNode", ast.Sort: "SortNode", ast.Collect: "CollectNode",
    ast.Window: "WindowNode", ast.Insert: "InsertNode", ast.Update: "UpdateNode",
    ast.Replace: "ReplaceNode", ast.Remove: "RemoveNode", ast.Upsert: "UpsertNode",
}


class ProfileCodegen:
    """Node bookkeeping of the compiler; inert unless ``profile`` is set."""

    profile: bool
    plan_nodes: list[dict[str, Any]]
    counted: dict[int, int]  # counted node id -> id of its level's first node
    prev_node: int | None  # the last node of the level being compiled
    level_start: int

    def add_node(self, kind: str, *, counted: bool = True, **extra: Any) -> int:
        """Register a plan node after the current one; returns its id."""
        node = len(self.plan_nodes) + 1
        deps = [] if self.prev_node is None else [self.prev_node]
        self.plan_nodes.append({
            "type": kind, "id": node, "dependencies": deps,
            "estimatedCost": 0, "estimatedNrItems": 0, **extra,
        })
        self.prev_node = node
        if counted:
            self.counted[node] = self.level_start if self.level_start else node
        return node

    def count_op(self, op: Any, seg: Block, kind: str | None = None) -> None:
        """After ``op``'s code: register its node and count the rows it hands on."""
        if self.profile:
            seg.emit(f"PN.hit({self.add_node(kind or _TYPES[type(op)])})")
