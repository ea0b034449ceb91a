"""Query profiling: the time spent in each phase of one execution (``options.profile``).

ArangoDB reports ``extra.profile`` with one entry per phase of its query life cycle, in seconds.
arangolite runs the same life cycle with fewer steps, and times each step it has under the name of
the ArangoDB phase it corresponds to:

- ``initializing``: checking the options and bind parameters;
- ``parsing``: parsing the query text and compiling it to Python (a plan-cache hit makes it short);
- ``loading collections``: starting the query's transaction and opening its collections;
- ``instantiating executors``: binding the compiled plan's functions for this execution;
- ``executing``: running the compiled plan;
- ``finalizing``: committing the query's transaction.

``optimizing ast``, ``optimizing plan`` and ``instantiating plan`` are part of compilation in
arangolite (timed under ``parsing``); they are reported as 0.0.
"""

from __future__ import annotations

import time
from typing import Any

__all__ = ["PHASES", "Profile"]

PHASES = (
    "initializing",
    "parsing",
    "optimizing ast",
    "loading collections",
    "instantiating plan",
    "optimizing plan",
    "instantiating executors",
    "executing",
    "finalizing",
)


class Profile:
    """Phase timings of one execution: :meth:`mark` closes the phase running since the last mark."""

    def __init__(self, started: float | None = None) -> None:
        self._last = time.perf_counter() if started is None else started
        self.phases: dict[str, float] = dict.fromkeys(PHASES, 0.0)

    def mark(self, phase: str) -> None:
        """Add the time since the previous mark to ``phase``."""
        now = time.perf_counter()
        self.phases[phase] += now - self._last
        self._last = now

    def body(self) -> dict[str, Any]:
        """``extra.profile`` as ArangoDB shapes it (seconds per phase)."""
        return dict(self.phases)


def plan_body(compiled: Any, bind_vars: dict[str, Any]) -> dict[str, Any]:
    """The plan ``/_api/explain`` and ``profile: 2`` report for a compiled query.

    arangolite compiles a query to one Python function and has no execution-node plan here:
    ``nodes`` is empty (a ``profile`` 2 cursor fills it from its instrumented compilation, see
    ``node_profile.py``); the collections and whether the query modifies data are real.
    """
    collections = sorted(
        compiled.collections | {v for k, v in bind_vars.items() if k.startswith("@")}
    )
    writes = {w.strip("'\"") for w in compiled.writes}
    return {
        "nodes": [],
        "rules": [],
        "collections": [
            {"name": c, "type": "write" if c in writes else "read"} for c in collections
        ],
        "variables": [],
        "estimatedCost": 0,
        "estimatedNrItems": 0,
        "isModificationQuery": bool(compiled.has_writes),
    }
