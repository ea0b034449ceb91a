"""Per-node statistics of a profiled query (``options.profile`` 2): ``extra.stats.nodes``.

A query compiled for profiling names an execution node for each operation it keeps (see
``QueryCompiler(profile=True)``) and calls a :class:`NodeCounter` where each node hands a row
on (:meth:`NodeCounter.hit`) or, for a FILTER, drops one (:meth:`NodeCounter.drop`). What is
reported per node, in the shape ArangoDB gives it:

- ``items``: rows the node produced (counted, not estimated);
- ``filtered``: rows a FilterNode removed (0 for the other nodes: arangolite's index reads
  yield only matching documents, so they filter nothing afterwards);
- ``runtime``: seconds, like ArangoDB's "including time spent in fetchers": the node's own time
  plus the runtime of the node it depends on. A node's own time is measured with
  ``time.perf_counter`` between the previous counted event of the query and each of its own,
  summed (an index read, a condition, a sort). It is approximate where the generated code skips
  a row outside a node (a LIMIT's offset): that time goes to the next node counted;
- ``calls``: arangolite runs a node row by row, not in batches; ArangoDB's executors are called
  once per batch of up to 1000 rows, so a node reports one call per started batch of 1000 rows
  it produced, and one call for a node that ran but produced none (its query level ran).

Nodes the compiled code has no place to count (a ``SubqueryEndNode``) get no entry.
"""

from __future__ import annotations

import math
import time
from typing import Any

__all__ = ["BATCH", "NodeCounter", "profile_level"]

BATCH = 1000  # rows per ArangoDB executor call (its default batch size)


def profile_level(options: dict[str, Any]) -> int:
    """The ``profile`` option as a number (``true`` is 1); 0 when absent or not a number."""
    value = options.get("profile")
    if isinstance(value, float) and not math.isfinite(value):
        return 0
    return int(value) if isinstance(value, (bool, int, float)) else 0


class NodeCounter:
    """Counts of one profiled execution, indexed by node id."""

    def __init__(self, size: int) -> None:
        self.items = [0] * (size + 1)
        self.filtered = [0] * (size + 1)
        self.runtime = [0.0] * (size + 1)
        self._last = time.perf_counter()
        self._entered = 0  # the collection FOR whose read started last
        self.scans: set[int] = set()  # those whose read was a full scan

    def enter(self, node: int) -> None:
        """A collection's FOR starts reading (an IndexNode's read may find no index and scan)."""
        self._entered = node

    def scanned(self) -> None:
        """The read started last scanned the whole collection."""
        if self._entered:
            self.scans.add(self._entered)

    def plan_nodes(self, nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The compiled plan's nodes as this execution ran them: an IndexNode that found no
        index to read is reported as the EnumerateCollectionNode it was."""
        return [
            {**n, "type": "EnumerateCollectionNode"}
            if n["type"] == "IndexNode" and n["id"] in self.scans else n
            for n in nodes
        ]

    def hit(self, node: int) -> None:
        """``node`` produced a row."""
        now = time.perf_counter()
        self.runtime[node] += now - self._last
        self._last = now
        self.items[node] += 1

    def drop(self, node: int) -> None:
        """``node`` (a FILTER) removed a row."""
        now = time.perf_counter()
        self.runtime[node] += now - self._last
        self._last = now
        self.filtered[node] += 1

    def body(self, nodes: list[dict[str, Any]], levels: dict[int, int]) -> list[dict[str, Any]]:
        """``stats.nodes``: one entry per counted node (``nodes``: the plan's, each depending on
        a node before it; ``levels``: counted node id -> the id of the node starting its query
        level, whose items say how often the level ran)."""
        total = list(self.runtime)
        for plan_node in nodes:  # in id order: a dependency's total is known first
            total[plan_node["id"]] += sum(total[d] for d in plan_node["dependencies"])
        out = []
        for node, start in sorted(levels.items()):
            items = self.items[node]
            calls = -(-items // BATCH) if items else int(self.items[start] > 0)
            out.append({
                "id": node, "calls": calls, "items": items,
                "filtered": self.filtered[node], "runtime": total[node],
            })
        return out
