"""``/_api/query`` (parse), ``/_api/explain`` and the query-tracking / query-cache endpoints.

arangolite has no optimizer plans: explain answers a minimal plan naming the collections. Running
queries are listed and killed through :mod:`arangolite.aql.limits` (both answered without waiting
for the engine lock, so a runaway query can be stopped). Tracking settings and slow queries:
:mod:`arangolite.rest.query_tracking`; the caches: :mod:`arangolite.rest.query_cache`.
"""

from __future__ import annotations

from typing import Any

from arangolite.aql import limits
from arangolite.aql.profile import plan_body
from arangolite.errors import (
    QUERY_BIND_PARAMETER_MISSING,
    QUERY_BIND_PARAMETERS_INVALID,
    QUERY_EMPTY,
    QUERY_NOT_FOUND,
    ArangoError,
)
from arangolite.rest.http import Context, Response, ok, require_object
from arangolite.rest.query_cache import caches_of
from arangolite.rest.query_run import clear_plan_cache
from arangolite.rest.query_tracking import tracking_of
from arangolite.rest.router import Router

__all__ = ["register"]

def _plan(body: dict[str, Any]) -> Any:
    from arangolite.aql.executor import plan_for

    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        raise ArangoError(QUERY_EMPTY)
    return plan_for(query)


def parse(ctx: Context) -> Response:
    plan = _plan(require_object(ctx.request.json(default={})))
    compiled = plan.compiled
    return ok(
        {
            "parsed": True,
            "collections": sorted(compiled.collections),
            "bindVars": sorted(compiled.bind_names),
            "ast": [],
            "warnings": [],
        }
    )


def explain(ctx: Context) -> Response:
    body = require_object(ctx.request.json(default={}))
    compiled = _plan(body).compiled
    binds = body.get("bindVars") or {}
    options = require_object(body.get("options") or {}, "options")
    if type(binds) is not dict:
        raise ArangoError(QUERY_BIND_PARAMETERS_INVALID)
    for name in sorted(compiled.bind_names):
        if name not in binds:
            raise ArangoError(QUERY_BIND_PARAMETER_MISSING, name, message=None)
    plan = plan_body(compiled, binds)
    stats = {
        "rulesExecuted": 0,
        "rulesSkipped": 0,
        "plansCreated": 1,
        "peakMemoryUsage": 0,
        "executionTime": 0.0,
    }
    key = "plans" if options.get("allPlans") else "plan"
    value: Any = [plan] if key == "plans" else plan
    return ok({key: value, "cacheable": False, "warnings": [], "stats": stats})


def slow_queries(ctx: Context) -> Response:
    return Response(200, tracking_of(ctx.engine).slow_queries(ctx.db.name))


def clear_slow(ctx: Context) -> Response:
    tracking_of(ctx.engine).clear_slow(ctx.db.name)
    return ok({})


def recorded_queries(ctx: Context) -> Response:
    """``GET /_admin/server/aql-queries`` (the auth guard admits admin users only)."""
    return ok({"result": {"queries": tracking_of(ctx.engine).recorded_queries()}})


def properties(ctx: Context) -> Response:
    return ok(dict(tracking_of(ctx.engine).properties))


def set_properties(ctx: Context) -> Response:
    body = require_object(ctx.request.json(default={}))
    return ok(tracking_of(ctx.engine).configure(body))


def current(ctx: Context) -> Response:
    """Queries running in this database (``GET /_api/query/current``)."""
    return Response(200, [q.to_body() for q in limits.current(ctx.db.name)])


def kill(ctx: Context, qid: str) -> Response:
    """Kill a running query: it stops with 1500 ``query killed``; 1591 when there is none."""
    if not limits.kill(ctx.db.name, qid):
        raise ArangoError(QUERY_NOT_FOUND)
    return ok({})


def cache_properties(ctx: Context) -> Response:
    """``GET /_api/query-cache/properties``."""
    return Response(200, dict(caches_of(ctx.engine).properties))


def set_cache_properties(ctx: Context) -> Response:
    """``PUT /_api/query-cache/properties``: ``mode`` off / on / demand and the limits."""
    body = require_object(ctx.request.json(default={}))
    return Response(200, caches_of(ctx.engine).configure(body))


def cache_entries(ctx: Context) -> Response:
    return Response(200, caches_of(ctx.engine).entries(ctx.db))


def clear_cache(ctx: Context) -> Response:
    caches_of(ctx.engine).clear(ctx.db)
    return ok({})


def plan_cache_entries(ctx: Context) -> Response:
    return Response(200, caches_of(ctx.engine).plan_entries(ctx.db))


def clear_plans(ctx: Context) -> Response:
    clear_plan_cache(ctx)
    return ok({})


def register(router: Router) -> None:
    router.add("POST", "/_api/query", parse)
    router.add("POST", "/_api/explain", explain)
    router.add("GET", "/_api/query/current", current, lock_free=True)
    router.add("GET", "/_api/query/slow", slow_queries)
    router.add("GET", "/_admin/server/aql-queries", recorded_queries)
    router.add("DELETE", "/_api/query/slow", clear_slow)
    router.add("GET", "/_api/query/properties", properties)
    router.add("PUT", "/_api/query/properties", set_properties)
    router.add("DELETE", "/_api/query/{qid}", kill, lock_free=True)

    router.add("GET", "/_api/query-cache/properties", cache_properties)
    router.add("PUT", "/_api/query-cache/properties", set_cache_properties)
    router.add("GET", "/_api/query-cache/entries", cache_entries)
    router.add("DELETE", "/_api/query-cache", clear_cache)
    router.add("GET", "/_api/query-plan-cache", plan_cache_entries)
    router.add("DELETE", "/_api/query-plan-cache", clear_plans)
