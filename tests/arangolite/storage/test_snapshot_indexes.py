"""Read-only queries over collections with a geo, fulltext or TTL index (``storage.snapshot_read``),
on the in-memory store and on a data directory (``conftest.py``).

On a data directory such queries run on a snapshot of their own, without the engine lock, unless
they read a geo or fulltext index (built in memory, those follow the engine's pinned snapshot) or
the snapshot holds a TTL document already expired (the locked path removes it first). Either way
they must answer what the locked path answers: an expired document is never read, the geo and
fulltext functions find what their index holds, streaming or not.
"""

from __future__ import annotations

import time

import pytest
from arango.database import StandardDatabase

from arangolite.storage.engine import Engine
from arangolite.storage.snapshot_read import NeedsLock

FAR = 3600.0  # seconds: a document expiring that far ahead does not expire during the test


def _sessions(db: StandardDatabase) -> None:
    coll = db.create_collection("sessions")
    coll.add_index({"type": "ttl", "fields": ["until"], "expireAfter": 0})
    coll.add_index({"type": "persistent", "fields": ["v"]})
    coll.insert_many([{"_key": f"live{i}", "v": i, "until": time.time() + FAR} for i in range(5)])


@pytest.mark.parametrize("stream", [False, True])
def test_a_query_never_reads_an_expired_document(db: StandardDatabase, stream: bool) -> None:
    """Inserted already expired, a document is in the store until a sweep removes it; the
    query (and a batch read, a point read) that comes next must not see it."""
    _sessions(db)
    coll = db.collection("sessions")
    for i in range(3):
        coll.insert({"_key": f"gone{i}", "v": i, "until": time.time() - 10})
        keys = list(db.aql.execute("FOR d IN sessions SORT d._key RETURN d._key", stream=stream))
        assert keys == [f"live{j}" for j in range(5)]
        assert list(db.aql.execute("FOR d IN sessions FILTER d.v == @v RETURN d._key",
                                   bind_vars={"v": i}, stream=stream)) == [f"live{i}"]
        assert [d["_key"] for d in coll.get_many([f"gone{i}", "live0"])] == ["live0"]
        coll.insert({"_key": f"gone{i}", "v": i, "until": time.time() - 10})
        assert coll.get(f"gone{i}") is None
        assert not coll.has(f"gone{i}")
        assert coll.get("live1")["v"] == 1


def test_a_query_over_a_ttl_collection_sees_what_has_not_expired(db: StandardDatabase) -> None:
    """Nothing expired: the query reads the snapshot (on disk without the lock), counts included."""
    _sessions(db)
    assert list(db.aql.execute(
        "FOR d IN sessions COLLECT WITH COUNT INTO n RETURN [n, LENGTH(sessions)]"
    )) == [[5, 5]]


def _places_and_texts(db: StandardDatabase) -> None:
    places = db.create_collection("places")
    places.add_index({"type": "geo", "fields": ["at"], "geoJson": True})
    places.add_index({"type": "persistent", "fields": ["v"]})
    places.insert_many([{"_key": f"p{i}", "v": i % 3, "at": [8.0, 50.0 + i / 10]}
                        for i in range(10)])
    texts = db.create_collection("texts")
    texts.add_index({"type": "fulltext", "fields": ["text"]})
    texts.insert_many([{"_key": f"t{i}", "v": i % 3, "text": f"word{i % 2} common"}
                       for i in range(10)])


@pytest.mark.parametrize("stream", [False, True])
def test_geo_and_fulltext_queries_read_their_index(db: StandardDatabase, stream: bool) -> None:
    _places_and_texts(db)

    def run(query: str, **binds: object) -> list[object]:
        return list(db.aql.execute(query, bind_vars=binds or None, stream=stream, batch_size=2))

    assert run("FOR d IN NEAR(places, 50.0, 8.0, 3) RETURN d._key") == ["p0", "p1", "p2"]
    assert run("FOR d IN NEAR(@c, 50.0, 8.0, 2) RETURN d._key", c="places") == ["p0", "p1"]
    assert run(
        "FOR d IN places FILTER GEO_DISTANCE([8.0, 50.0], d.at) < 25000 SORT d._key"
        " RETURN d._key"
    ) == ["p0", "p1", "p2"]
    assert sorted(run("FOR d IN FULLTEXT(texts, 'text', 'word1') RETURN d._key")) == [
        f"t{i}" for i in range(1, 10, 2)
    ]
    assert run("FOR d IN places FILTER d.v == 2 SORT d._key RETURN d._key") == ["p2", "p5", "p8"]
    assert run("FOR d IN texts FILTER d.v == 0 SORT d._key RETURN d._key") == [
        "t0", "t3", "t6", "t9"
    ]
    assert run("RETURN LENGTH(FOR d IN places RETURN 1)") == [10]


def test_a_snapshot_view_refuses_the_in_memory_indexes(engine: Engine) -> None:
    """The snapshot view of a geo collection serves documents, not its geo index."""
    if engine.disk is None:
        pytest.skip("in memory queries have no snapshot view")
    db = engine.database("_system")
    db.create_collection("places")
    db.ensure_index("places", {"type": "geo", "fields": ["at"]})
    trx = db.begin(write=["places"])
    trx.collection("places").insert({"_key": "p", "at": [1.0, 2.0]})
    trx.commit()
    snap = engine.open_snapshot(db)
    try:
        handle = snap.collection("places")
        assert handle.get("p")["at"] == [1.0, 2.0]
        view = handle.index_view("geo")
        with pytest.raises(NeedsLock):
            view.index.locations  # noqa: B018 - the read is the test
    finally:
        snap.close()
