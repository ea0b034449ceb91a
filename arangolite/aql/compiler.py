"""Compile a parsed AQL query into Python source, once per query text.

A query level (the query or a subquery) becomes a function returning its result list. Its
operations become nested ``for`` loops inside *segment* functions; SORT, COLLECT and WINDOW need
all rows first, so each of them closes a segment (the segment appends tuples of the live
variables to a list), processes the list in the runtime, and opens the next segment over the
result. ``FILTER`` is ``continue``, ``LIMIT`` counts and ``return``s from the segment when done.
"""

from __future__ import annotations

import itertools
from dataclasses import fields
from typing import Any

from arangolite import errors
from arangolite.aql import ast
from arangolite.aql.codegen_base import Block, CompiledQuery
from arangolite.aql.codegen_collect import CollectCodegen
from arangolite.aql.codegen_expr import bind_local
from arangolite.aql.codegen_graph import GraphCodegen
from arangolite.aql.codegen_profile import ProfileCodegen
from arangolite.aql.codegen_write import WriteCodegen
from arangolite.aql.planner import Access, count_plan, plan_access, plan_geo
from arangolite.aql.projection import projected
from arangolite.aql.scope import Names, Scope
from arangolite.errors import ArangoError

__all__ = ["CompiledQuery", "QueryCompiler"]


class QueryCompiler(CollectCodegen, GraphCodegen, WriteCodegen, ProfileCodegen):
    """Turns an ``ast.Query`` into a ``CompiledQuery``."""

    def __init__(self, *, lazy: bool = False, profile: bool = False) -> None:
        self.lazy = lazy  # the main level yields its rows (a streaming cursor's plan)
        self.profile = profile  # count rows per execution node (see codegen_profile.py)
        self.plan_nodes: list[dict[str, Any]] = []
        self.counted: dict[int, int] = {}
        self.prev_node: int | None = None
        self.level_start = 0
        self.for_node = "EnumerateListNode"  # the node type of the FOR compiled last
        self.names = Names()
        self.scope = Scope()
        self.consts: list[Any] = []
        self.functions: list[Any] = []
        self.collections: set[str] = set()
        self.bind_names: set[str] = set()
        self.bind_facts: dict[str, str] = {}  # locals computed from bind values at the start
        self.writes: set[str] = set()
        self.blocks: list[Block] = []
        self.full_count_limit: ast.Limit | None = None
        self.nesting = 0
        self.first_read: dict[str, int] = {}  # collection -> subquery depth of its first read
        self.modified: set[str] = set()
        self.precounted: set[int] = set()  # ids of COLLECTs answered by rt.count_by
        self.consumed: set[int] = set()  # ids of the FILTERs such counts replace
        self.sites = itertools.count(1)  # accumulator sites, watched under a memory limit
        self.level_id = 0  # the query level being compiled (0: the main level)
        self._levels = itertools.count(1)
        self.geo_calls: dict[int, tuple[str, list[str]]] = {}  # geo filters a geo index may answer
        self.covered: dict[int, str] = {}  # FILTER conjuncts a range read answers: its flag
        self.root: ast.Query | None = None  # the whole query (projections look at all of it)

    def compile(self, query: ast.Query) -> CompiledQuery:
        """Compile the whole query into a ``run(rt, B, K, F)`` function."""
        self.lazy = self.lazy and bool(query.body) and isinstance(query.body[-1], ast.Return)
        self.root = query
        limits = [op for op in query.body if isinstance(op, ast.Limit)]
        self.full_count_limit = limits[-1] if limits else None
        main = Block("def run(rt, B):")
        self.blocks.append(main)
        body = self.compile_level(query, "q_main")
        for name in sorted(n for n in self.bind_names if not n.startswith("@")):
            main.pre.append(f"    {bind_local(name)} = B[{name!r}]")
        for name, expression in sorted(self.bind_facts.items()):  # (after the values they read)
            main.pre.append(f"    {name} = {expression}")
        main.add_pre(body)
        main.emit("return q_main()")
        source = "\n".join(main.render()) + "\n"
        return CompiledQuery(
            source, self.consts, self.functions, self.collections, self.bind_names,
            self.writes, bool(self.writes), self.lazy, self.plan_nodes, self.counted,
        )

    def compile_subquery(self, query: ast.Query) -> str:
        saved_limit, self.full_count_limit = self.full_count_limit, None
        saved_scope, self.scope = self.scope, Scope(parent=self.scope)
        self.nesting += 1
        try:
            fname = self.names.fresh("sq")
            self.blocks[-1].add_pre(self.compile_level(query, fname))
        finally:
            self.scope, self.full_count_limit = saved_scope, saved_limit
            self.nesting -= 1
        return f"{fname}()"

    # ------------------------------------------------------------------ levels and segments

    def compile_level(self, query: ast.Query, fname: str) -> list[str]:
        """One query level as a function ``fname()`` returning its result list."""
        level = Block(f"def {fname}():")
        self.blocks.append(level)
        outer, self.level_id = self.level_id, next(self._levels)
        outer_start, self.level_start = self.level_start, 0
        try:
            self._compile_segments(query.body, level)
        finally:
            self.blocks.pop()
            self.level_id, self.level_start = outer, outer_start
        if self.profile and self.nesting:
            self.add_node("SubqueryEndNode", counted=False)
        return level.render()

    def _compile_segments(self, ops: tuple[Any, ...], level: Block) -> None:
        source, unpack, index = "ONE", "_", 0
        eliminated: set[int] = set()
        node: Any = None  # the boundary before this segment (None: the level's start)
        while True:
            seg_name = self.names.fresh("seg")
            seg = Block(f"def {seg_name}(_src, _acc):")
            self.blocks.append(seg)
            seg.emit(f"for {unpack} in _src:")
            seg.depth += 1
            if self.profile:
                self._count_source(seg, node)
            boundary = None
            while index < len(ops):
                op = ops[index]
                index += 1
                if isinstance(op, ast.Sort) and all(
                    isinstance(k.expr, ast.Literal) and k.expr.value is None for k in op.keys
                ):
                    eliminated.add(id(op))
                if isinstance(op, (ast.Sort, ast.Collect, ast.Window)) and id(op) not in eliminated:
                    boundary = op
                    break
                self.compile_op(op, seg, ops, index - 1, eliminated)
            node = boundary
            finish = self._close_segment(seg, boundary)
            self.blocks.pop()
            level.add_pre(seg.render())
            distinct = bool(ops) and isinstance(ops[-1], ast.Return) and ops[-1].distinct
            if boundary is None and self._yields():
                rows = f"{seg_name}({source}, None)"
                level.emit(f"return rt.distinct_iter({rows})" if distinct else f"return {rows}")
                return
            # a plain list unless a memory limit watches it (see aql/memory.py)
            site = next(self.sites)
            level.emit(f"_acc = [] if rt.held is None else rt.acc({site}, {self.level_id})")
            level.emit(f"{seg_name}({source}, _acc)")
            level.emit("if rt.held is not None: rt.filled()")
            if boundary is None:
                if distinct:
                    level.emit("_acc = rt.distinct(_acc)")
                # a watched accumulator never becomes a value: AQL checks ``type(v) is list``
                level.emit("return _acc if rt.held is None else list(_acc)")
                return
            source, unpack = finish(level)

    def _count_source(self, seg: Block, boundary: Any) -> None:
        """Count the rows a segment starts from: the level's start, or a SORT, COLLECT or
        WINDOW (whose rows were all computed before this segment)."""
        if boundary is not None:
            self.count_op(boundary, seg)
            return
        start = self.add_node("SubqueryStartNode" if self.nesting else "SingletonNode")
        self.level_start = start
        self.counted[start] = start
        seg.emit(f"PN.hit({start})")

    def _yields(self) -> bool:
        """True while compiling the main level of a lazy query: its RETURN yields rows."""
        return self.lazy and self.nesting == 0

    def _close_segment(self, seg: Block, boundary: Any) -> Any:
        if id(boundary) in self.precounted:
            return self._collect_output(boundary, "_acc")
        if isinstance(boundary, ast.Sort):
            return self._sort_boundary(seg, boundary)
        if isinstance(boundary, ast.Collect):
            return self._collect_boundary(seg, boundary)
        if isinstance(boundary, ast.Window):
            return self._window_boundary(seg, boundary)
        return None

    # ------------------------------------------------------------------ operations

    def compile_op(self, op: Any, seg: Block, ops: tuple[Any, ...], index: int, eliminated: set[int]) -> None:
        """Emit the code of one operation into the current segment."""
        if id(op) in self.consumed:
            return
        if isinstance(op, ast.For):
            precounted = len(self.precounted)
            self._for(op, seg, ops, index, eliminated)
            if len(self.precounted) == precounted:
                self.count_op(op, seg, self.for_node)
            elif self.profile:  # answered by rt.count_by: no row to count (see the COLLECT)
                self.add_node("EnumerateCollectionNode", counted=False)
            return
        if isinstance(op, ast.Filter) and self.profile:
            cond = self.cond(op.expr)
            node = self.add_node("FilterNode")
            seg.emit(f"if not {cond}:")
            seg.emit(f"    PN.drop({node})")
            seg.emit("    continue")
            seg.emit(f"PN.hit({node})")
            return
        if isinstance(op, ast.Sort):
            return  # satisfied by the index the FOR reads in order, or SORT null
        if isinstance(op, ast.Let):
            value = self.expr(op.expr)  # before the name exists: `LET x = [x]` cannot see itself
            var = self._declare(op.name)
            seg.emit(f"{var.py} = {value}")
        elif isinstance(op, ast.Filter):
            seg.emit(f"if not {self.cond(op.expr)}: continue")
        elif isinstance(op, ast.Limit):
            self._limit(op, seg)
        elif isinstance(op, ast.Return):
            self._return(op, seg)
        elif isinstance(op, ast.Traversal):
            self._traversal(op, seg)
        elif isinstance(op, ast.ShortestPath):
            self._shortest_path(op, seg)
        else:
            self._modification(op, seg)
        self.count_op(op, seg)

    def _limit(self, op: ast.Limit, seg: Block) -> None:
        for value in (op.offset, op.count):
            if value is not None and self._reads_variables(value):
                raise ArangoError(
                    errors.QUERY_NUMBER_OUT_OF_RANGE,
                    message="LIMIT value is not a number or out of range: LIMIT takes constants "
                    "or bind parameters, not variables",
                )
        counter = self.names.fresh("lim")
        offset = self.expr(op.offset) if op.offset is not None else "0"
        seg.pre.append(f"    {counter} = 0")
        fixed = _literal_limit(op)
        if fixed is not None:  # (worked out once, here)
            seg.pre.append(f"    {counter}_lo, {counter}_hi = {fixed[0]}, {fixed[1]}")
        else:
            seg.pre.append(f"    {counter}_lo, {counter}_hi = rt.limit_bounds({offset}, {self.expr(op.count)})")
        seg.emit(f"{counter} += 1")
        if op is self.full_count_limit:
            seg.emit(f"rt.full_count = {counter}")
            seg.emit(f"if {counter} > {counter}_hi:")
            seg.emit("    if rt.want_full_count: continue")
            seg.emit("    return")
        else:
            seg.emit(f"if {counter} > {counter}_hi: return")
        seg.emit(f"if {counter} <= {counter}_lo: continue")

    def _return(self, op: ast.Return, seg: Block) -> None:
        if self._yields():
            seg.emit(f"yield {self.expr(op.expr)}")
        else:
            seg.emit(f"_acc.append({self.expr(op.expr)})")

    # ------------------------------------------------------------------ FOR

    def _for(self, op: ast.For, seg: Block, ops: tuple[Any, ...], index: int, eliminated: set[int]) -> None:
        if op.var is not None and self._is_collection(op.expr):
            self._for_collection(op, seg, ops, index, eliminated)
            return
        self.for_node = "EnumerateListNode"
        source = self.expr(op.expr)
        if op.destructure is not None:
            kind, names = op.destructure
            item = self.names.fresh("item")
            seg.emit(f"for {item} in rt.turns(rt.iterable({source})):")
            seg.depth += 1
            for position, name in enumerate(names):
                var = self._declare(name)
                access = f"get_index({item}, {position})" if kind == "array" else f"get_attr({item}, {name!r})"
                seg.emit(f"{var.py} = {access}")
            return
        assert op.var is not None
        if isinstance(op.expr, ast.Range):  # iterated lazily, never built
            source = f"range_iter({self.expr(op.expr.low)}, {self.expr(op.expr.high)})"
        else:
            source = f"rt.iterable({source})"
        var = self._declare(op.var)
        seg.emit(f"for {var.py} in rt.turns({source}):")
        seg.depth += 1

    def _reads_variables(self, node: Any) -> bool:
        """Whether an expression reads a query variable (or runs a subquery)."""
        if isinstance(node, ast.Subquery):
            return True
        if isinstance(node, ast.Name):
            return self.scope.lookup(node.name) is not None
        if isinstance(node, (list, tuple)):
            return any(self._reads_variables(item) for item in node)
        if isinstance(node, ast.Node):
            return any(self._reads_variables(getattr(node, f.name)) for f in fields(node))
        return False

    def _is_collection(self, node: Any) -> bool:
        if isinstance(node, ast.BindCollection):
            return True
        return isinstance(node, ast.Name) and self.scope.lookup(node.name) is None

    def _for_collection(self, op: ast.For, seg: Block, ops: tuple[Any, ...], index: int, eliminated: set[int]) -> None:
        assert op.var is not None
        name = self.collection_name(op.expr)
        self._note_read(op.expr)
        allowed = self._visible_names()
        counted = count_plan(ops, index, op.var, allowed)
        if counted is not None:
            values = self._row([self.expr(v) for v in counted.values])
            if counted.group is None:
                seg.emit(f"_acc.extend(rt.count_where({name}, {tuple(counted.fields)!r}, {values}))")
            else:
                seg.emit(f"_acc.extend(rt.count_by({name}, {counted.group!r}, {tuple(counted.fields)!r}, {values}))")
            self.precounted.add(id(ops[index + 1 + len(counted.filters)]))
            self.consumed.update(id(f) for f in counted.filters)
            return
        access = plan_access(ops, index, op.var, allowed)
        unbounded = access.kind == "scan" or (
            access.kind == "range" and access.low is None and access.high is None
        )
        geo = plan_geo(ops, index, op.var, allowed) if unbounded else None
        if geo is not None:  # the geo index reads; a SORT stays a SORT
            access = Access()
            self.geo_calls[id(geo.call)] = (name, geo.fields)
            source = f"rt.geo_candidates({name}, {geo.fields!r}, {self.expr(geo.shape)})"
        else:
            source = self._access_source(
                name, access, op.var, self._limit_after(ops, index, access)
            )
        if access.sort_satisfied is not None:
            eliminated.add(id(access.sort_satisfied))
        self.for_node = "EnumerateCollectionNode" if access.kind == "scan" and geo is None else "IndexNode"
        if self.profile:  # an IndexNode's read may find no index and scan (node_profile.py)
            source = f"(PN.enter({len(self.plan_nodes) + 1}) or {source})"
        elif access.covered and geo is None:  # its FILTERs' bounds: checked only after a scan
            read, flag = self.names.fresh("read"), self.names.fresh("ix")
            seg.emit(f"{read} = {source}")
            seg.emit(f"{flag} = rt.covered")
            self.covered.update((id(c), flag) for c in access.covered)
            source = read
        var = self._declare(op.var, is_document=True)
        seg.emit(f"for {var.py} in rt.turns({source}):")
        seg.depth += 1

    def _visible_names(self) -> set[str]:
        names: set[str] = set()
        scope: Scope | None = self.scope
        while scope is not None:
            names.update(scope.vars)
            scope = scope.parent
        return names

    def _limit_after(self, ops: tuple[Any, ...], index: int, access: Access) -> str:
        """``, want=...``: the rows a LIMIT right after a range read (in sorted order or not) or
        a full scan stops at (its offset + count + 1, the row that tells it to stop), when only
        FILTERs and the SORT it satisfies come between: the read's first chunk (a scan's first
        page) is then no longer (``storage.scan``, ``DiskState.scan``), and a range on ``_key``
        may read the primary index. Else ''."""
        if access.kind not in ("range", "scan") or self.profile:
            return ""
        filtered = False
        for op in ops[index + 1 :]:
            if isinstance(op, ast.Limit):
                if any(
                    v is not None and self._reads_variables(v) for v in (op.offset, op.count)
                ):
                    return ""
                # a scan right before its LIMIT: every row it yields is one the query reads
                stops = ", stops=True" if access.kind == "scan" and not filtered else ""
                fixed = _literal_limit(op)
                if fixed is not None:
                    return f", want={fixed[1] + 1}{stops}"
                offset = self.expr(op.offset) if op.offset is not None else "0"
                return f", want=rt.limit_want({offset}, {self.expr(op.count)}){stops}"
            if isinstance(op, ast.Filter):
                filtered = True
            elif op is not access.sort_satisfied:
                return ""
        return ""

    def _access_source(self, name: str, access: Access, var: str, want: str = "") -> str:
        if access.kind == "eq":
            values = self._row([self.expr(v) for v in access.values])
            if access.sort_field is not None and access.limited:
                low = self.expr(access.low) if access.low is not None else "None"
                high = self.expr(access.high) if access.high is not None else "None"
                bounds = (f"({low}, {access.low_inclusive}, {high}, {access.high_inclusive}, "
                          f"{access.low is not None}, {access.high is not None})")
                return (f"rt.lookup_sorted({name}, {tuple(access.fields)!r}, {values}, "
                        f"{access.sort_field!r}, {access.descending}, {bounds})")
            if access.sort_field is not None:
                return (f"rt.lookup_sorted({name}, {tuple(access.fields)!r}, {values}, "
                        f"{access.sort_field!r}, {access.descending})")
            prefilter = ", True" if access.prefilter and not self.profile else ""
            extra = self._extra_where(access)
            return f"rt.lookup({name}, {tuple(access.fields)!r}, {values}{prefilter}{extra})"
        if access.kind == "in" and isinstance(access.values[0], ast.Range):
            bounds = f"{self.expr(access.values[0].low)}, {self.expr(access.values[0].high)}"
            return (
                f"(lambda lo, hi: rt.range({name}, {access.fields[0]!r}, lo, True, hi, True, "
                f"True, True, False, False))(*range_span({bounds}))"
            )
        if access.kind == "in":
            return (f"rt.lookup_in({name}, {access.fields[0]!r}, {self.expr(access.values[0])}"
                    f"{self._extra_where(access)})")
        if access.kind == "range":
            low = self.expr(access.low) if access.low is not None else "None"
            high = self.expr(access.high) if access.high is not None else "None"
            return (
                f"rt.range({name}, {access.fields[0]!r}, {low}, {access.low_inclusive}, {high}, "
                f"{access.high_inclusive}, {access.low is not None}, {access.high is not None}, "
                f"{access.descending}, {access.sort_satisfied is not None}"
                f"{', True' if access.prefilter and not self.profile else ''}"
                f"{self._extra_where(access)}{want})"
            )
        fields = projected(self.root, var) if self.root is not None else None
        return f"rt.scan({name}{self._extra_where(access, fields)}{want})"

    def _extra_where(self, access: Access, fields: tuple[str, ...] | None = None) -> str:
        """``, ((path, op, value), ...)``: the FILTER conditions a scan may prefilter on beyond
        those the access passes (``Access.extra``), or nothing; ``fields``: the attributes the
        query reads of each document, if that is all it reads (``aql.projection``), passed as
        one more item ``("", "fields", fields)`` (``storage.prefilter.split_fields``)."""
        if not access.prefilter or self.profile or not access.extra:
            return ""
        where = access.extra + ([("", "fields", fields)] if fields is not None else [])
        return ", " + self._where_code(where)

    def _where_code(self, where: list[tuple[str, str, Any]]) -> str:
        items = []
        for path, op, value in where:
            if op == "%":
                code = f"({self.expr(value[0])}, {self.expr(value[1])})"
            elif op == "fields":
                code = repr(value)
            elif op == "or":
                code = f"[{', '.join(self._where_code(alternative) for alternative in value)}]"
            else:
                code = self.expr(value)
            items.append(f"({path!r}, {op!r}, {code})")
        return f"({', '.join(items)},)"


def _literal_limit(op: ast.Limit) -> tuple[int, int] | None:
    """``LIMIT offset, count`` of number literals (not negative) as ``Runtime.limit_bounds``
    gives it: (rows to skip, last row number to keep); None for anything else (a bind value,
    null, a value the runtime refuses), which the runtime works out."""
    numbers: list[int] = []
    for value in (op.offset if op.offset is not None else ast.Literal(value=0), op.count):
        if not isinstance(value, ast.Literal):
            return None
        number = value.value
        if not (type(number) is int or type(number) is float) or number < 0:
            return None
        numbers.append(int(number))
    return numbers[0], numbers[0] + numbers[1]
