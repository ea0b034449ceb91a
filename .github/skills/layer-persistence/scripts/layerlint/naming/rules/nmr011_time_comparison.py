"""NMR011: persistence does not compare stored times with the current time."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..source import SourceFile
from .base import Rule

if TYPE_CHECKING:
    from ..project import Project

_CLOCKS = frozenset(
    {"now_ms", "now_s", "now", "utcnow", "time", "time_ns", "monotonic", "monotonic_ns"}
)


class CurrentTimeComparison(Rule):
    """Flags comparisons in persistence that involve the current time.

    ``now_ms() - heartbeat < timeout`` or ``time.time() > expires_at`` decide liveness or
    expiry: a business decision. Reading the clock to *store* a timestamp is fine.
    """

    code = "NMR011"
    name = "liveness-decision"
    message = "`{expr}` compares with the current time; liveness and expiry are decided in services"
    hint = (
        "return the stored timestamp (get_last_heartbeat) and compare it in a service or workflow"
    )
    why = (
        "Persistence reports facts; what counts as stale or healthy is policy that changes with "
        "the caller. Policy in data access cannot be tested or tuned without a database."
    )
    example = "return now_ms() - doc['last_heartbeat'] < 30_000"
    instead = "return doc['last_heartbeat']  # HealthService decides what is too old"

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield a finding per comparison that reads the clock."""
        for node in src.nodes:
            if isinstance(node, ast.Compare) and _reads_clock(node):
                yield self.found(src, node, expr=_short(ast.unparse(node)))


def _reads_clock(node: ast.Compare) -> bool:
    return any(_is_clock(sub) for sub in ast.walk(node))


def _is_clock(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or node.args:
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in _CLOCKS


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
