"""Graph traversals and path searches as compiled queries run them.

Traversals follow ArangoDB's default depth-first order: a vertex's edges are produced outbound
then inbound, each in insertion order, and pushed on a stack, so the most recently inserted edge
is explored first. ``order: "bfs"`` uses a queue instead. Path searches (SHORTEST_PATH,
K_SHORTEST_PATHS, K_PATHS, ALL_SHORTEST_PATHS) work on the same neighbour function.
"""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from arangolite import errors
from arangolite.aql.values import to_bool, to_number
from arangolite.errors import ArangoError
from arangolite.storage.api import CollectionHandle, Transaction

Doc = dict[str, Any]
Step = tuple[Doc, str]  # (edge, neighbour id)


def vertex_id(value: Any) -> str | None:
    """The ``_id`` of a start/target vertex given as an id string or a document."""
    if type(value) is dict:
        value = value.get("_id")
    if type(value) is str and "/" in value:
        return value
    return None


class _Walker:
    """Neighbour lookup over a set of edge collections with directions."""

    def __init__(self, sources: list[tuple[CollectionHandle, str]], trx: Transaction) -> None:
        self.sources = sources
        self.trx = trx
        self._docs: dict[str, Doc | None] = {}

    def neighbours(self, vid: str) -> list[Step]:
        steps: list[Step] = []
        for handle, direction in self.sources:
            if direction in ("OUTBOUND", "ANY"):
                steps.extend((e, e["_to"]) for e in handle.edges(vid, "out"))
            if direction in ("INBOUND", "ANY"):
                steps.extend((e, e["_from"]) for e in handle.edges(vid, "in"))
        return steps

    def vertex(self, vid: str) -> Doc | None:
        if vid not in self._docs:
            self._docs[vid] = self.trx.document(vid)
        return self._docs[vid]


class GraphMixin:
    """Traversal and path-search helpers of ``Runtime``."""

    trx: Transaction
    # a safe point for the search loops, where the engine lock may be handed over (aql/turns.py)
    safe_point: Callable[[], None]

    def handle(self, name: str) -> CollectionHandle:  # pragma: no cover - provided by Runtime
        raise NotImplementedError

    def warn(self, code: int, message: str) -> None:  # pragma: no cover - provided by Runtime
        raise NotImplementedError

    def _walker(self, direction: str, graph: Any, colls: list[tuple[str, str | None]]) -> _Walker:
        sources: list[tuple[CollectionHandle, str]] = []
        if graph is not None:
            if type(graph) is not str:
                raise ArangoError(errors.BAD_PARAMETER, "graph name must be a string")
            definition = self.trx.graph(graph)
            for edge_def in definition.get("edgeDefinitions", []):
                sources.append((self.handle(edge_def["collection"]), direction))
        for name, own in colls:
            sources.append((self.handle(name), own or direction))
        return _Walker(sources, self.trx)

    def _start(self, value: Any) -> str | None:
        vid = vertex_id(value)
        if vid is None:
            self.warn(10, "invalid start vertex: must be a document or an _id string")
        return vid

    def traverse(
        self, start: Any, low: Any, high: Any, direction: str, graph: Any,
        colls: list[tuple[str, str | None]], options: Any, prune: Any,
    ) -> Iterator[tuple[Any, Any, Any, Any]]:
        """``FOR v, e, p IN low..high DIRECTION start ...``: yields (v, e, p, prune value)."""
        opts = options or {}
        walker = self._walker(direction, graph, colls)
        sid = self._start(start)
        if sid is None:
            return
        min_depth = int(to_number(low))
        max_depth = min_depth if high is None else int(to_number(high))
        order = opts.get("order") or ("bfs" if opts.get("bfs") else "dfs")
        if order not in ("dfs", "bfs"):
            raise ArangoError(errors.NOT_IMPLEMENTED, f"traversal order '{order}'")
        yield from self._walk(walker, sid, min_depth, max_depth, order == "bfs", opts, prune)

    def _walk(
        self, walker: _Walker, sid: str, min_depth: int, max_depth: int, bfs: bool,
        opts: dict[str, Any], prune: Any,
    ) -> Iterator[tuple[Any, Any, Any, Any]]:
        unique_vertices = opts.get("uniqueVertices", "none")
        unique_edges = opts.get("uniqueEdges", "path")
        seen_vertices: set[str] = {sid}
        seen_edges: set[str] = set()
        pending: deque[tuple[list[str], list[Doc | None], list[Doc]]] = deque()
        pending.append(([sid], [walker.vertex(sid)], []))
        pop = pending.popleft if bfs else pending.pop
        turn = self.safe_point
        while pending:
            turn()  # nothing of the engine half-read: the pending paths hold read documents
            ids, vertices, edges = pop()
            depth = len(edges)
            vertex, edge = vertices[-1], (edges[-1] if edges else None)
            path = {"edges": edges, "vertices": vertices}
            pruned = prune(vertex, edge, path) if prune is not None else None
            if depth >= min_depth:
                yield vertex, edge, path, pruned
            if depth >= max_depth or (prune is not None and to_bool(pruned)):
                continue
            for step_edge, nid in walker.neighbours(ids[-1]):
                eid = step_edge["_id"]
                if unique_edges == "path" and any(e["_id"] == eid for e in edges):
                    continue
                if unique_edges == "global":
                    if eid in seen_edges:
                        continue
                    seen_edges.add(eid)
                if unique_vertices == "path" and nid in ids:
                    continue
                if unique_vertices == "global":
                    if nid in seen_vertices:
                        continue
                    seen_vertices.add(nid)
                pending.append(([*ids, nid], [*vertices, walker.vertex(nid)], [*edges, step_edge]))

    # ------------------------------------------------------------------ path searches

    def paths(
        self, kind: str, start: Any, target: Any, direction: str, graph: Any,
        colls: list[tuple[str, str | None]], options: Any, low: Any, high: Any,
    ) -> Iterator[Any]:
        """SHORTEST_PATH (yields (v, e)), K_SHORTEST_PATHS, K_PATHS, ALL_SHORTEST_PATHS (paths)."""
        opts = options or {}
        walker = self._walker(direction, graph, colls)
        sid, tid = self._start(start), self._start(target)
        if sid is None or tid is None:
            return
        weight_attr = opts.get("weightAttribute")
        default_weight = to_number(opts.get("defaultWeight", 1))

        def weight(edge: Doc) -> float:
            if not weight_attr:
                return 1
            value = edge.get(weight_attr)
            return float(value) if isinstance(value, (int, float)) else float(default_weight)

        searches = _PathSearch(walker, sid, tid, weight, bool(weight_attr), self.safe_point)
        if kind == "SHORTEST_PATH":
            for path in itertools.islice(searches.by_weight(), 1):
                yield from zip(path["vertices"], [None, *path["edges"]], strict=True)
        elif kind == "K_SHORTEST_PATHS":
            yield from searches.by_weight()
        elif kind == "ALL_SHORTEST_PATHS":
            yield from searches.all_shortest()
        else:
            yield from searches.by_length(int(to_number(low)), int(to_number(high)))


class _PathSearch:
    """Simple-path enumeration between two vertices."""

    def __init__(
        self, walker: _Walker, sid: str, tid: str, weight: Any, weighted: bool,
        turn: Callable[[], None],
    ) -> None:
        self.walker, self.sid, self.tid, self.weight, self.weighted = walker, sid, tid, weight, weighted
        self.turn = turn  # a safe point between two steps of a search (aql/turns.py)

    def _path(self, ids: list[str], edges: list[Doc], total: float) -> dict[str, Any]:
        path: dict[str, Any] = {
            "edges": edges,
            "vertices": [self.walker.vertex(v) for v in ids],
        }
        path["weight"] = total if self.weighted else len(edges)
        return path

    def by_weight(self) -> Iterator[dict[str, Any]]:
        """Simple paths in increasing total weight (lazy, best first)."""
        counter = itertools.count()
        heap: list[tuple[float, int, list[str], list[Doc]]] = [(0.0, next(counter), [self.sid], [])]
        while heap:
            self.turn()
            total, _, ids, edges = heapq.heappop(heap)
            if ids[-1] == self.tid:
                yield self._path(ids, edges, total)
                continue
            for edge, nid in self.walker.neighbours(ids[-1]):
                if nid not in ids:
                    heapq.heappush(heap, (total + self.weight(edge), next(counter), [*ids, nid], [*edges, edge]))

    def all_shortest(self) -> Iterator[dict[str, Any]]:
        """Every path of the minimal number of edges."""
        best: int | None = None
        for path in self.by_length(0, 1 << 30, shortest_only=True):
            if best is None:
                best = len(path["edges"])
            if len(path["edges"]) > best:
                return
            yield path

    def by_length(self, low: int, high: int, shortest_only: bool = False) -> Iterator[dict[str, Any]]:
        """Simple paths with ``low <= edges <= high``, shortest first (breadth first)."""
        queue: deque[tuple[list[str], list[Doc]]] = deque([([self.sid], [])])
        found_depth: int | None = None
        while queue:
            self.turn()
            ids, edges = queue.popleft()
            if shortest_only and found_depth is not None and len(edges) > found_depth:
                return
            if ids[-1] == self.tid and len(edges) >= low:
                found_depth = len(edges)
                yield self._path(ids, edges, float(len(edges)))
                continue
            if len(edges) >= high:
                continue
            for edge, nid in self.walker.neighbours(ids[-1]):
                if nid not in ids:
                    queue.append(([*ids, nid], [*edges, edge]))
