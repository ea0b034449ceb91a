"""Run a cursor's query through the query caches (:mod:`arangolite.rest.query_cache`).

The cursor endpoint calls :func:`run_query`: a results-cache hit answers without running the query
(the cursor says ``cached: true``); a miss runs it and stores the result when the query and the
cache mode allow. A query passing ``usePlanCache: true`` is listed in the plan cache.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from arangolite.aql.executor import QueryResult, forget_plan, plan_for
from arangolite.errors import FORBIDDEN, ArangoError
from arangolite.rest.auth_users import at_least, users_of
from arangolite.rest.http import Context
from arangolite.rest.query_cache import CachedResult, caches_of
from arangolite.rest.query_tracking import tracking_of

__all__ = ["check_access", "clear_plan_cache", "run_query"]


def check_access(ctx: Context, query: str, bind_vars: Any) -> None:
    """403 (errorNum 11) when the authenticated user may not read a collection the query names,
    or write one it modifies (nothing to check without authentication or for the superuser).
    Collections reached only through a named graph are covered by the database level."""
    user = ctx.request.user
    if user is None:
        return
    compiled = plan_for(query).compiled
    binds = bind_vars if isinstance(bind_vars, dict) else {}
    writes = {w.strip("'\"") for w in compiled.writes if w[:1] in "'\""}
    if compiled.has_writes:
        writes.update(v for k, v in binds.items() if k.startswith("@") and isinstance(v, str))
    store = users_of(ctx.engine)
    for name in _sources(compiled, binds):
        needed = "rw" if name in writes else "ro"
        if not isinstance(name, str) or not at_least(store.collection_level(user, ctx.db.name, name), needed):
            raise ArangoError(FORBIDDEN, message=f"forbidden: no {needed} access to collection '{name}'")


def _sources(compiled: Any, binds: dict[str, Any]) -> list[str]:
    return sorted(compiled.collections | {v for k, v in binds.items() if k.startswith("@")})


def run_query(
    ctx: Context, query: str, bind_vars: Any, options: dict[str, Any],
    run: Callable[[], QueryResult],
) -> tuple[QueryResult, bool]:
    """The query's result and whether it came from the results cache."""
    caches = caches_of(ctx.engine)
    binds = bind_vars if isinstance(bind_vars, dict) else {}
    use_cache = (
        ctx.trx is None and not options.get("stream") and not options.get("profile")
        and caches.wanted(options) and isinstance(bind_vars, dict | None)
    )
    if not use_cache and not options.get("usePlanCache"):
        return _tracked(ctx, query, binds, run), False
    compiled = plan_for(query).compiled
    sources = _sources(compiled, binds)
    if not use_cache or not caches.cacheable(compiled, sources):
        result = _tracked(ctx, query, binds, run)
        _note_plan(ctx, query, binds, options, sources)
        return result, False
    ctx.engine.catch_up()
    key = caches.key(query, binds, options)
    entry = caches.lookup(ctx.db, key)
    if entry is not None:
        return QueryResult(list(entry.rows), [], dict(entry.stats), entry.stats.get("fullCount")), True
    signature = caches.signature(ctx.db)
    result = _tracked(ctx, query, binds, run)
    _note_plan(ctx, query, binds, options, sources)
    if not result.warnings:  # a result with warnings is not kept (as in ArangoDB)
        size = len(json.dumps(result.rows, default=str))
        caches.store(ctx.db, key, CachedResult(
            query, binds, result.rows, result.stats, sources, signature, size,
            float(result.stats.get("executionTime", 0.0)),
        ))
    return result, False


def _tracked(
    ctx: Context, query: str, binds: dict[str, Any], run: Callable[[], QueryResult]
) -> QueryResult:
    """Run, noting the query in the slow-query list when it took long enough."""
    started = time.perf_counter()
    result = run()
    tracking_of(ctx.engine).finished(ctx.db.name, query, binds, time.perf_counter() - started)
    return result


def _note_plan(
    ctx: Context, query: str, binds: dict[str, Any], options: dict[str, Any], sources: list[str]
) -> None:
    if options.get("usePlanCache"):
        caches_of(ctx.engine).note_plan(ctx.db, query, binds, bool(options.get("fullCount")), sources)


def clear_plan_cache(ctx: Context) -> None:
    """Forget the database's plan-cache entries and their compiled plans."""
    for query in caches_of(ctx.engine).clear_plans(ctx.db):
        forget_plan(query)
