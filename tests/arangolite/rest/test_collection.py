"""``/_api/collection`` through python-arango."""

from __future__ import annotations

import pytest
from arango.database import StandardDatabase
from arango.exceptions import (
    CollectionConfigureError,
    CollectionCreateError,
    CollectionDeleteError,
    CollectionPropertiesError,
    CollectionRenameError,
)


def test_create_list_and_properties(db: StandardDatabase) -> None:
    db.create_collection("plain", sync=True)
    db.create_collection("links", edge=True)
    names = {c["name"]: c for c in db.collections() if not c["system"]}
    assert names["plain"]["type"] == "document" and names["links"]["type"] == "edge"
    props = db.collection("plain").properties()
    assert props["name"] == "plain" and props["sync"] is True and props["system"] is False
    assert props["key_options"]["key_generator"] == "traditional"
    assert db.has_collection("plain") and not db.has_collection("nope")


def test_duplicate_and_illegal_names(db: StandardDatabase) -> None:
    db.create_collection("c")
    with pytest.raises(CollectionCreateError) as info:
        db.create_collection("c")
    assert info.value.error_code == 1207 and info.value.http_code == 409
    for bad in ("1abc", " ab", "_sys", "x" * 300, "a/b", "a\x01b"):
        with pytest.raises(CollectionCreateError) as bad_info:
            db.create_collection(bad)
        assert bad_info.value.error_code == 1208
    assert db.create_collection("_mine", system=True).name == "_mine"


def test_key_generators(db: StandardDatabase) -> None:
    auto = db.create_collection(
        "auto", key_generator="autoincrement", key_increment=5, key_offset=10
    )
    keys = [auto.insert({})["_key"] for _ in range(3)]
    assert keys == ["10", "15", "20"]
    padded = db.create_collection("padded", key_generator="padded")
    pk = [padded.insert({})["_key"] for _ in range(2)]
    assert len(pk[0]) == 16 and pk[0] < pk[1]
    uuid_coll = db.create_collection("uuids", key_generator="uuid")
    assert len(uuid_coll.insert({})["_key"]) == 36
    strict = db.create_collection("strict", user_keys=False)
    with pytest.raises(Exception) as info:
        strict.insert({"_key": "mine"})
    assert getattr(info.value, "error_code", None) == 1222


def test_traditional_keys_track_numeric_user_keys(db: StandardDatabase) -> None:
    coll = db.create_collection("c")
    coll.insert({"_key": "99999999999"})
    assert int(coll.insert({})["_key"]) > 99999999999


def test_count_truncate_figures_revision_checksum(db: StandardDatabase, raw) -> None:  # type: ignore[no-untyped-def]
    coll = db.create_collection("c")
    coll.insert_many([{"v": i} for i in range(5)])
    assert coll.count() == 5
    before = coll.checksum()
    assert coll.checksum() == before
    coll.insert({"v": 6})
    assert coll.checksum() != before
    assert coll.revision() != "0"
    assert coll.statistics()["indexes"]["count"] == 1
    coll.truncate()
    assert coll.count() == 0 and coll.checksum() == "0"
    assert raw("put", "/_api/collection/c/load").body["count"] == 0
    assert raw("put", "/_api/collection/c/unload").body["name"] == "c"
    assert coll.recalculate_count()


def test_configure(db: StandardDatabase) -> None:
    coll = db.create_collection("c")
    assert coll.configure(sync=True)["sync"] is True
    assert coll.properties()["sync"] is True
    schema = {"rule": {"type": "object"}, "level": "strict", "message": "no", "type": "json"}
    assert coll.configure(schema=schema)["schema"] == schema
    with pytest.raises(CollectionConfigureError) as info:
        coll.configure(schema={"rule": {"type": 3}})
    assert info.value.error_code == 1621


def test_rename(db: StandardDatabase) -> None:
    coll = db.create_collection("old")
    coll.insert({"_key": "k"})
    db.create_collection("taken")
    with pytest.raises(CollectionRenameError) as info:
        coll.rename("taken")
    assert info.value.error_code == 1207
    coll.rename("new")
    assert coll.rename("new") is True  # to its own name: nothing to do, as in ArangoDB
    assert db.collection("new").get("k")["_id"] == "new/k"
    with pytest.raises(CollectionPropertiesError) as missing:
        db.collection("old").properties()
    assert missing.value.error_code == 1203


def test_drop(db: StandardDatabase) -> None:
    db.create_collection("c")
    assert db.delete_collection("c")
    with pytest.raises(CollectionDeleteError) as info:
        db.delete_collection("c")
    assert info.value.error_code == 1203
    assert db.delete_collection("c", ignore_missing=True) is False
    db.create_collection("_sys", system=True)
    with pytest.raises(CollectionDeleteError):
        db.delete_collection("_sys")
    assert db.delete_collection("_sys", system=True)


def test_numeric_id_addresses_collection(db: StandardDatabase, raw) -> None:  # type: ignore[no-untyped-def]
    created = db.create_collection("c").properties()
    body = raw("get", f"/_api/collection/{created['id']}").body
    assert body["name"] == "c" and body["status"] == 3


def test_wire_shape_of_create(raw) -> None:  # type: ignore[no-untyped-def]
    resp = raw("post", "/_api/collection", data={"name": "shape", "type": 3})
    assert resp.status_code == 200
    body = resp.body
    for key in (
        "error",
        "code",
        "id",
        "name",
        "type",
        "status",
        "isSystem",
        "waitForSync",
        "keyOptions",
        "globallyUniqueId",
        "schema",
        "computedValues",
    ):
        assert key in body
    assert body["type"] == 3 and body["keyOptions"] == {
        "allowUserKeys": True,
        "type": "traditional",
        "lastValue": 0,
    }
    bad = raw("post", "/_api/collection", data={"name": "t", "type": 7})
    assert bad.body["errorNum"] == 1218
