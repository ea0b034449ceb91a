"""Geo filters on a collection with a geo index read points as the index does (ArangoDB's
geo-index-optimizer); without one they are the plain functions."""

from __future__ import annotations

from arango.database import StandardDatabase

BOX = "LET rect = GEO_POLYGON([[0, 0], [3, 0], [3, 6], [0, 6], [0, 0]])"  # lon 0..3, lat 0..6


def _keys(db: StandardDatabase, point: str, coll: str = "places") -> list[str]:
    query = f"{BOX} FOR d IN {coll} FILTER GEO_CONTAINS(rect, {point}) SORT d._key RETURN d._key"
    return list(db.aql.execute(query))


def test_index_on_one_attribute_reads_lat_lon(db: StandardDatabase) -> None:
    col = db.create_collection("places")
    col.insert_many([
        {"_key": "1", "loc": [1, 1]}, {"_key": "2", "loc": [1, 5]},
        {"_key": "3", "loc": [5, 1]}, {"_key": "4", "loc": [5, 5]}, {"_key": "5"},
    ])
    assert _keys(db, "d.loc") == ["1", "2"]  # no index: [lon, lat] as GeoJSON
    col.add_index({"type": "geo", "fields": ["loc"]})
    assert _keys(db, "d.loc") == ["1", "3"]  # the index: [lat, lon]
    assert _keys(db, "[d.loc[1], d.loc[0]]") == ["1", "3"]  # the same, swapped by hand
    assert list(db.aql.execute(
        f"{BOX} FOR d IN places FILTER GEO_INTERSECTS(rect, d.loc) RETURN d._key"
    )) == ["1", "3"]


def test_two_attribute_index_and_geojson_index(db: StandardDatabase) -> None:
    col = db.create_collection("pairs")
    col.insert_many([{"_key": "a", "lat": 5, "lon": 1}, {"_key": "b", "lat": 1, "lon": 5}])
    assert _keys(db, "[d.lat, d.lon]", "pairs") == ["b"]
    col.add_index({"type": "geo", "fields": ["lat", "lon"]})
    assert _keys(db, "[d.lat, d.lon]", "pairs") == ["a"]
    gj = db.create_collection("gj")
    gj.insert_many([{"_key": "a", "p": [1, 5]}, {"_key": "b", "p": [5, 1]}])
    gj.add_index({"type": "geo", "fields": ["p"], "geoJson": True})
    assert _keys(db, "d.p", "gj") == ["a"]  # a GeoJSON index keeps [lon, lat]


def test_writes_of_the_same_transaction_are_seen(db: StandardDatabase) -> None:
    col = db.create_collection("places")
    col.add_index({"type": "geo", "fields": ["loc"]})
    col.insert({"_key": "1", "loc": [1, 1]})
    trx = db.begin_transaction(write="places")
    trx.collection("places").insert({"_key": "2", "loc": [5, 1]})
    query = f"{BOX} FOR d IN places FILTER GEO_CONTAINS(rect, d.loc) SORT d._key RETURN d._key"
    assert list(trx.aql.execute(query)) == ["1", "2"]
    trx.abort_transaction()
    assert _keys(db, "d.loc") == ["1"]
