"""``CollectionHandle`` as the AQL executor uses it: reads through the transaction's overlay."""

from __future__ import annotations

import pytest

from arangolite.errors import ArangoError
from arangolite.storage.database import Database
from arangolite.storage.engine import Engine


@pytest.fixture
def sysdb(engine: Engine) -> Database:
    db = engine.database("_system")
    db.create_collection("c")
    db.ensure_index("c", {"type": "persistent", "fields": ["a", "b"]})
    trx = db.begin()
    handle = trx.collection("c")
    for i in range(10):
        handle.insert({"_key": f"k{i}", "a": i % 3, "b": i})
    trx.commit()
    return db


def test_all_and_count_see_own_writes(sysdb: Database) -> None:
    trx = sysdb.begin()
    handle = trx.collection("c")
    handle.remove("k0")
    handle.update("k1", {"x": 1})
    handle.insert({"_key": "new"})
    keys = [d["_key"] for d in handle.all()]
    assert keys == [f"k{i}" for i in range(2, 10)] + ["k1", "new"]
    assert handle.count() == 10
    assert sysdb.begin().collection("c").count() == 10
    trx.abort()


def test_all_iteration_is_stable_while_writing(sysdb: Database) -> None:
    trx = sysdb.begin()
    handle = trx.collection("c")
    seen = []
    for doc in handle.all():
        seen.append(doc["_key"])
        handle.update(doc["_key"], {"touched": True})
    assert sorted(seen) == sorted(f"k{i}" for i in range(10))
    trx.commit()
    assert all(d.get("touched") for d in sysdb.begin().collection("c").all())


def test_lookup_through_index_and_overlay(sysdb: Database) -> None:
    trx = sysdb.begin()
    handle = trx.collection("c")
    assert [d["_key"] for d in handle.lookup(["a"], [1]) or []] == ["k1", "k4", "k7"]
    assert [d["_key"] for d in handle.lookup(["b", "a"], [4, 1.0]) or []] == ["k4"]
    handle.update("k4", {"a": 2})
    handle.insert({"_key": "x", "a": 1, "b": 99})
    assert [d["_key"] for d in handle.lookup(["a"], [1]) or []] == ["k1", "k7", "x"]
    assert handle.lookup(["b"], [1]) is None
    assert [d["_key"] for d in handle.lookup(["_key"], ["k2"]) or []] == ["k2"]
    assert handle.lookup(["_key"], ["zz"]) == []
    assert [d["_key"] for d in handle.lookup(["_id"], ["c/k3"]) or []] == ["k3"]
    trx.abort()


def test_range_ordered_with_overlay(sysdb: Database) -> None:
    trx = sysdb.begin()
    handle = trx.collection("c")
    got = handle.range("a", 1, True, 2, False, has_low=True, has_high=True)
    assert [d["_key"] for d in got or []] == ["k1", "k4", "k7"]
    handle.insert({"_key": "y", "a": 1.5})
    handle.remove("k4")
    got = handle.range("a", 1, False, has_low=True, descending=True)
    assert [d["a"] for d in got or []] == [2, 2, 2, 1.5]
    assert handle.range("b", 1, has_low=True) is None
    trx.abort()


def test_edges_with_overlay(engine: Engine) -> None:
    db = engine.database("_system")
    db.create_collection("e", 3)
    trx = db.begin()
    handle = trx.collection("e")
    handle.insert({"_key": "1", "_from": "v/a", "_to": "v/b"})
    trx.commit()
    trx = db.begin()
    handle = trx.collection("e")
    handle.insert({"_key": "2", "_from": "v/a", "_to": "v/c"})
    assert [e["_key"] for e in handle.edges("v/a", "out")] == ["1", "2"]
    assert [e["_key"] for e in handle.lookup(["_to"], ["v/c"]) or []] == ["2"]
    handle.remove("1")
    assert [e["_key"] for e in handle.edges("v/a", "out")] == ["2"]
    trx.abort()


def test_document_and_graph_lookup(sysdb: Database) -> None:
    trx = sysdb.begin()
    assert trx.document("c/k1")["b"] == 1  # type: ignore[index]
    assert trx.document("nope/k1") is None and trx.document("garbage") is None
    with pytest.raises(ArangoError) as info:
        trx.graph("missing")
    assert info.value.error_num == 1924
    with pytest.raises(ArangoError) as missing:
        trx.collection("nope")
    assert missing.value.error_num == 1203


def test_unique_inside_one_transaction(sysdb: Database) -> None:
    sysdb.ensure_index("c", {"type": "persistent", "fields": ["u"], "unique": True, "sparse": True})
    trx = sysdb.begin()
    handle = trx.collection("c")
    handle.insert({"_key": "p", "u": 1})
    with pytest.raises(ArangoError) as info:
        handle.insert({"_key": "q", "u": 1})
    assert info.value.error_num == 1210
    handle.update("p", {"u": 2})
    handle.insert({"_key": "q", "u": 1})
    trx.commit()


def test_prefetched_reads_keep_the_snapshot(sysdb: Database) -> None:
    reader = sysdb.begin()
    handle = reader.collection("c")
    handle.prefetch(["k1", "k2", "nope", "later"])
    assert handle.get("k1")["b"] == 1 and handle.get("nope") is None
    writer = sysdb.begin()
    w = writer.collection("c")
    w.update("k1", {"b": 100})
    w.remove("k2")
    w.insert({"_key": "later"})
    writer.commit()
    assert handle.get("k1")["b"] == 1 and handle.get("k2")["b"] == 2
    assert handle.get("later") is None
    fresh = sysdb.begin().collection("c")
    fresh.prefetch(["k1", "k2", "later"])
    assert fresh.get("k1")["b"] == 100 and fresh.get("k2") is None
    assert fresh.get("later") is not None


def test_prefetched_versions_stop_at_the_next_change(engine: Engine) -> None:
    if engine.disk is None:
        pytest.skip("prefetching reads ahead from the on-disk store")
    db = engine.database("_system")
    db.create_collection("p")
    trx = db.begin()
    trx.collection("p").insert({"_key": "a", "n": 1})
    trx.commit()
    state = db.collections["p"].state
    versions, valid = state.prefetch(["a", "b"])
    assert versions["a"]["n"] == 1 and versions["b"] is None and valid()
    trx = db.begin()
    trx.collection("p").insert({"_key": "b"})
    trx.commit()
    assert not valid()
