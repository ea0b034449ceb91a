"""Run an AQL query: parse, compile (cached by query text), bind, execute in a transaction.

``execute`` is what the REST cursor endpoint calls. A query outside a stream transaction runs in
its own transaction, committed when the query finishes and aborted when it fails, so every query
is all or nothing.
"""

from __future__ import annotations

import itertools
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

from arangolite import errors, gc_pause
from arangolite.aql import limits, operators, turns
from arangolite.aql.compiler import CompiledQuery, QueryCompiler
from arangolite.aql.node_profile import NodeCounter, profile_level
from arangolite.aql.parser import parse
from arangolite.aql.profile import Profile
from arangolite.aql.runtime import Runtime
from arangolite.aql.values import to_bool
from arangolite.errors import ArangoError
from arangolite.storage.api import DatabaseHandle, Transaction

__all__ = [
    "Plan", "QueryResult", "StreamingQuery", "execute", "execute_stream", "forget_plan", "plan_for",
    "profiled_plan",
]

_CACHE_SIZE = 512


@dataclass
class QueryResult:
    """Rows, warnings and statistics of one execution."""

    rows: list[Any]
    warnings: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    full_count: int | None = None
    profile: dict[str, Any] | None = None  # phase timings, with ``options.profile``
    plan_nodes: list[dict[str, Any]] | None = None  # with ``profile`` 2: the executed plan's
    node_stats: list[dict[str, Any]] | None = None  # nodes and their counts (node_profile.py)


class Plan:
    """A compiled query: its Python function and what execution must bind."""

    def __init__(self, compiled: CompiledQuery) -> None:
        self.compiled = compiled
        namespace: dict[str, Any] = {
            name: getattr(operators, name)
            for name in (
                "eq", "ne", "lt", "le", "gt", "ge", "in_", "not_in", "add", "sub", "mul", "div",
                "mod", "neg", "pos", "like", "not_like", "regex_match", "regex_not_match",
                "range_", "range_iter", "range_span", "in_range", "not_in_range", "array_compare",
                "get_attr", "get_index",
            )
        }
        namespace.update(tb=to_bool, ONE=(None,), K=compiled.consts)
        self._namespace = namespace
        self._code = compile(compiled.source, "<aql>", "exec")
        # The generated ``run(rt, B)`` reads only its arguments and the namespace; a plan with no
        # AQL function to bind to this execution's runtime (``F0``...) and no node counter
        # (``PN``) is defined once and shared by every execution (it keeps no state of its own).
        self._shared: Callable[..., Any] | None = None
        # without ``@@coll`` bind parameters: the collections it reads and writes, whatever the
        # bind values (see :func:`_collections`)
        self.fixed: tuple[set[str], set[str]] | None = None
        # the collections it names, in the order every execution opens them (sorted: made once)
        self.read_order = tuple(sorted(compiled.collections))
        if not any(name.startswith("@") for name in compiled.bind_names):
            writes = {w.strip("'\"") for w in compiled.writes if w[:1] in "'\""}
            self.fixed = (set(compiled.collections), writes)
        if not compiled.functions and not compiled.counted:
            shared = dict(namespace)
            exec(self._code, shared)
            self._shared = shared["run"]

    def run(self, rt: Runtime, bind_vars: dict[str, Any], prof: Profile | None = None) -> Any:
        """Execute with a fresh namespace holding this execution's function wrappers."""
        if self._shared is not None:
            if prof is not None:
                prof.mark("instantiating executors")
            return self._shared(rt, bind_vars)
        namespace = dict(self._namespace)
        namespace["rt"] = rt
        for index, spec in enumerate(self.compiled.functions):
            namespace[f"F{index}"] = rt.function(spec)
        if self.compiled.counted:  # compiled for profile 2
            namespace["PN"] = rt.node_counter = NodeCounter(len(self.compiled.nodes))
        exec(self._code, namespace)
        if prof is not None:
            prof.mark("instantiating executors")
        return namespace["run"](rt, bind_vars)  # a list, or an iterator when compiled lazy


_plans: OrderedDict[tuple[str, bool], Plan] = OrderedDict()
_plans_lock = Lock()


def plan_for(query: str, *, lazy: bool = False) -> Plan:
    """The compiled plan of a query text (LRU-cached); ``lazy``: rows as an iterator."""
    key = (query, lazy)
    with _plans_lock:
        plan = _plans.get(key)
        if plan is not None:
            _plans.move_to_end(key)
            return plan
    plan = Plan(QueryCompiler(lazy=lazy).compile(parse(query)))
    with _plans_lock:
        _plans[key] = plan
        if len(_plans) > _CACHE_SIZE:
            _plans.popitem(last=False)
    return plan


def profiled_plan(query: str) -> Plan:
    """The query compiled with its node counters (``profile`` 2); never cached, so the plan
    cache only ever holds the uninstrumented code."""
    return Plan(QueryCompiler(profile=True).compile(parse(query)))


def forget_plan(query: str) -> None:
    """Drop the compiled plans of a query text (the plan cache was cleared)."""
    with _plans_lock:
        for lazy in (False, True):
            _plans.pop((query, lazy), None)


def _check_binds(plan: Plan, bind_vars: dict[str, Any]) -> None:
    declared = plan.compiled.bind_names
    if plan.fixed is not None and bind_vars.keys() == declared:
        return  # every name given, none more, and no collection among them to check
    for name in sorted(declared):
        if name not in bind_vars:
            raise ArangoError(errors.QUERY_BIND_PARAMETER_MISSING, name)
    for name in sorted(bind_vars):
        if name not in declared:
            raise ArangoError(errors.QUERY_BIND_PARAMETER_UNDECLARED, name)
        if name.startswith("@") and (type(bind_vars[name]) is not str or not bind_vars[name]):
            raise ArangoError(errors.QUERY_BIND_PARAMETER_TYPE, name)


def _collections(plan: Plan, bind_vars: dict[str, Any]) -> tuple[set[str], set[str]]:
    if plan.fixed is not None:
        return plan.fixed  # (the callers only read them)
    names = set(plan.compiled.collections)
    names.update(v for k, v in bind_vars.items() if k.startswith("@"))
    writes = {w.strip("'\"") for w in plan.compiled.writes if w[:1] in "'\""}
    writes.update(v for k, v in bind_vars.items() if k.startswith("@"))
    return names, writes


def execute(
    db: DatabaseHandle,
    query: str,
    bind_vars: dict[str, Any] | None = None,
    *,
    trx: Transaction | None = None,
    options: dict[str, Any] | None = None,
) -> QueryResult:
    """Run ``query`` with ``bind_vars`` on ``db`` (inside ``trx`` when given)."""
    started = time.perf_counter()
    opts = options or {}
    prof = Profile(started) if opts.get("profile") else None
    plan, binds = _prepare(query, bind_vars, lazy=False, prof=prof, nodes=profile_level(opts) >= 2)
    with limits.track(db.name, query, binds, opts) as running:
        rows, rt = _run(db, plan, binds, trx, opts, running, prof)
    result = _result(rt, rows, started, peak=running.peak)
    if rt.node_counter is not None:
        result.plan_nodes = rt.node_counter.plan_nodes(plan.compiled.nodes)
        result.node_stats = rt.node_counter.body(plan.compiled.nodes, plan.compiled.counted)
    if prof is not None:
        prof.mark("finalizing")
        result.profile = prof.body()
    return result


def _run(
    db: DatabaseHandle, plan: Plan, binds: dict[str, Any], trx: Transaction | None,
    opts: dict[str, Any], running: limits.RunningQuery, prof: Profile | None = None,
) -> tuple[list[Any], Runtime]:
    """Execute in the query's own transaction (or ``trx``): all or nothing.

    Only the compiled code may be interrupted (kill, maxRuntime, memoryLimit). Inside a stream
    transaction a modifying query is one statement with a savepoint (``storage.savepoint``): if
    it fails, however it stops, its writes are rolled back and the transaction runs on with what
    it held before, so it never holds half a statement.
    """
    own = trx is None
    active = trx if trx is not None else _begin(db, plan, binds)
    rt = Runtime(active, full_count=bool(opts.get("fullCount")))
    rt.held = running.held
    if own:  # its own transaction: waiting requests may run between its rows (aql/turns.py)
        rt.turns, rt.off_lock, rt.safe_point = turns.kit_under(db.engine_lock)
    elif active.held_alone:  # a stream transaction whose lease keeps its other requests out
        rt.turns, rt.off_lock, rt.safe_point = turns.kit_under(db.engine_lock, active)
    saved = active.begin_statement() if not own and plan.compiled.has_writes else None
    done = False
    try:
        for name in plan.read_order:
            rt.handle(name)
        if prof is not None:
            prof.mark("loading collections")
        with running.interruptible(), gc_pause.paused():
            rows = plan.run(rt, binds, prof)
        if prof is not None:
            prof.mark("executing")
        if own:
            active.commit()
        done = True
    except RecursionError:
        if own:
            active.abort()
        raise ArangoError(errors.QUERY_TOO_MUCH_NESTING) from None
    except BaseException:
        if own:
            active.abort()
        raise
    finally:
        if saved is not None:
            active.end_statement(saved, keep=done)
    return rows, rt


def _prepare(
    query: str, bind_vars: Any, *, lazy: bool, prof: Profile | None = None, nodes: bool = False
) -> tuple[Plan, dict[str, Any]]:
    binds = bind_vars or {}
    if type(binds) is not dict:
        raise ArangoError(errors.QUERY_BIND_PARAMETERS_INVALID)
    if prof is not None:
        prof.mark("initializing")
    try:
        plan = profiled_plan(query) if nodes else plan_for(query, lazy=lazy)
    except RecursionError:
        raise ArangoError(errors.QUERY_TOO_MUCH_NESTING) from None
    if prof is not None:
        prof.mark("parsing")
    _check_binds(plan, binds)
    if prof is not None:
        prof.mark("initializing")
    return plan, binds


def _begin(db: DatabaseHandle, plan: Plan, binds: dict[str, Any]) -> Transaction:
    names, writes = _collections(plan, binds)
    return db.begin(read=names, write=writes)


def _result(
    rt: Runtime, rows: list[Any], started: float, *, produced: int | None = None, peak: int = 0
) -> QueryResult:
    """Rows with the run's warnings and statistics (``produced``: rows of a streaming query)."""
    stats: dict[str, Any] = dict(rt.stats)
    stats.update(filtered=0, httpRequests=0, peakMemoryUsage=peak,
                 executionTime=time.perf_counter() - started)
    full = rt.full_count if rt.want_full_count else None
    if full is not None:
        full = max(full, len(rows) if produced is None else produced)
        stats["fullCount"] = full
    return QueryResult(rows, rt.warnings, stats, full)


class StreamingQuery:
    """A read-only query producing its rows batch by batch (``stream: true`` cursors).

    It keeps its own transaction open between batches and ends it when the last row has been
    taken (commit) or when it is closed early (abort). Only ``take`` runs query code.
    """

    def __init__(
        self, plan: Plan, rt: Runtime, trx: Transaction, binds: dict[str, Any],
        track: tuple[str, str, dict[str, Any]],
    ) -> None:
        self._rt, self._trx, self._track = rt, trx, (*track[:2], binds, track[2])
        self._started = time.perf_counter()
        self._spent = 0.0
        self._ahead: list[Any] = []
        self._taken = 0
        self.open = True
        # started by the first take, inside its limits: a SORT or COLLECT before the first row
        # runs there, where kill, maxRuntime and memoryLimit reach it
        self._start: Callable[[], Iterator[Any]] | None = lambda: iter(plan.run(rt, binds))
        self._rows: Iterator[Any] = iter(())

    def take(self, count: int) -> tuple[list[Any], bool]:
        """The next ``count`` rows and whether more follow (the last batch ends the query)."""
        start = time.perf_counter()
        try:
            with limits.track(*self._track) as running, running.interruptible(), gc_pause.paused():
                self._rt.held = running.held = self._rt.held or running.held
                if self._start is not None:
                    self._rows, self._start = self._start(), None
                batch = self._ahead + list(itertools.islice(self._rows, count + 1 - len(self._ahead)))
        except RecursionError:
            self.close()
            raise ArangoError(errors.QUERY_TOO_MUCH_NESTING) from None
        except BaseException:
            self.close()
            raise
        self._ahead, batch = batch[count:], batch[:count]
        self._taken += len(batch)
        self._spent += time.perf_counter() - start
        if not self._ahead and self.open:
            self.open = False
            self._trx.commit()
        return batch, bool(self._ahead)

    def result(self) -> QueryResult:
        """Warnings and statistics so far; ``fullCount`` once the last batch was taken."""
        done = _result(self._rt, [], self._started, produced=self._taken)
        done.stats["executionTime"] = self._spent
        if self.open:
            done.stats.pop("fullCount", None)
            done.full_count = None
        return done

    def close(self) -> None:
        """End the query early (its transaction is aborted; nothing was written)."""
        if self.open:
            self.open = False
            self._trx.abort()


def execute_stream(
    db: DatabaseHandle,
    query: str,
    bind_vars: dict[str, Any] | None = None,
    *,
    options: dict[str, Any] | None = None,
    trx: Transaction | None = None,
) -> StreamingQuery | QueryResult:
    """Start ``query`` lazily when it only reads; a query that writes runs at once (its
    :class:`QueryResult`), as its writes must all happen or none. With ``trx`` (a read-only
    query's snapshot transaction), the query reads there and ends it when the last row was
    taken or it is closed; a query not run lazily leaves ``trx`` to the caller."""
    plan, binds = _prepare(query, bind_vars, lazy=True)
    if plan.compiled.has_writes or not plan.compiled.lazy:
        return execute(db, query, bind_vars, options=options, trx=trx)
    active = trx if trx is not None else _begin(db, plan, binds)
    rt = Runtime(active, full_count=bool((options or {}).get("fullCount")))
    if trx is None:  # under the lock: waiting requests may run between its rows
        rt.turns, rt.off_lock, rt.safe_point = turns.kit_under(db.engine_lock)
    try:
        for name in plan.read_order:
            rt.handle(name)
        return StreamingQuery(plan, rt, active, binds, (db.name, query, options or {}))
    except BaseException:
        active.abort()
        raise
