"""GEO_CONTAINS, GEO_INTERSECTS, GEO_EQUALS, GEO_AREA, GEO_IN_RANGE, IS_IN_POLYGON and
GEO_DISTANCE between shapes (geo_predicates.py, geo.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from arangolite.errors import ArangoError

Call = Callable[..., Any]
# ArangoDB's documented example: edges are great-circle arcs, so the arc from [4, 47] to
# [16, 47] bulges north of the 47th parallel and the arc along 54 degrees too.
BOX = {"type": "Polygon", "coordinates": [[[4, 54], [4, 47], [16, 47], [16, 54], [4, 54]]]}
TRIANGLE = {
    "type": "Polygon",
    "coordinates": [[[-11.5, 23.5], [-10.5, 26.1], [-11.2, 27.1], [-11.5, 23.5]]],
}
SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]}
HOLED = {
    "type": "Polygon",
    "coordinates": [SQUARE["coordinates"][0], [[4, 4], [4, 6], [6, 6], [6, 4], [4, 4]]],
}


def test_geodesic_edges(call: Call) -> None:
    assert call("GEO_CONTAINS", BOX, [10, 47]) is False
    assert call("GEO_CONTAINS", BOX, [10, 54]) is True
    assert call("GEO_CONTAINS", BOX, [10, 50]) is True


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (SQUARE, [5, 5], True),
        (HOLED, [5, 5], False),
        (HOLED, [2, 2], True),
        (SQUARE, {"type": "LineString", "coordinates": [[1, 1], [9, 9]]}, True),
        (SQUARE, {"type": "LineString", "coordinates": [[1, 1], [19, 9]]}, False),
        (SQUARE, {"type": "MultiPoint", "coordinates": [[1, 1], [2, 2]]}, True),
        (SQUARE, [20, 20], False),
    ],
)
def test_contains(call: Call, a: Any, b: Any, expected: bool) -> None:
    assert call("GEO_CONTAINS", a, b) is expected


def test_intersects_and_equals(call: Call) -> None:
    cross = {"type": "LineString", "coordinates": [[-5, 5], [15, 5]]}
    assert call("GEO_INTERSECTS", SQUARE, cross) is True
    assert call("GEO_INTERSECTS", HOLED, {"type": "Point", "coordinates": [5, 5]}) is False
    far = {"type": "LineString", "coordinates": [[20, 20], [30, 30]]}
    assert call("GEO_INTERSECTS", SQUARE, far) is False
    assert call("GEO_EQUALS", TRIANGLE, TRIANGLE) is True
    moved = {
        "type": "Polygon",
        "coordinates": [[[-11.1, 24.0], [-10.5, 26.1], [-11.2, 27.1], [-11.1, 24.0]]],
    }
    assert call("GEO_EQUALS", moved, TRIANGLE) is False
    assert call("GEO_EQUALS", {"type": "Point", "coordinates": [1, 2]}, [1, 2]) is True


def test_area(call: Call) -> None:
    sphere = call("GEO_AREA", TRIANGLE)
    wgs84 = call("GEO_AREA", TRIANGLE, "wgs84")
    assert 1.5e10 < wgs84 < sphere < 1.6e10
    square = call("GEO_AREA", SQUARE)
    holed = call("GEO_AREA", HOLED)
    assert square - holed == pytest.approx(
        call("GEO_AREA", {"type": "Polygon", "coordinates": [HOLED["coordinates"][1]]})
    )
    multi = {
        "type": "MultiPolygon",
        "coordinates": [SQUARE["coordinates"], TRIANGLE["coordinates"]],
    }
    assert call("GEO_AREA", multi) == pytest.approx(square + sphere)


def test_distance_between_centroids(call: Call) -> None:
    line = {"type": "LineString", "coordinates": [[0, 0], [2, 0]]}
    assert call("GEO_DISTANCE", line, [1, 0]) == pytest.approx(0, abs=1e-6)
    assert call("GEO_DISTANCE", [0, 0], [1, 0]) == pytest.approx(111194.93, rel=1e-6)
    assert call("GEO_DISTANCE", [0, 0], [1, 0], "wgs84") == pytest.approx(111319.49, rel=1e-6)
    assert call("GEO_DISTANCE", SQUARE, [5, 5.0]) < 50_000  # spherical centroid near the middle
    assert call("GEO_IN_RANGE", [0, 0], [1, 0], 100_000, 120_000) is True
    assert call("GEO_IN_RANGE", [0, 0], [1, 0], 0, 111194.92, True, True) is False


def test_is_in_polygon(call: Call) -> None:
    assert call("IS_IN_POLYGON", [[0, 0], [0, 10], [10, 10], [10, 0]], 4, 7) is True
    assert call("IS_IN_POLYGON", [[0, 0], [10, 0], [10, 10], [0, 10]], [7, 4], True) is True
    assert call("IS_IN_POLYGON", [[0, 0], [0, 10], [10, 10], [10, 0]], [40, 7]) is False


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("GEO_CONTAINS", ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}, [0, 0])),
        ("GEO_CONTAINS", ("x", [0, 0])),
        ("GEO_AREA", ([1, 2],)),
        ("GEO_AREA", (SQUARE, "mars")),
        ("GEO_DISTANCE", ([0, 0], [200, 0])),
        ("IS_IN_POLYGON", ([[0, 0]], 1, 1)),
    ],
)
def test_invalid_geometry_warns(
    warns: Callable[..., int], name: str, args: tuple[Any, ...]
) -> None:
    assert warns(name, *args) == 1542


def test_shapes_beyond_a_hemisphere_are_not_implemented(call: Call) -> None:
    clockwise = {
        "type": "Polygon",
        "coordinates": [[[4, 54], [16, 54], [16, 47], [4, 47], [4, 54]]],
    }
    with pytest.raises(ArangoError) as info:
        call("GEO_CONTAINS", clockwise, [10, 50])
    assert info.value.error_num == 9
    with pytest.raises(ArangoError):
        call("GEO_INTERSECTS", [0, 0], [180, 0])
