"""Geo predicates and measures: GEO_CONTAINS, GEO_INTERSECTS, GEO_EQUALS, GEO_AREA,
GEO_IN_RANGE and the deprecated IS_IN_POLYGON.

The predicates ask shapely on a gnomonic projection (see :mod:`._geometry`), so edges are
great-circle arcs as in ArangoDB; like S2, a polygon need not contain its own boundary.
shapely, geographiclib and the shape helpers are imported by the functions that use them, so
registering the functions does not import them (a third of a second with numpy).
"""

from __future__ import annotations

from typing import Any

from arangolite.aql.values import is_number, to_bool
from arangolite.functions._args import type_warning
from arangolite.functions.geo import shape_distance
from arangolite.functions.registry import aql_function


@aql_function("GEO_CONTAINS", 2)
def geo_contains(a: Any, b: Any) -> bool:
    """True when every point of ``b`` lies in ``a`` (a Polygon or MultiPolygon)."""
    from arangolite.functions._geometry import parse, planar

    outer, inner = planar([parse(a, "GEO_CONTAINS"), parse(b, "GEO_CONTAINS")])
    return bool(outer.contains(inner))


@aql_function("GEO_INTERSECTS", 2)
def geo_intersects(a: Any, b: Any) -> bool:
    """True when ``a`` and ``b`` share at least one point."""
    from arangolite.functions._geometry import parse, planar

    first, second = planar([parse(a, "GEO_INTERSECTS"), parse(b, "GEO_INTERSECTS")])
    return bool(first.intersects(second))


@aql_function("GEO_EQUALS", 2)
def geo_equals(a: Any, b: Any) -> bool:
    """True when both are the same geometry (same type and the same points)."""
    from arangolite.functions._geometry import parse, planar

    first, second = parse(a, "GEO_EQUALS"), parse(b, "GEO_EQUALS")
    if first.kind != second.kind:
        return False
    left, right = planar([first, second])
    return bool(left.equals(right))


def _ring_area(ring: list[list[float]], earth: Any) -> float:
    """Area left of the ring (counter-clockwise positive; geodesic edges)."""
    from geographiclib.polygonarea import PolygonArea

    poly = PolygonArea(earth)
    for lon, lat in ring[:-1]:
        poly.AddPoint(lat, lon)
    _, _, area = poly.Compute(False, True)
    return float(area)


@aql_function("GEO_AREA", 1, 2)
def geo_area(value: Any, ellipsoid: Any = "sphere") -> float:
    """Area in square metres of a Polygon or MultiPolygon (holes subtracted)."""
    from arangolite.functions._geometry import geodesic, parse

    shape = parse(value, "GEO_AREA")
    earth = geodesic(ellipsoid, "GEO_AREA")
    if shape.kind not in ("Polygon", "MultiPolygon"):
        raise type_warning("GEO_AREA")
    total = 0.0
    for rings in shape.polygons():
        total += abs(_ring_area(rings[0], earth))
        total -= sum(abs(_ring_area(hole, earth)) for hole in rings[1:])
    return total


@aql_function("GEO_IN_RANGE", 4, 7)
def geo_in_range(
    a: Any,
    b: Any,
    low: Any,
    high: Any,
    include_low: Any = True,
    include_high: Any = True,
    ellipsoid: Any = "sphere",
) -> bool:
    """True when the centroid distance lies between ``low`` and ``high``."""
    if not (is_number(low) and is_number(high)):
        raise type_warning("GEO_IN_RANGE")
    d = shape_distance(a, b, ellipsoid, "GEO_IN_RANGE")
    above = d >= low if to_bool(include_low) else d > low
    below = d <= high if to_bool(include_high) else d < high
    return bool(above and below)


@aql_function("IS_IN_POLYGON", 2, 3)
def is_in_polygon(polygon: Any, coord: Any, third: Any = None) -> bool:
    """Deprecated: whether a point lies inside a polygon of ``[lat, lon]`` pairs.

    ``IS_IN_POLYGON(polygon, lat, lon)`` or ``IS_IN_POLYGON(polygon, [lat, lon], useLonLat)``
    (``useLonLat`` true: pairs are ``[lon, lat]``).
    """
    if type(coord) is list:
        lon_lat = to_bool(third) if third is not None else False
        point = coord
    else:
        lon_lat, point = False, [coord, third]
    pairs = polygon if type(polygon) is list else None
    if (
        pairs is None
        or len(pairs) < 3
        or not all(type(p) is list and len(p) >= 2 and all(map(is_number, p[:2])) for p in pairs)
        or len(point) < 2
        or not all(map(is_number, point[:2]))
    ):
        raise type_warning("IS_IN_POLYGON")
    import shapely

    order = (0, 1) if lon_lat else (1, 0)
    ring = [(p[order[0]], p[order[1]]) for p in pairs]
    return bool(shapely.Polygon(ring).contains(shapely.Point(point[order[0]], point[order[1]])))
