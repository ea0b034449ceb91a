"""Geo distances and GeoJSON constructors (geo.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


def test_distance(call: Callable[..., Any]) -> None:
    assert call("DISTANCE", 52.5163, 13.3777, 50.9322, 6.94) == pytest.approx(476918.89688380965)


def test_geo_distance_of_points(call: Callable[..., Any]) -> None:
    bonn = [7.0998, 50.734]
    cologne = {"type": "Point", "coordinates": [6.9528, 50.9364]}
    assert call("GEO_DISTANCE", bonn, cologne) == pytest.approx(24760.46, abs=1)
    assert call("GEO_DISTANCE", bonn, bonn) == 0


def test_geo_constructors(call: Callable[..., Any]) -> None:
    assert call("GEO_POINT", 1.0, 2.0) == {"type": "Point", "coordinates": [1.0, 2.0]}
    assert call("GEO_LINESTRING", [[35, 10], [45, 45]]) == {
        "type": "LineString",
        "coordinates": [[35, 10], [45, 45]],
    }
    ring = [[0.0, 0.0], [7.5, 2.5], [0.0, 5.0], [0.0, 0.0]]
    assert call("GEO_POLYGON", ring) == {"type": "Polygon", "coordinates": [ring]}
    holes = [
        [[35, 10], [45, 45], [15, 40], [10, 20], [35, 10]],
        [[20, 30], [30, 20], [35, 35], [20, 30]],
    ]
    assert call("GEO_POLYGON", holes)["coordinates"] == holes
    assert call("GEO_MULTIPOINT", [[35, 10], [45, 45]])["type"] == "MultiPoint"
    lines = [[[100.0, 0.0], [101.0, 1.0]], [[102.0, 2.0], [101.0, 2.3]]]
    assert call("GEO_MULTILINESTRING", lines)["coordinates"] == lines
    polygons = [[[[40, 40], [20, 45], [45, 30], [40, 40]]]]
    assert call("GEO_MULTIPOLYGON", polygons) == {"type": "MultiPolygon", "coordinates": polygons}


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("GEO_POINT", ("1", 2)),
        ("GEO_LINESTRING", ([[1, 2]],)),
        ("GEO_POLYGON", ([[1, 2], [3, 4]],)),
        ("GEO_DISTANCE", ("nowhere", [1, 2])),
    ],
)
def test_invalid_geometry_warns(
    warns: Callable[..., int], name: str, args: tuple[Any, ...]
) -> None:
    assert warns(name, *args) == 1542
