"""``/_api/index`` through python-arango."""

from __future__ import annotations

import pytest
from arango.database import StandardDatabase
from arango.exceptions import DocumentInsertError, IndexCreateError, IndexDeleteError, IndexGetError


def test_primary_and_edge_indexes_are_listed(db: StandardDatabase) -> None:
    assert [i["type"] for i in db.create_collection("c").indexes()] == ["primary"]
    edge = db.create_collection("e", edge=True).indexes()
    assert [i["type"] for i in edge] == ["primary", "edge"]
    assert edge[1]["fields"] == ["_from", "_to"]


def test_create_is_idempotent(db: StandardDatabase) -> None:
    coll = db.create_collection("c")
    first = coll.add_index({"type": "persistent", "fields": ["a", "b"], "unique": True})
    assert first["isNewlyCreated"] is True and first["type"] == "persistent"
    again = coll.add_index({"type": "persistent", "fields": ["a", "b"], "unique": True})
    assert again["isNewlyCreated"] is False and again["id"] == first["id"]
    hashed = coll.add_index({"type": "hash", "fields": ["c"], "name": "by_c"})
    assert hashed["type"] == "persistent" and hashed["name"] == "by_c"
    assert coll.get_index("by_c")["id"] == hashed["id"]
    assert len(coll.indexes()) == 3


def test_unique_index_enforced(db: StandardDatabase) -> None:
    coll = db.create_collection("c")
    idx = coll.add_index(
        {"type": "persistent", "fields": ["email"], "unique": True, "name": "mail"}
    )
    coll.insert({"_key": "a", "email": "x@y"})
    with pytest.raises(DocumentInsertError) as info:
        coll.insert({"_key": "b", "email": "x@y"})
    assert info.value.error_code == 1210
    assert info.value.error_message == (
        "unique constraint violated - in index mail of type persistent over 'email'; conflicting key: a"
    )
    coll.insert({"_key": "c"})  # missing value indexed as null
    with pytest.raises(DocumentInsertError):
        coll.insert({"_key": "d", "email": None})
    coll.update({"_key": "a", "email": "new@y"})
    coll.insert({"_key": "e", "email": "x@y"})
    coll.delete_index(idx["id"])
    coll.insert({"_key": "f", "email": "x@y"})


def test_unique_numbers_compare_by_value(db: StandardDatabase) -> None:
    coll = db.create_collection("c")
    coll.add_index({"type": "persistent", "fields": ["n"], "unique": True})
    coll.insert({"n": 1})
    with pytest.raises(DocumentInsertError):
        coll.insert({"n": 1.0})
    coll.insert({"n": True})
    coll.insert({"n": "1"})


def test_sparse_unique_allows_many_nulls(db: StandardDatabase) -> None:
    coll = db.create_collection("c")
    coll.add_index({"type": "persistent", "fields": ["x"], "unique": True, "sparse": True})
    coll.insert_many([{}, {}, {"x": None}])
    coll.insert({"x": 1})
    with pytest.raises(DocumentInsertError):
        coll.insert({"x": 1})


def test_creating_unique_index_over_duplicates_fails(db: StandardDatabase) -> None:
    coll = db.create_collection("c")
    coll.insert_many([{"v": 1}, {"v": 1}])
    with pytest.raises(IndexCreateError) as info:
        coll.add_index({"type": "persistent", "fields": ["v"], "unique": True})
    assert info.value.error_code == 1210
    assert len(coll.indexes()) == 1


def test_array_expansion_index(db: StandardDatabase) -> None:
    coll = db.create_collection("c")
    coll.add_index({"type": "persistent", "fields": ["tags[*]"], "unique": True})
    coll.insert({"tags": ["a", "b", "a"]})
    with pytest.raises(DocumentInsertError):
        coll.insert({"tags": ["c", "b"]})
    coll.insert({"tags": "not-an-array"})


def test_unsupported_and_invalid_types(db: StandardDatabase) -> None:
    coll = db.create_collection("c")
    for kind in ("inverted", "mdi", "zkd", "vector"):
        with pytest.raises(IndexCreateError) as info:
            coll.add_index({"type": kind, "fields": ["a"]})
        assert info.value.http_code == 501 and info.value.error_code == 9
    with pytest.raises(IndexCreateError) as bad:
        coll.add_index({"type": "nope", "fields": ["a"]})
    assert bad.value.error_code == 10
    with pytest.raises(IndexCreateError):
        coll.add_index({"type": "persistent", "fields": []})


def test_ttl_index_definition(db: StandardDatabase) -> None:
    coll = db.create_collection("c")
    ttl = coll.add_index({"type": "ttl", "fields": ["at"], "expireAfter": 3600})
    assert ttl["type"] == "ttl" and ttl["expireAfter"] == 3600 and ttl["sparse"] is True
    with pytest.raises(IndexCreateError):
        coll.add_index({"type": "ttl", "fields": ["other"], "expireAfter": 1})
    with pytest.raises(IndexCreateError):
        coll.add_index({"type": "ttl", "fields": ["at"], "expireAfter": -1})


def test_get_and_delete_errors(db: StandardDatabase) -> None:
    coll = db.create_collection("c")
    with pytest.raises(IndexGetError) as missing:
        coll.get_index("12345")
    assert missing.value.error_code == 1212
    with pytest.raises(IndexDeleteError) as info:
        coll.delete_index("12345")
    assert info.value.error_code == 1212
    assert coll.delete_index("12345", ignore_missing=True) is False
    assert coll.get_index("0")["type"] == "primary"


def test_wire_shape(raw, db: StandardDatabase) -> None:  # type: ignore[no-untyped-def]
    db.create_collection("products")
    created = raw(
        "post",
        "/_api/index",
        params={"collection": "products"},
        data={"type": "persistent", "fields": ["a"], "sparse": True},
    )
    assert created.status_code == 201
    body = created.body
    assert body["id"].startswith("products/") and body["isNewlyCreated"] is True
    assert {"cacheEnabled", "deduplicate", "estimates", "selectivityEstimate"} <= set(body)
    again = raw(
        "post",
        "/_api/index",
        params={"collection": "products"},
        data={"type": "persistent", "fields": ["a"], "sparse": True},
    )
    assert again.status_code == 200
    listing = raw("get", "/_api/index", params={"collection": "products"}).body
    assert set(listing["identifiers"]) == {i["id"] for i in listing["indexes"]}
    dropped = raw("delete", f"/_api/index/{body['id']}").body
    assert dropped == {"error": False, "code": 200, "id": body["id"]}
    assert raw("get", "/_api/index").body["errorNum"] == 1204
