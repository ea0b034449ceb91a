"""The geo and fulltext index structures, and their definitions through the REST layer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from arango.database import StandardDatabase
from arango.exceptions import IndexCreateError

import arangolite
from arangolite.storage.engine import Engine
from arangolite.storage.fulltext_index import FulltextIndex, words_of
from arangolite.storage.geo_index import GeoIndex


def geo(fields: list[str], geo_json: bool = False) -> GeoIndex:
    return GeoIndex("1", "g", {"fields": fields, "geoJson": geo_json})


def test_geo_index_reads_each_location_form() -> None:
    assert geo(["lat", "lon"]).location({"lat": 50, "lon": 7}) == (50.0, 7.0)
    assert geo(["loc"]).location({"loc": [50, 7]}) == (50.0, 7.0)
    assert geo(["loc"], True).location({"loc": [7, 50]}) == (50.0, 7.0)
    point = {"loc": {"type": "Point", "coordinates": [7, 50]}}
    assert geo(["loc"], True).location(point) == (50.0, 7.0)
    line = {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
    assert geo(["loc"], True).location({"loc": line}) == line
    for bad in ({"loc": [91, 0]}, {"loc": "x"}, {"loc": [1]}, {}, {"loc": [1, None]}):
        assert geo(["loc"]).location(bad) is None  # sparse: not indexed


def test_geo_index_maintains_its_latitude_order() -> None:
    index = geo(["loc"])
    index.bulk_load([{"_key": str(i), "loc": [i * 10, 0]} for i in range(5)])
    assert index.latitude_band(5, 25) == ["1", "2"]
    index.remove({"_key": "1", "loc": [10, 0]})
    index.insert({"_key": "9", "loc": [15, 3]})
    assert index.latitude_band(5, 25) == ["9", "2"]
    assert index.same_entries({"loc": [1, 2], "x": 1}, {"loc": [1, 2], "x": 2})
    index.clear()
    assert index.latitude_band(-90, 90) == []


def test_fulltext_words_and_queries() -> None:
    assert words_of("The quick, brown FOX! a", 2) == {"the", "quick", "brown", "fox"}
    assert words_of(["Foo bar", 3, "baz"], 3) == {"foo", "bar", "baz"}
    assert words_of({"a": "Ölförbud"}, 2) == {"ölförbud"}
    assert words_of("x" * 50, 2) == {"x" * 40}
    index = FulltextIndex("1", "f", {"fields": ["t"], "minLength": 2})
    index.bulk_load([{"_key": "1", "t": "apple pie"}, {"_key": "2", "t": "apricot jam"}])
    index.insert({"_key": "3", "t": "Apple juice"})
    assert index.complete("APPLE") == {"1", "3"}
    assert index.prefix("ap") == {"1", "2", "3"}
    index.remove({"_key": "1", "t": "apple pie"})
    assert index.complete("pie") == set()
    assert index.prefix("pi") == set()


def test_index_definitions(db: StandardDatabase) -> None:
    coll = db.create_collection("places")
    one = coll.add_index({"type": "geo", "fields": ["loc"], "geoJson": True, "name": "g1"})
    assert (one["type"], one["geoJson"], one["sparse"], one["unique"]) == ("geo", True, True, False)
    two = coll.add_index({"type": "geo", "fields": ["lat", "lon"]})
    assert two["fields"] == ["lat", "lon"] and two["geoJson"] is False
    again = coll.add_index({"type": "geo", "fields": ["loc"], "geoJson": True})
    assert again["id"] == one["id"]
    text = coll.add_index({"type": "fulltext", "fields": ["body"], "minLength": 3})
    assert (text["type"], text["minLength"], text["sparse"]) == ("fulltext", 3, True)
    with pytest.raises(IndexCreateError) as info:
        coll.add_index({"type": "geo", "fields": ["a", "b", "c"]})
    assert info.value.error_code == 10
    with pytest.raises(IndexCreateError) as info:
        coll.add_index({"type": "fulltext", "fields": ["a", "b"]})
    assert info.value.error_code == 10
    kinds = [i["type"] for i in coll.indexes()]
    assert kinds == ["primary", "geo", "geo", "fulltext"]


def test_geo_and_fulltext_indexes_survive_a_reopen(tmp_path: Path) -> None:
    engine = Engine(str(tmp_path))
    try:
        db = arangolite.connect(engine=engine, db_name="shop")
        coll = db.create_collection("c")
        coll.add_index({"type": "geo", "fields": ["loc"]})
        coll.add_index({"type": "fulltext", "fields": ["t"]})
        coll.insert_many([{"loc": [1, 1], "t": "hello world"}, {"loc": [5, 5], "t": "bye"}])
    finally:
        engine.close()
    engine = Engine(str(tmp_path))
    try:
        db = arangolite.connect(engine=engine, db_name="shop")
        near = list(db.aql.execute("FOR d IN NEAR(c, 5, 5, 1) RETURN d.t"))
        found = list(db.aql.execute("FOR d IN FULLTEXT(c, 't', 'hello') RETURN d.t"))
        assert (near, found) == (["bye"], ["hello world"])
    finally:
        engine.close()


def _memory_indexes(engine: Engine) -> list[GeoIndex | FulltextIndex]:
    coll = engine.databases["shop"].collections["c"]
    return [i for i in coll.indexes if isinstance(i, GeoIndex | FulltextIndex)]


def test_a_reopened_directory_builds_geo_and_fulltext_indexes_at_their_first_read(
    tmp_path: Path,
) -> None:
    """Opening decodes no document for them; commits made before the first read (this
    engine's and another engine's) are in the index it then builds, and later ones too."""
    engine = Engine(str(tmp_path))
    try:
        db = arangolite.connect(engine=engine, db_name="shop")
        coll = db.create_collection("c")
        coll.add_index({"type": "geo", "fields": ["loc"]})
        coll.add_index({"type": "fulltext", "fields": ["t"]})
        coll.insert_many([{"_key": f"k{i}", "loc": [i, i], "t": f"word{i}"} for i in range(20)])
    finally:
        engine.close()
    engine = Engine(str(tmp_path))
    other = Engine(str(tmp_path))
    try:
        assert [i.built for i in _memory_indexes(engine)] == [False, False]
        db = arangolite.connect(engine=engine, db_name="shop")
        db.collection("c").insert({"_key": "own", "loc": [30, 30], "t": "fresh"})
        db.collection("c").delete("k3")
        arangolite.connect(engine=other, db_name="shop").collection("c").insert(
            {"_key": "theirs", "loc": [40, 40], "t": "fresh"}
        )
        assert [i.built for i in _memory_indexes(engine)] == [False, False]

        def near(lat: int) -> list[str]:
            return list(db.aql.execute("FOR d IN NEAR(c, @l, @l, 1) RETURN d._key",
                                       bind_vars={"l": lat}))

        def words(text: str) -> list[str]:
            return sorted(db.aql.execute("FOR d IN FULLTEXT(c, 't', @w) RETURN d._key",
                                         bind_vars={"w": text}))

        assert near(30) == ["own"] and near(40) == ["theirs"] and near(3) != ["k3"]
        assert words("fresh") == ["own", "theirs"] and words("word3") == []
        assert [i.built for i in _memory_indexes(engine)] == [True, True]
        db.collection("c").update({"_key": "own", "loc": [60, 60], "t": "moved"})
        arangolite.connect(engine=other, db_name="shop").collection("c").delete("theirs")
        assert near(60) == ["own"] and words("fresh") == [] and words("moved") == ["own"]
    finally:
        other.close()
        engine.close()


def _hundred_texts(engine: Engine) -> Any:
    """A database ``shop`` whose collection ``c`` has a fulltext index on ``t`` and 100
    documents ``k0``..``k99``, ``t`` = ``w<i % 10> xx``, then ``k3`` updated to ``w3 y``
    (which moves it to the end of the collection's order)."""
    db = arangolite.connect(engine=engine, db_name="shop")
    coll = db.create_collection("c")
    coll.add_index({"type": "fulltext", "fields": ["t"]})
    coll.insert_many([{"_key": f"k{i}", "t": f"w{i % 10} xx"} for i in range(100)])
    coll.update({"_key": "k3", "t": "w3 y"})
    return db


@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "disk"])
def test_fulltext_gives_its_hits_in_the_collections_order_reading_only_them_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, on_disk: bool
) -> None:
    """The order of a scan (write order: an update moves a document to the end); on disk a few
    hits are read by key, not by a pass over the collection."""
    from arangolite.storage.disk_state import DiskState

    engine = Engine(str(tmp_path) if on_disk else None)
    try:
        db = _hundred_texts(engine)
        scans: list[int] = []
        scan = DiskState.scan
        monkeypatch.setattr(DiskState, "scan", lambda *a, **k: scans.append(1) or scan(*a, **k))
        found = list(db.aql.execute("FOR d IN FULLTEXT(c, 't', 'w3') RETURN d._key"))
        assert found == [f"k{i}" for i in range(13, 100, 10)] + ["k3"]
        assert list(db.aql.execute("FOR d IN FULLTEXT(c, 't', 'xx') RETURN d._key")) == [
            f"k{i}" for i in range(100) if i != 3
        ]
        assert scans == ([1] if on_disk else [])  # (on disk: 99 hits of 100, one pass)
    finally:
        engine.close()


@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "disk"])
def test_fulltext_limit_reads_no_more_documents_than_it_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, on_disk: bool
) -> None:
    """``FULLTEXT(c, a, q, limit)``: the first ``limit`` hits in the collection's order, as
    ArangoDB's LIMIT after the index read: 0 gives none, a negative one all, null all, anything
    but an integer 1542; the hits are read up to the limit only (by key, or a pass that stops)."""
    from arango.exceptions import AQLQueryExecuteError

    from arangolite.storage.disk_state import DiskState

    engine = Engine(str(tmp_path) if on_disk else None)
    try:
        db = _hundred_texts(engine)
        read: list[int] = []
        get_many, scan = DiskState.get_many, DiskState.scan

        def counted(*args: Any, **kwargs: Any) -> Any:
            for doc in scan(*args, **kwargs):
                read.append(1)
                yield doc

        monkeypatch.setattr(DiskState, "get_many", lambda s, keys: read.extend([1] * len(keys)) or get_many(s, keys))
        monkeypatch.setattr(DiskState, "scan", counted)

        def keys(query: str, **binds: Any) -> list[str]:
            return list(db.aql.execute(f"FOR d IN FULLTEXT(c, 't', {query}) RETURN d._key",
                                       bind_vars=binds))

        assert keys("'w3', 2") == ["k13", "k23"]  # (few hits: read by key on disk)
        assert keys("'xx', @n", n=3) == ["k0", "k1", "k2"]  # (many: a pass, stopped)
        assert read == ([1] * 5 if on_disk else [])
        assert keys("'w3', 0") == [] and keys("'w3', @n", n=None)[-1] == "k3"
        assert len(keys("'w3', -1")) == 10
        for bad in (2.5, "2", True):
            with pytest.raises(AQLQueryExecuteError) as refused:
                keys("'w3', @n", n=bad)
            assert refused.value.error_code == 1542
        trx = db.begin_transaction(write=["c"])
        try:
            trx.collection("c").insert({"_key": "new", "t": "w3"})
            run = trx.aql.execute  # (the transaction's own document comes after the committed)
            assert list(run("FOR d IN FULLTEXT(c, 't', 'w3', 11) RETURN d._key"))[-1] == "new"
            assert "new" not in list(run("FOR d IN FULLTEXT(c, 't', 'w3', 10) RETURN d._key"))
        finally:
            trx.abort_transaction()
    finally:
        engine.close()
