"""The geo index functions NEAR, WITHIN and WITHIN_RECTANGLE (deprecated in ArangoDB, still
supported): they read the collection's geo index and fail with error 1570 without one."""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from typing import Any

from arangolite.aql.values import is_number, to_number
from arangolite.errors import QUERY_GEO_INDEX_MISSING, ArangoError
from arangolite.functions._args import string_arg, type_warning
from arangolite.functions._earth import EARTH_RADIUS_M
from arangolite.functions.geo import haversine
from arangolite.functions.registry import FunctionContext, aql_function

_DEFAULT_LIMIT = 100
Located = tuple[dict[str, Any], tuple[float, float]]


def _located(
    ctx: FunctionContext, coll: Any, keys: Callable[[Any], list[str]] | None
) -> list[Located]:
    """Documents of ``coll``'s geo index with their ``(lat, lon)`` (shapes: their centroid);
    ``keys`` narrows the committed points read from the index (None: all of them); the
    transaction's snapshot and own writes correct the index (``storage.index_view``)."""
    name = string_arg(coll)
    view = ctx.index_view(name, "geo")
    if view is None:
        raise ArangoError(QUERY_GEO_INDEX_MISSING, name)
    wanted = None if keys is None else (lambda index: keys(index) + index.shape_keys())
    return [(doc, _point(where)) for doc, where in view.located(wanted)]


def _point(where: Any) -> tuple[float, float]:
    if type(where) is tuple:
        return where
    from arangolite.functions._geometry import centroid, parse  # numpy, shapely: on first use

    lon, lat = centroid(parse(where, "NEAR"))
    return lat, lon


def _coordinate(value: Any, fname: str) -> float:
    if not is_number(value):
        raise type_warning(fname)
    return float(value)


def _with_distance(hits: list[tuple[float, dict[str, Any]]], name: Any) -> list[dict[str, Any]]:
    if name is None:
        return [doc for _, doc in hits]
    attr = string_arg(name)
    return [{**doc, attr: d} for d, doc in hits]


_FIRST_REACH_M = 50_000.0
_HALF_EARTH_M = math.pi * EARTH_RADIUS_M


def _scored_within(
    ctx: FunctionContext, coll: Any, la: float, lo: float, reach: float
) -> list[tuple[float, dict[str, Any]]]:
    """``(distance, doc)`` of the documents within ``reach`` metres (read from the latitude band
    the radius can touch)."""
    band = math.degrees(reach / EARTH_RADIUS_M)
    found = _located(ctx, coll, lambda index: index.latitude_band(la - band, la + band))
    scored = [(haversine(la, lo, p[0], p[1]), doc) for doc, p in found]
    return [hit for hit in scored if hit[0] <= reach]


@aql_function("NEAR", 3, 5, context=True, deterministic=False, collection_args=(0,))
def near(
    ctx: FunctionContext, coll: Any, lat: Any, lon: Any, limit: Any = None, distance: Any = None
) -> list[dict[str, Any]]:
    """At most ``limit`` (default 100) documents nearest to the point, nearest first.

    Widens a search radius (x4 each round) until it holds ``limit`` documents: anything outside
    the radius is farther than everything inside it.
    """
    la, lo = _coordinate(lat, "NEAR"), _coordinate(lon, "NEAR")
    count = _DEFAULT_LIMIT if limit is None else max(0, int(to_number(limit)))
    reach = _FIRST_REACH_M
    while True:
        scored = _scored_within(ctx, coll, la, lo, reach)
        if len(scored) >= count or reach >= _HALF_EARTH_M:
            break
        reach *= 4
    hits = heapq.nsmallest(count, scored, key=lambda hit: hit[0])
    return _with_distance(hits, distance)


@aql_function("WITHIN", 4, 5, context=True, deterministic=False, collection_args=(0,))
def within(
    ctx: FunctionContext, coll: Any, lat: Any, lon: Any, radius: Any, distance: Any = None
) -> list[dict[str, Any]]:
    """Every document within ``radius`` metres of the point, nearest first."""
    la, lo = _coordinate(lat, "WITHIN"), _coordinate(lon, "WITHIN")
    reach = _coordinate(radius, "WITHIN")
    hits = sorted(_scored_within(ctx, coll, la, lo, reach), key=lambda hit: hit[0])
    return _with_distance(hits, distance)


@aql_function("WITHIN_RECTANGLE", 5, context=True, deterministic=False, collection_args=(0,))
def within_rectangle(
    ctx: FunctionContext, coll: Any, lat1: Any, lon1: Any, lat2: Any, lon2: Any
) -> list[dict[str, Any]]:
    """Every document inside the latitude/longitude rectangle between the two corners."""
    corners = [_coordinate(v, "WITHIN_RECTANGLE") for v in (lat1, lon1, lat2, lon2)]
    south, north = sorted((corners[0], corners[2]))
    west, east = sorted((corners[1], corners[3]))
    found = _located(ctx, coll, lambda index: index.latitude_band(south, north))
    return [doc for doc, (la, lo) in found if south <= la <= north and west <= lo <= east]
