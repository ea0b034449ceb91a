"""Compile a parsed AQL query into Python source, once per query text.

A query level (the query or a subquery) becomes a function returning its result list. Its
operations become nested ``for`` loops inside *segment* functions; SORT, COLLECT and WINDOW need
all rows first, so each of them closes a segment (the segment appends tuples of the live
variables to a list), processes the list in the runtime, and opens the next segment over the
result. ``FILTER`` is ``continue``, ``LIMIT`` counts and ``return``s from the segment when done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from arangolite import errors
from arangolite.aql import ast
from arangolite.aql.codegen_expr import ExprCodegen, bind_local, constant_value, is_constant
from arangolite.aql.planner import Access, plan_access
from arangolite.aql.scope import Names, Scope, Variable
from arangolite.errors import ArangoError

_AGG_SPECIAL = {"LENGTH", "COUNT", "PUSH"}


class Block:
    """Lines of one generated function: its header, preamble and indented body."""

    def __init__(self, header: str) -> None:
        self.header = header
        self.pre: list[str] = []
        self.lines: list[str] = []
        self.depth = 1

    def emit(self, line: str) -> None:
        """Append a body line at the current depth."""
        self.lines.append("    " * self.depth + line)

    def add_pre(self, lines: list[str]) -> None:
        """Append already-rendered lines to the preamble, one level in."""
        self.pre.extend("    " + line for line in lines)

    def render(self) -> list[str]:
        """The whole function as lines (not indented)."""
        return [self.header, *self.pre, *(self.lines or ["    pass"])]


@dataclass
class CompiledQuery:
    """The product of compilation: Python source plus what execution needs to bind."""

    source: str
    consts: list[Any]
    functions: list[Any]
    collections: set[str]
    bind_names: set[str]
    writes: set[str] = field(default_factory=set)
    has_writes: bool = False


class QueryCompiler(ExprCodegen):
    """Turns an ``ast.Query`` into a ``CompiledQuery``."""

    def __init__(self) -> None:
        self.names = Names()
        self.scope = Scope()
        self.consts: list[Any] = []
        self.functions: list[Any] = []
        self.collections: set[str] = set()
        self.bind_names: set[str] = set()
        self.writes: set[str] = set()
        self.blocks: list[Block] = []
        self.full_count_limit: ast.Limit | None = None
        self.nesting = 0
        self.first_read: dict[str, int] = {}  # collection -> subquery depth of its first read
        self.modified: set[str] = set()

    def compile(self, query: ast.Query) -> CompiledQuery:
        """Compile the whole query into a ``run(rt, B, K, F)`` function."""
        limits = [op for op in query.body if isinstance(op, ast.Limit)]
        self.full_count_limit = limits[-1] if limits else None
        main = Block("def run(rt, B):")
        self.blocks.append(main)
        body = self.compile_level(query, "q_main")
        for name in sorted(n for n in self.bind_names if not n.startswith("@")):
            main.pre.append(f"    {bind_local(name)} = B[{name!r}]")
        main.add_pre(body)
        main.emit("return q_main()")
        source = "\n".join(main.render()) + "\n"
        return CompiledQuery(
            source, self.consts, self.functions, self.collections, self.bind_names,
            self.writes, bool(self.writes),
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
        try:
            self._compile_segments(query.body, level)
        finally:
            self.blocks.pop()
        return level.render()

    def _compile_segments(self, ops: tuple[Any, ...], level: Block) -> None:
        source, unpack, index = "ONE", "_", 0
        eliminated: set[int] = set()
        while True:
            seg_name = self.names.fresh("seg")
            seg = Block(f"def {seg_name}(_src, _acc):")
            self.blocks.append(seg)
            seg.emit(f"for {unpack} in _src:")
            seg.depth += 1
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
            finish = self._close_segment(seg, boundary)
            self.blocks.pop()
            level.add_pre(seg.render())
            level.emit("_acc = []")
            level.emit(f"{seg_name}({source}, _acc)")
            if boundary is None:
                if ops and isinstance(ops[-1], ast.Return) and ops[-1].distinct:
                    level.emit("_acc = rt.distinct(_acc)")
                level.emit("return _acc")
                return
            source, unpack = finish(level)

    def _close_segment(self, seg: Block, boundary: Any) -> Any:
        if isinstance(boundary, ast.Sort):
            return self._sort_boundary(seg, boundary)
        if isinstance(boundary, ast.Collect):
            return self._collect_boundary(seg, boundary)
        if isinstance(boundary, ast.Window):
            return self._window_boundary(seg, boundary)
        return None

    def _live(self) -> list[Variable]:
        return self.scope.local_vars()

    def _row(self, exprs: list[str]) -> str:
        return "(" + "".join(e + ", " for e in exprs) + ")"

    def _sort_boundary(self, seg: Block, op: ast.Sort) -> Any:
        live = self._live()
        keys = [self.expr(k.expr) for k in op.keys]
        seg.emit(f"_acc.append({self._row(keys + [v.py for v in live])})")
        directions = tuple(k.ascending for k in op.keys)

        def finish(level: Block) -> tuple[str, str]:
            level.emit(f"_rows = rt.sort_rows(_acc, {directions!r})")
            return "_rows", self._row(["_"] * len(keys) + [v.py for v in live])

        return finish

    # ------------------------------------------------------------------ operations

    def compile_op(self, op: Any, seg: Block, ops: tuple[Any, ...], index: int, eliminated: set[int]) -> None:
        """Emit the code of one operation into the current segment."""
        if isinstance(op, ast.For):
            self._for(op, seg, ops, index, eliminated)
        elif isinstance(op, ast.Let):
            var = self._declare(op.name)
            seg.emit(f"{var.py} = {self.expr(op.expr)}")
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
        elif isinstance(op, ast.Sort):
            return  # satisfied by the index the FOR reads in order, or SORT null
        else:
            self._modification(op, seg)

    def _declare(self, name: str, *, is_document: bool = False, shadow: bool = False) -> Variable:
        var = Variable(name, self.names.fresh("v_" + name), is_document)
        self.scope.declare(var, allow_shadow=shadow)
        return var

    def _limit(self, op: ast.Limit, seg: Block) -> None:
        counter = self.names.fresh("lim")
        offset = self.expr(op.offset) if op.offset is not None else "0"
        seg.pre.append(f"    {counter} = 0")
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
        seg.emit(f"_acc.append({self.expr(op.expr)})")

    # ------------------------------------------------------------------ FOR

    def _for(self, op: ast.For, seg: Block, ops: tuple[Any, ...], index: int, eliminated: set[int]) -> None:
        if op.var is not None and self._is_collection(op.expr):
            self._for_collection(op, seg, ops, index, eliminated)
            return
        source = self.expr(op.expr)
        if op.destructure is not None:
            kind, names = op.destructure
            item = self.names.fresh("item")
            seg.emit(f"for {item} in rt.iterable({source}):")
            seg.depth += 1
            for position, name in enumerate(names):
                var = self._declare(name)
                access = f"get_index({item}, {position})" if kind == "array" else f"get_attr({item}, {name!r})"
                seg.emit(f"{var.py} = {access}")
            return
        assert op.var is not None
        var = self._declare(op.var)
        seg.emit(f"for {var.py} in rt.iterable({source}):")
        seg.depth += 1

    def _is_collection(self, node: Any) -> bool:
        if isinstance(node, ast.BindCollection):
            return True
        return isinstance(node, ast.Name) and self.scope.lookup(node.name) is None

    def _for_collection(self, op: ast.For, seg: Block, ops: tuple[Any, ...], index: int, eliminated: set[int]) -> None:
        assert op.var is not None
        allowed = self._visible_names()
        access = plan_access(ops, index, op.var, allowed)
        name = self.collection_name(op.expr)
        self._note_read(op.expr)
        source = self._access_source(name, access)
        if access.sort_satisfied is not None:
            eliminated.add(id(access.sort_satisfied))
        var = self._declare(op.var, is_document=True)
        seg.emit(f"for {var.py} in {source}:")
        seg.depth += 1

    def _visible_names(self) -> set[str]:
        names: set[str] = set()
        scope: Scope | None = self.scope
        while scope is not None:
            names.update(scope.vars)
            scope = scope.parent
        return names

    def _access_source(self, name: str, access: Access) -> str:
        if access.kind == "eq":
            values = self._row([self.expr(v) for v in access.values])
            return f"rt.lookup({name}, {tuple(access.fields)!r}, {values})"
        if access.kind == "in":
            return f"rt.lookup_in({name}, {access.fields[0]!r}, {self.expr(access.values[0])})"
        if access.kind == "range":
            low = self.expr(access.low) if access.low is not None else "None"
            high = self.expr(access.high) if access.high is not None else "None"
            return (
                f"rt.range({name}, {access.fields[0]!r}, {low}, {access.low_inclusive}, {high}, "
                f"{access.high_inclusive}, {access.low is not None}, {access.high is not None}, "
                f"{access.descending}, {access.sort_satisfied is not None})"
            )
        return f"rt.scan({name})"

    # ------------------------------------------------------------------ graphs

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
            f"for {vertex.py}, {edge.py}, {path.py}, {prune_var.py} in rt.traverse("
            f"{start}, {low}, {high}, {op.direction!r}, {graph_args}, {prune}):"
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

    # ------------------------------------------------------------------ data modification

    def _options(self, node: Any) -> str:
        if node is None:
            return "None"
        if not is_constant(node) and not isinstance(node, (ast.ObjectLit, ast.BindParam)):
            raise ArangoError(errors.QUERY_PARSE, message="OPTIONS must be an object literal")
        return self.const(constant_value(node)) if is_constant(node) else self.expr(node)

    def _note_read(self, node: Any) -> None:
        """ArangoDB refuses to read a collection after the query modified it (1579)."""
        if isinstance(node, ast.Name):
            if node.name in self.modified:
                raise ArangoError(errors.QUERY_ACCESS_AFTER_MODIFICATION, f"collection '{node.name}'")
            self.first_read.setdefault(node.name, self.nesting)

    def _note_write(self, node: Any) -> None:
        """... or to modify, inside a subquery, a collection an outer level reads (1579)."""
        if isinstance(node, ast.Name):
            if self.first_read.get(node.name, self.nesting) < self.nesting:
                raise ArangoError(errors.QUERY_ACCESS_AFTER_MODIFICATION, f"collection '{node.name}'")
            self.modified.add(node.name)

    def _modification(self, op: Any, seg: Block) -> None:
        name = self.collection_name(op.collection)
        self._note_write(op.collection)
        self.writes.add(name)
        opts = self._options(op.options)
        result = self.names.fresh("m")
        if isinstance(op, ast.Insert):
            call = f"rt.insert({name}, {self.expr(op.doc)}, {opts})"
        elif isinstance(op, (ast.Update, ast.Replace)):
            kind = "update" if isinstance(op, ast.Update) else "replace"
            key = self.expr(op.key) if op.key is not None else "None"
            call = f"rt.{kind}({name}, {key}, {self.expr(op.doc)}, {opts})"
        elif isinstance(op, ast.Remove):
            call = f"rt.remove({name}, {self.expr(op.key)}, {opts})"
        else:
            call = self._upsert_call(op, name, opts)
        seg.emit(f"{result} = {call}")
        seg.emit(f"if {result} is None: continue")
        old = self._declare("OLD", shadow=True)
        new = self._declare("NEW", shadow=True)
        seg.emit(f"{old.py}, {new.py} = {result}")

    def _upsert_call(self, op: ast.Upsert, name: str, opts: str) -> str:
        search = self.expr(op.search)
        insert = self.expr(op.insert)
        saved, self.scope = self.scope, Scope(parent=self.scope)
        try:
            old = self._declare("OLD")
            update = self.expr(op.update)
        finally:
            self.scope = saved
        return (
            f"rt.upsert({name}, {search}, lambda: {insert}, lambda {old.py}: {update}, "
            f"{op.replace}, {opts})"
        )

    # ------------------------------------------------------------------ COLLECT and WINDOW

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
                from arangolite.functions.registry import lookup

                self.functions.append(lookup(call.name))
                specs.append(f"F{len(self.functions) - 1}")
        return inputs, specs

    def _collect_boundary(self, seg: Block, op: ast.Collect) -> Any:
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
        self.scope.vars.clear()
        out = [self._declare(n).py for n, _ in op.groups]
        into_var = self._declare(op.into).py if op.into else "_"
        count_var = self._declare(op.count_into).py if op.count_into else "_"
        agg_vars = [self._declare(a.var).py for a in op.aggregates]
        spec = "(" + "".join(s + ", " for s in specs) + ")"

        def finish(level: Block) -> tuple[str, str]:
            level.emit(f"_rows = rt.collect(_acc, {len(groups)}, {spec})")
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
            level.emit(f"_rows = rt.window(_acc, {bounds}, {op.range_expr is not None}, {spec})")
            return "_rows", self._row([self._row([v.py for v in live]), self._row(agg_vars)])

        return finish
