"""Geo distances and GeoJSON constructors.

Distances use the haversine formula on a sphere of radius 6371000 m (ArangoDB's earth radius);
GEO_DISTANCE measures between the shapes' spherical centroids, and on ``"wgs84"`` uses the
geodesic distance on the ellipsoid (geographiclib). The shape helpers (numpy, shapely,
geographiclib: a third of a second to import) are imported by the functions that use them, so
registering the functions does not import them.
"""

from __future__ import annotations

import math
from typing import Any

from arangolite.aql.values import is_number, to_number
from arangolite.functions._args import type_warning
from arangolite.functions._earth import EARTH_RADIUS_M
from arangolite.functions.registry import aql_function


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two latitude/longitude pairs (degrees)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return EARTH_RADIUS_M * 2 * math.atan2(math.sqrt(a), math.sqrt(1 - a))


def _is_position(value: Any) -> bool:
    return type(value) is list and len(value) >= 2 and all(is_number(v) for v in value[:2])


def shape_distance(a: Any, b: Any, ellipsoid: Any, fname: str) -> float:
    """Metres between the centroids of two GeoJSON objects or ``[lon, lat]`` pairs."""
    from arangolite.functions._geometry import centroid, geodesic, parse

    earth = geodesic(ellipsoid, fname)
    lon1, lat1 = centroid(parse(a, fname))
    lon2, lat2 = centroid(parse(b, fname))
    if ellipsoid == "sphere":
        return haversine(lat1, lon1, lat2, lon2)
    return float(earth.Inverse(lat1, lon1, lat2, lon2)["s12"])


@aql_function("GEO_DISTANCE", 2, 3)
def geo_distance(a: Any, b: Any, ellipsoid: Any = "sphere") -> float:
    """Distance in metres between the centroids of two GeoJSON objects or [lon, lat] pairs."""
    return shape_distance(a, b, ellipsoid, "GEO_DISTANCE")


@aql_function("DISTANCE", 4)
def distance(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> float:
    """Distance in metres between two latitude/longitude pairs."""
    coords = [lat1, lon1, lat2, lon2]
    if not all(is_number(c) for c in coords):
        raise type_warning("DISTANCE")
    a, b, c, d = (float(to_number(x)) for x in coords)
    return haversine(a, b, c, d)


def _points(value: Any, minimum: int, fname: str) -> list[Any]:
    if type(value) is not list or len(value) < minimum or not all(map(_is_position, value)):
        raise type_warning(fname)
    return value


@aql_function("GEO_POINT", 2)
def geo_point(lon: Any, lat: Any) -> dict[str, Any]:
    """A GeoJSON Point."""
    if not (is_number(lon) and is_number(lat)):
        raise type_warning("GEO_POINT")
    return {"type": "Point", "coordinates": [lon, lat]}


@aql_function("GEO_MULTIPOINT", 1)
def geo_multipoint(points: Any) -> dict[str, Any]:
    """A GeoJSON MultiPoint from at least two positions."""
    return {"type": "MultiPoint", "coordinates": _points(points, 2, "GEO_MULTIPOINT")}


@aql_function("GEO_LINESTRING", 1)
def geo_linestring(points: Any) -> dict[str, Any]:
    """A GeoJSON LineString from at least two positions."""
    return {"type": "LineString", "coordinates": _points(points, 2, "GEO_LINESTRING")}


@aql_function("GEO_MULTILINESTRING", 1)
def geo_multilinestring(lines: Any) -> dict[str, Any]:
    """A GeoJSON MultiLineString from an array of position arrays."""
    if type(lines) is not list or not lines:
        raise type_warning("GEO_MULTILINESTRING")
    coords = [_points(line, 2, "GEO_MULTILINESTRING") for line in lines]
    return {"type": "MultiLineString", "coordinates": coords}


def _rings(value: Any, fname: str) -> list[Any]:
    if type(value) is not list or not value:
        raise type_warning(fname)
    rings = [value] if _is_position(value[0]) else value
    return [_points(ring, 4, fname) for ring in rings]


@aql_function("GEO_POLYGON", 1)
def geo_polygon(points: Any) -> dict[str, Any]:
    """A GeoJSON Polygon from one ring of positions or an array of rings."""
    return {"type": "Polygon", "coordinates": _rings(points, "GEO_POLYGON")}


@aql_function("GEO_MULTIPOLYGON", 1)
def geo_multipolygon(polygons: Any) -> dict[str, Any]:
    """A GeoJSON MultiPolygon from an array of polygons (each an array of rings)."""
    if type(polygons) is not list or not polygons:
        raise type_warning("GEO_MULTIPOLYGON")
    return {
        "type": "MultiPolygon",
        "coordinates": [_rings(p, "GEO_MULTIPOLYGON") for p in polygons],
    }
