"""GeoJSON on the sphere, as ArangoDB reads it, with planar predicates from shapely.

ArangoDB (S2) draws every edge as a great-circle arc and takes the region to the left of a ring
as its interior. A gnomonic projection maps great circles to straight lines, so projecting both
shapes onto the plane tangent at their centre and asking shapely there gives ArangoDB's answer
for shapes within a hemisphere; larger shapes raise error 9 rather than give a planar answer.
Centroids are the spherical (area- or length-weighted) centroids S2 computes; areas are geodesic
polygon areas from geographiclib, on ArangoDB's sphere (radius 6371 km) or on WGS84.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from geographiclib.geodesic import Geodesic
from shapely.geometry.base import BaseGeometry

from arangolite.aql.values import is_number
from arangolite.errors import NOT_IMPLEMENTED, ArangoError
from arangolite.functions._args import type_warning
from arangolite.functions._earth import EARTH_RADIUS_M

__all__ = ["EARTH_RADIUS_M", "Shape", "centroid", "geodesic", "parse", "planar", "unit"]

_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
_SPHERE = Geodesic(EARTH_RADIUS_M, 0.0)
_HEMISPHERE_MARGIN = 1e-6

Vector = np.ndarray


@dataclass(frozen=True, slots=True)
class Shape:
    """A GeoJSON geometry: its type and its ``[lon, lat]`` positions, nested as in GeoJSON."""

    kind: str
    coords: Any

    def polygons(self) -> list[list[list[list[float]]]]:
        """Rings of each polygon (empty for other types)."""
        if self.kind == "Polygon":
            return [self.coords]
        return list(self.coords) if self.kind == "MultiPolygon" else []

    def positions(self) -> list[list[float]]:
        """Every position (rings without their closing repeat)."""
        if self.kind == "Point":
            return [self.coords]
        if self.kind in ("MultiPoint", "LineString"):
            return list(self.coords)
        if self.kind == "MultiLineString":
            return [p for line in self.coords for p in line]
        return [p for poly in self.polygons() for ring in poly for p in ring[:-1]]


def geodesic(ellipsoid: Any, fname: str) -> Geodesic:
    """ArangoDB's sphere (``"sphere"``) or the WGS84 ellipsoid (``"wgs84"``)."""
    if ellipsoid == "sphere":
        return _SPHERE
    if ellipsoid == "wgs84":
        return Geodesic.WGS84
    raise type_warning(fname)


def _position(value: Any) -> list[float] | None:
    if type(value) is not list or len(value) < 2 or not all(is_number(v) for v in value[:2]):
        return None
    lon, lat = float(value[0]), float(value[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return [lon, lat]


def _positions(value: Any, minimum: int) -> list[list[float]] | None:
    if type(value) is not list or len(value) < minimum:
        return None
    found = [_position(v) for v in value]
    return None if any(p is None for p in found) else found  # type: ignore[return-value]


def _rings(value: Any) -> list[list[list[float]]] | None:
    if type(value) is not list or not value:
        return None
    rings = [_positions(r, 4) for r in value]
    if any(r is None or r[0] != r[-1] for r in rings):
        return None
    return rings  # type: ignore[return-value]


def _coords(kind: str, value: Any) -> Any:
    if kind == "Point":
        return _position(value)
    if kind in ("MultiPoint", "LineString"):
        return _positions(value, 1 if kind == "MultiPoint" else 2)
    if kind == "MultiLineString":
        lines = [_positions(v, 2) for v in value] if type(value) is list and value else [None]
        return None if any(line is None for line in lines) else lines
    if kind == "Polygon":
        return _rings(value)
    polys = [_rings(v) for v in value] if type(value) is list and value else [None]
    return None if any(p is None for p in polys) else polys


def parse(value: Any, fname: str) -> Shape:
    """A GeoJSON object or a ``[lon, lat]`` pair as a :class:`Shape`; warning 1542 otherwise."""
    point = _position(value) if type(value) is list else None
    if point is not None:
        return Shape("Point", point)
    if type(value) is dict and value.get("type") in _TYPES:
        coords = _coords(value["type"], value.get("coordinates"))
        if coords is not None:
            return Shape(value["type"], coords)
    raise type_warning(fname)


def unit(lon: float, lat: float) -> Vector:
    """The unit vector of a position."""
    lo, la = math.radians(lon), math.radians(lat)
    return np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])


def to_lonlat(v: Vector) -> tuple[float, float]:
    """Longitude and latitude (degrees) of a (non-zero) vector."""
    x, y, z = (float(c) for c in v)
    return math.degrees(math.atan2(y, x)), math.degrees(math.atan2(z, math.hypot(x, y)))


def _ring_integral(ring: list[list[float]]) -> Vector:
    """The integral of the position over the region left of a ring (half the sum of each
    edge's unit normal times its length), whose direction is the region's centroid."""
    total = np.zeros(3)
    points = [unit(*p) for p in ring]
    for a, b in itertools.pairwise(points):
        normal = np.cross(a, b)
        size = float(np.linalg.norm(normal))
        if size > 0:
            total += normal / size * math.atan2(size, float(np.dot(a, b)))
    return total / 2


def centroid(shape: Shape) -> tuple[float, float]:
    """``(lon, lat)`` of the shape's spherical centroid."""
    if shape.kind == "Point":
        return shape.coords[0], shape.coords[1]
    total = np.zeros(3)
    if shape.kind == "MultiPoint":
        for p in shape.positions():
            total += unit(*p)
    elif shape.kind in ("LineString", "MultiLineString"):
        lines = [shape.coords] if shape.kind == "LineString" else shape.coords
        for line in lines:
            for a, b in itertools.pairwise(line):
                ua, ub = unit(*a), unit(*b)
                half = (
                    math.atan2(float(np.linalg.norm(np.cross(ua, ub))), float(np.dot(ua, ub))) / 2
                )
                total += (ua + ub) * math.tan(half)
    else:
        for poly in shape.polygons():
            shell = _ring_integral(poly[0])
            total += shell
            for ring in poly[1:]:  # holes count negatively, whichever way they run
                hole = _ring_integral(ring)
                total += hole if float(np.dot(hole, shell)) < 0 else -hole
    if not np.any(total):
        first = shape.positions()[0]
        return first[0], first[1]
    return to_lonlat(total)


def _tangent_basis(center: Vector) -> tuple[Vector, Vector]:
    east = np.cross(np.array([0.0, 0.0, 1.0]), center)
    if np.linalg.norm(east) < 1e-12:
        east = np.array([0.0, 1.0, 0.0])
    east /= np.linalg.norm(east)
    return east, np.cross(center, east)


def planar(shapes: list[Shape]) -> list[BaseGeometry]:
    """The shapes in a gnomonic projection centred between them (edges become straight)."""
    center = np.zeros(3)
    for shape in shapes:
        center += unit(*centroid(shape))
    norm = float(np.linalg.norm(center))
    if norm < 1e-9:
        raise ArangoError(NOT_IMPLEMENTED, "geo predicates on shapes on opposite sides of Earth")
    center /= norm
    east, north = _tangent_basis(center)

    def project(p: list[float]) -> tuple[float, float]:
        v = unit(*p)
        depth = float(np.dot(v, center))
        if depth <= _HEMISPHERE_MARGIN:
            raise ArangoError(NOT_IMPLEMENTED, "geo predicates on shapes wider than a hemisphere")
        return float(np.dot(v, east)) / depth, float(np.dot(v, north)) / depth

    return [_to_shapely(s, project) for s in shapes]


def _to_shapely(shape: Shape, project: Any) -> BaseGeometry:
    if shape.kind == "Point":
        return shapely.Point(project(shape.coords))
    if shape.kind == "MultiPoint":
        return shapely.MultiPoint([project(p) for p in shape.coords])
    if shape.kind == "LineString":
        return shapely.LineString([project(p) for p in shape.coords])
    if shape.kind == "MultiLineString":
        return shapely.MultiLineString([[project(p) for p in line] for line in shape.coords])
    polygons = []
    for rings in shape.polygons():
        shell = shapely.LinearRing([project(p) for p in rings[0]])
        if not shell.is_ccw:
            raise ArangoError(
                NOT_IMPLEMENTED,
                "polygons whose interior is more than a hemisphere (clockwise rings)",
            )
        holes = [[project(p) for p in ring] for ring in rings[1:]]
        polygons.append(shapely.Polygon(shell, holes))
    return polygons[0] if shape.kind == "Polygon" else shapely.MultiPolygon(polygons)
