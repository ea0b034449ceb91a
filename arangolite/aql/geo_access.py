"""Geo filters answered as ArangoDB's geo index answers them (the ``geo-index-optimizer`` rule).

``FOR v IN coll FILTER GEO_CONTAINS(shape, v.loc)`` (or ``GEO_INTERSECTS``, or the point written
``[v.lat, v.lon]``) is planned by :func:`arangolite.aql.planner.plan_geo`. When the collection has
a geo index on exactly those fields, ArangoDB reads the index and tests each document's
*indexed* location: for an index with ``geoJson: false`` a one-attribute point is
``[latitude, longitude]``, and a two-attribute index takes ``fields[0]`` as the latitude, where a
plain ``GEO_CONTAINS`` reads any ``[a, b]`` as GeoJSON's ``[longitude, latitude]``. arangolite does
the same: the loop reads only the documents the index holds, and the filter tests the point in
the index's order. Without such an index the loop scans and the filter is the plain function.
(The index narrows the documents read to those it holds; it does not cut them down to the
shape's area.)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from arangolite.functions.registry import lookup

__all__ = ["GeoMixin"]


class GeoMixin:
    """Runtime methods for planned geo filters."""

    stats: dict[str, Any]

    def index_view(self, name: str, kind: str) -> Any:  # pragma: no cover - provided by Runtime
        raise NotImplementedError

    def scan(self, name: str) -> Iterable[dict[str, Any]]:  # pragma: no cover - by Runtime
        raise NotImplementedError

    def function(self, spec: Any) -> Any:  # pragma: no cover - provided by Runtime
        raise NotImplementedError

    def _geo_view(self, name: str, fields: list[str]) -> Any:
        view = self.index_view(name, "geo")
        return view if view is not None and view.index.fields == fields else None

    def geo_candidates(self, name: str, fields: list[str], shape: Any) -> Iterable[dict[str, Any]]:
        """The documents a geo index on ``fields`` holds (all documents without one)."""
        view = self._geo_view(name, fields)
        if view is None:
            return self.scan(name)
        docs = [doc for doc, _ in view.located()]
        self.stats["scannedIndex"] += len(docs)
        return docs

    def geo_indexed(self, name: str, fields: list[str], fname: str, shape: Any, point: Any) -> Any:
        """``fname(shape, point)`` with ``point`` read as the geo index on ``fields`` reads it."""
        view = self._geo_view(name, fields)
        swap = view is not None and (len(fields) == 2 or not view.index.geo_json)
        if swap and type(point) is list and len(point) == 2:
            point = [point[1], point[0]]  # the index's [lat, lon] as GeoJSON's [lon, lat]
        return self.function(lookup(fname))(shape, point)
