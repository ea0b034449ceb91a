"""ArangoDB's geo index (``geo``, also ``geo1``/``geo2``): where each document lies.

Fields: two attributes (latitude, longitude), or one attribute holding ``[latitude, longitude]``,
or, with ``geoJson: true``, ``[longitude, latitude]`` or a GeoJSON object. The index is sparse:
documents without a valid location are not indexed. Points are kept sorted by latitude, so a
radius query reads only the latitude band it can reach; other GeoJSON shapes are kept as they
are and measured by the geo functions.
"""

from __future__ import annotations

import bisect
from typing import Any

from arangolite.errors import BAD_PARAMETER, ArangoError
from arangolite.storage.built_on_read import BuiltOnRead
from arangolite.storage.docs import resolve_path

__all__ = ["GeoIndex", "normalize_geo"]

Document = dict[str, Any]
Location = tuple[float, float] | dict[str, Any]


def normalize_geo(spec: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """The stored definition of a geo index request (error 10 for a bad field count)."""
    if len(fields) not in (1, 2):
        raise ArangoError(BAD_PARAMETER, "geo index must have one or two fields")
    geo_json = bool(spec.get("geoJson", False)) and len(fields) == 1
    return {
        "type": "geo",
        "fields": fields,
        "geoJson": geo_json,
        "legacyPolygons": bool(spec.get("legacyPolygons", False)),
        "unique": False,
        "sparse": True,
    }


def _number(value: Any) -> bool:
    return type(value) in (int, float)


def _point(lat: Any, lon: Any) -> tuple[float, float] | None:
    if not (_number(lat) and _number(lon)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return float(lat), float(lon)


class GeoIndex(BuiltOnRead):
    """Locations by document key; points also sorted by latitude."""

    kind = "geo"
    ENTRIES = ("_locations", "_by_lat", "_shapes")
    unique = False
    sparse = True

    def __init__(self, iid: str, name: str, spec: dict[str, Any]) -> None:
        self.id = iid
        self.name = name
        self.fields = list(spec["fields"])
        self.geo_json = bool(spec.get("geoJson", False))
        self.legacy_polygons = bool(spec.get("legacyPolygons", False))
        self._locations: dict[str, Location] = {}
        self._by_lat: list[tuple[float, str]] = []
        self._shapes: dict[str, None] = {}

    # -- what a document is indexed under ---------------------------------------------------------

    def location(self, doc: Document) -> Location | None:
        """``(lat, lon)`` for a point, the GeoJSON object for another shape, None: not indexed."""
        if len(self.fields) == 2:
            return _point(resolve_path(doc, self.fields[0]), resolve_path(doc, self.fields[1]))
        value = resolve_path(doc, self.fields[0])
        if type(value) is list and len(value) == 2:
            return _point(value[1], value[0]) if self.geo_json else _point(value[0], value[1])
        if self.geo_json and type(value) is dict and type(value.get("coordinates")) is list:
            if value.get("type") == "Point" and len(value["coordinates"]) >= 2:
                return _point(value["coordinates"][1], value["coordinates"][0])
            return value
        return None

    # -- maintenance (the secondary index interface) ----------------------------------------------

    @property
    def locations(self) -> dict[str, Location]:
        """Where each indexed document lies, by key."""
        self._build()
        return self._locations

    def insert(self, doc: Document) -> None:
        if not self.built:
            return  # the build will read it
        where = self.location(doc)
        if where is None:
            return
        key = doc["_key"]
        self._locations[key] = where
        if type(where) is tuple:
            bisect.insort(self._by_lat, (where[0], key))
        else:
            self._shapes[key] = None

    def remove(self, doc: Document) -> None:
        if not self.built:
            return
        where = self._locations.pop(doc["_key"], None)
        self._shapes.pop(doc["_key"], None)
        if type(where) is tuple:
            pos = bisect.bisect_left(self._by_lat, (where[0], doc["_key"]))
            if pos < len(self._by_lat) and self._by_lat[pos] == (where[0], doc["_key"]):
                del self._by_lat[pos]

    def bulk_load(self, docs: list[Document]) -> None:
        for doc in docs:
            where = self.location(doc)
            if where is not None:
                self._locations[doc["_key"]] = where
        self._by_lat = sorted((w[0], k) for k, w in self._locations.items() if type(w) is tuple)
        self._shapes = {k: None for k, w in self._locations.items() if type(w) is not tuple}

    def clear(self) -> None:
        self._locations, self._by_lat, self._shapes = {}, [], {}

    def same_entries(self, old: Document, new: Document) -> bool:
        return self.location(old) == self.location(new)

    # -- queries ----------------------------------------------------------------------------------

    def latitude_band(self, low: float, high: float) -> list[str]:
        """Keys of points with ``low <= latitude <= high``."""
        self._build()
        lo = bisect.bisect_left(self._by_lat, (low, ""))
        hi = bisect.bisect_right(self._by_lat, (high, "\U0010ffff"), lo=lo)
        return [key for _, key in self._by_lat[lo:hi]]

    def shape_keys(self) -> list[str]:
        """Keys of documents indexed under a GeoJSON shape other than a point."""
        self._build()
        return list(self._shapes)

    # -- definition -------------------------------------------------------------------------------

    def matches(self, spec: dict[str, Any]) -> bool:
        same = spec["type"] == "geo" and self.fields == spec["fields"]
        return bool(same and self.geo_json == spec["geoJson"])

    def stored_spec(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": "geo",
            "fields": list(self.fields),
            "geoJson": self.geo_json,
            "legacyPolygons": self.legacy_polygons,
        }

    def describe(self, coll: str) -> dict[str, Any]:
        return {
            "bestIndexedLevel": 17,
            "fields": list(self.fields),
            "geoJson": self.geo_json,
            "id": f"{coll}/{self.id}",
            "legacyPolygons": self.legacy_polygons,
            "maxNumCoverCells": 8,
            "name": self.name,
            "sparse": True,
            "type": "geo",
            "unique": False,
            "worstIndexedLevel": 4,
        }
