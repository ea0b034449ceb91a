"""``/_api/query`` (parse), ``/_api/explain`` and the query-tracking / query-cache endpoints.

arangolite has no optimizer plans: explain answers a minimal plan naming the collections. Running
queries are listed and killed through :mod:`arangolite.aql.limits` (both answered without waiting
for the engine lock, so a runaway query can be stopped); the slow-query list is empty, and
changing unsupported settings is 501.
"""

from __future__ import annotations

from typing import Any

from arangolite.aql import limits
from arangolite.errors import (
    NOT_IMPLEMENTED,
    QUERY_BIND_PARAMETER_MISSING,
    QUERY_EMPTY,
    QUERY_NOT_FOUND,
    ArangoError,
)
from arangolite.rest.http import Context, Response, ok, require_object
from arangolite.rest.router import Router

__all__ = ["register"]

_PROPERTIES: dict[str, Any] = {
    "enabled": True,
    "trackSlowQueries": True,
    "trackBindVars": True,
    "maxSlowQueries": 64,
    "slowQueryThreshold": 10,
    "slowStreamingQueryThreshold": 10,
    "maxQueryStringLength": 4096,
}


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
    for name in sorted(compiled.bind_names):
        if name not in binds:
            raise ArangoError(QUERY_BIND_PARAMETER_MISSING, name, message=None)
    collections = sorted(compiled.collections | {v for k, v in binds.items() if k.startswith("@")})
    writes = {w.strip("'\"") for w in compiled.writes}
    plan = {
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
    stats = {
        "rulesExecuted": 0,
        "rulesSkipped": 0,
        "plansCreated": 1,
        "peakMemoryUsage": 0,
        "executionTime": 0.0,
    }
    key = "plans" if (body.get("options") or {}).get("allPlans") else "plan"
    value: Any = [plan] if key == "plans" else plan
    return ok({key: value, "cacheable": False, "warnings": [], "stats": stats})


def empty_list(ctx: Context) -> Response:
    return Response(200, [])


def clear(ctx: Context) -> Response:
    return ok({})


def properties(ctx: Context) -> Response:
    return ok(dict(_PROPERTIES))


def set_properties(ctx: Context) -> Response:
    body = require_object(ctx.request.json(default={}))
    if any(body.get(k, v) != v for k, v in _PROPERTIES.items()):
        raise ArangoError(NOT_IMPLEMENTED, "changing query tracking properties")
    return ok(dict(_PROPERTIES))


def current(ctx: Context) -> Response:
    """Queries running in this database (``GET /_api/query/current``)."""
    return Response(200, [q.to_body() for q in limits.current(ctx.db.name)])


def kill(ctx: Context, qid: str) -> Response:
    """Kill a running query: it stops with 1500 ``query killed``; 1591 when there is none."""
    if not limits.kill(ctx.db.name, qid):
        raise ArangoError(QUERY_NOT_FOUND)
    return ok({})


def cache_properties(ctx: Context) -> Response:
    return Response(
        200,
        {
            "mode": "off",
            "maxResults": 128,
            "maxResultsSize": 268435456,
            "maxEntrySize": 16777216,
            "includeSystem": False,
        },
    )


def set_cache_properties(ctx: Context) -> Response:
    body = require_object(ctx.request.json(default={}))
    if body.get("mode", "off") != "off":
        raise ArangoError(NOT_IMPLEMENTED, "the AQL query results cache")
    return cache_properties(ctx)


def list_functions(ctx: Context) -> Response:
    """User-defined AQL functions: there are none (registering one is 501)."""
    return ok({"result": []})


def register(router: Router) -> None:
    router.add("POST", "/_api/query", parse)
    router.add("POST", "/_api/explain", explain)
    router.add("GET", "/_api/query/current", current, lock_free=True)
    router.add("GET", "/_api/query/slow", empty_list)
    router.add("DELETE", "/_api/query/slow", clear)
    router.add("GET", "/_api/query/properties", properties)
    router.add("PUT", "/_api/query/properties", set_properties)
    router.add("DELETE", "/_api/query/{qid}", kill, lock_free=True)

    router.add("GET", "/_api/query-cache/properties", cache_properties)
    router.add("PUT", "/_api/query-cache/properties", set_cache_properties)
    router.add("GET", "/_api/query-cache/entries", empty_list)
    router.add("DELETE", "/_api/query-cache", clear)
    router.add("GET", "/_api/query-plan-cache", empty_list)
    router.add("DELETE", "/_api/query-plan-cache", clear)
    router.add("GET", "/_api/aqlfunction", list_functions)
