"""Compiling the operations that need all rows first: SORT, COLLECT and WINDOW.

Each closes a segment: the segment appends one tuple per row, the runtime processes the list, and
the returned ``finish`` emits that processing and says how the next segment unpacks its rows.
"""

from __future__ import annotations

from typing import Any

from arangolite import errors
from arangolite.aql import ast
from arangolite.aql.codegen_base import Block, CodegenBase
from arangolite.errors import ArangoError
from arangolite.functions.registry import lookup

_AGG_SPECIAL = {"LENGTH", "COUNT", "PUSH"}


class CollectCodegen(CodegenBase):
    """Segment boundaries."""

    def _aggregate_specs(self, aggregates: tuple[ast.Aggregate, ...]) -> tuple[list[str], list[str]]:
        inputs, specs = [], []
        for agg in aggregates:
            call = agg.call
            if not call.args and call.name not in ("LENGTH", "COUNT"):
                raise ArangoError(errors.QUERY_INVALID_AGGREGATE_EXPRESSION)
            inputs.append(self.expr(call.args[0]) if call.args else "1")
            if call.name in _AGG_SPECIAL:
                specs.append(repr(call.name))
            else:
                self.functions.append(lookup(call.name))
                specs.append(f"F{len(self.functions) - 1}")
        return inputs, specs

    def _sort_boundary(self, seg: Block, op: ast.Sort) -> Any:
        live = self._live()
        keys = [self.expr(k.expr) for k in op.keys]
        seg.emit(f"_acc.append({self._row(keys + [v.py for v in live])})")
        directions = tuple(k.ascending for k in op.keys)

        def finish(level: Block) -> tuple[str, str]:
            level.emit(f"_rows = rt.sort_rows(_acc, {directions!r})")
            return "_rows", self._row(["_"] * len(keys) + [v.py for v in live])

        return finish

    def _collect_boundary(self, seg: Block, op: ast.Collect) -> Any:
        if op.into is None and not op.aggregates and len(op.groups) <= 1:
            value = self.expr(op.groups[0][1]) if op.groups else "None"
            seg.emit(f"_acc.append({value})")
            call = f"rt.collect_count(_acc, {len(op.groups)})"
            return self._collect_output(op, call)
        groups = [self.expr(e) for _, e in op.groups]
        inputs, specs = self._aggregate_specs(op.aggregates)
        into = "None"
        if op.into is not None:
            if op.into_expr is not None:
                into = self.expr(op.into_expr)
            else:
                keep = set(op.keep) if op.keep else None
                pairs = [f"{v.aql!r}: {v.py}" for v in self._live() if keep is None or v.aql in keep]
                into = "{" + ", ".join(pairs) + "}"
        seg.emit(f"_acc.append(({self._row(groups)}, {into}, {self._row(inputs)}))")
        spec = "(" + "".join(s + ", " for s in specs) + ")"
        call = f"rt.collect(_acc, {len(groups)}, {spec})"
        return self._collect_output(op, f"rt.hold({next(self.sites)}, {self.level_id}, {call})")

    def _collect_output(self, op: ast.Collect, call: str) -> Any:
        """Declare COLLECT's output variables; ``finish`` emits ``call`` producing its rows."""
        self.scope.vars.clear()
        out = [self._declare(n).py for n, _ in op.groups]
        into_var = self._declare(op.into).py if op.into else "_"
        count_var = self._declare(op.count_into).py if op.count_into else "_"
        agg_vars = [self._declare(a.var).py for a in op.aggregates]

        def finish(level: Block) -> tuple[str, str]:
            level.emit(f"_rows = {call}")
            return "_rows", self._row([self._row(out), into_var, count_var, self._row(agg_vars)])

        return finish

    def _window_boundary(self, seg: Block, op: ast.Window) -> Any:
        live = self._live()
        inputs, specs = self._aggregate_specs(op.aggregates)
        range_value = self.expr(op.range_expr) if op.range_expr is not None else "None"
        bounds = self.expr(op.bounds)
        seg.emit(f"_acc.append(({self._row(inputs)}, {range_value}, {self._row([v.py for v in live])}))")
        agg_vars = [self._declare(a.var).py for a in op.aggregates]
        spec = "(" + "".join(s + ", " for s in specs) + ")"

        def finish(level: Block) -> tuple[str, str]:
            call = f"rt.window(_acc, {bounds}, {op.range_expr is not None}, {spec})"
            level.emit(f"_rows = rt.hold({next(self.sites)}, {self.level_id}, {call})")
            return "_rows", self._row([self._row([v.py for v in live]), self._row(agg_vars)])

        return finish
