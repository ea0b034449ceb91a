"""NMR011: persistence does not compare stored times with the current time."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..aql import clock_comparisons
from ..bindvars import passed_values
from ..calls import ExecuteCall
from ..folding import Const, own_nodes
from ..source import SourceFile
from ..timeflow import is_clock_call, reads_clock, tainted_names
from .base import Rule

if TYPE_CHECKING:
    from ..project import Project

_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


class CurrentTimeComparison(Rule):
    """Flags comparisons in persistence that involve the current time.

    ``now_ms() - heartbeat < timeout`` or ``time.time() > expires_at`` decide liveness or
    expiry: a business decision. Found in Python, also when the clock reaches the comparison
    through variables or arithmetic (``now = now_ms()`` ... ``claimed_at < now - lease_ms``),
    and in AQL: a comparison with ``DATE_NOW()``, or with a bind variable the call fills with
    the clock (``"now": now_ms()`` for ``FILTER c.claimed_at < @now - @lease``). Reading the
    clock to *store* a timestamp is fine.
    """

    code = "NMR011"
    name = "liveness-decision"
    message = "{expr} compares with the current time; liveness and expiry are decided in services"
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
        """Yield a finding per comparison that reads the clock, in Python and in AQL."""
        # every clock value starts at a clock call: a module without one has no clock to compare
        reads_a_clock = any(is_clock_call(site.call) for site in src.calls)
        scopes = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)
        for node in src.of(*scopes) if reads_a_clock else ():
            yield from self._python(src, node)
        for query in project.queries(src):
            if "DATE_NOW" not in query.text.upper():
                continue
            parsed = project.parser.parse(query.text)
            for ref in clock_comparisons(parsed.facts) if parsed.facts is not None else ():
                where = f"{query.label} ({ref.line}:{ref.column}: `{ref.detail} {ref.name}`)"
                yield self.found(src, query.node, expr=where)
        for site in project.calls(src) if reads_a_clock else ():
            yield from self._bound_clock(src, project, site)

    def _python(self, src: SourceFile, scope: ast.AST) -> Iterator[Finding]:
        tainted = tainted_names(scope if not isinstance(scope, ast.Module) else None)
        for node in _own_nodes(scope):
            if isinstance(node, ast.Compare) and _compares_clock(node, tainted):
                yield self.found(src, node, expr=f"`{_short(ast.unparse(node))}`")

    def _bound_clock(
        self, src: SourceFile, project: Project, site: ExecuteCall
    ) -> Iterator[Finding]:
        tainted = tainted_names(site.scope)
        clock = {k: v for k, v in passed_values(site).items() if reads_clock(v, tainted)}
        if not clock or site.query is None or site.forwarded:
            return
        folded = site.folder(src).fold(site.query)
        if not isinstance(folded, Const) or not isinstance(folded.value, str):
            return
        parsed = project.parser.parse(folded.value)
        if parsed.facts is None:
            return
        for ref in clock_comparisons(parsed.facts, frozenset(clock)):
            if ref.detail.startswith("@"):
                value = clock[ref.detail[1:]]
                what = f"`{ref.detail}` (the clock, `{_short(ast.unparse(value))}`) in the query"
                yield self.found(src, value, expr=what)


def _own_nodes(scope: ast.AST) -> list[ast.AST]:
    """Return the nodes of a function (or module level) without nested scopes' bodies."""
    return own_nodes(scope)


def _compares_clock(node: ast.Compare, tainted: frozenset[str]) -> bool:
    if not any(isinstance(op, _ORDERING) for op in node.ops):
        return False
    return any(_mentions_clock(part, tainted) for part in (node.left, *node.comparators))


def _mentions_clock(expr: ast.AST, tainted: frozenset[str]) -> bool:
    return any(reads_clock(sub, tainted) for sub in ast.walk(expr))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
