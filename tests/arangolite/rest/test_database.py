"""``/_api/database`` through python-arango."""

from __future__ import annotations

import pytest
from arango.database import StandardDatabase
from arango.exceptions import DatabaseCreateError, DatabaseDeleteError, DatabaseListError

import arangolite


def test_create_list_drop(sys_db: StandardDatabase, client) -> None:  # type: ignore[no-untyped-def]
    assert sys_db.create_database("shop")
    assert "shop" in sys_db.databases()
    assert sys_db.has_database("shop")
    shop = client.db("shop")
    assert shop.properties()["name"] == "shop"
    assert shop.properties()["system"] is False
    assert sys_db.delete_database("shop")
    assert not sys_db.has_database("shop")
    with pytest.raises(DatabaseDeleteError) as info:
        sys_db.delete_database("shop")
    assert info.value.error_code == 1228
    assert sys_db.delete_database("shop", ignore_missing=True) is False


def test_errors(sys_db: StandardDatabase, db: StandardDatabase) -> None:
    with pytest.raises(DatabaseCreateError) as dup:
        sys_db.create_database(db.name)
    assert dup.value.error_code == 1207
    for bad in ("1x", "a:b", "_x", "", "a/b"):
        with pytest.raises(DatabaseCreateError) as invalid:
            sys_db.create_database(bad)
        assert invalid.value.error_code == 1229
    with pytest.raises(DatabaseListError) as not_system:
        db.databases()
    assert not_system.value.error_code == 1230
    with pytest.raises(DatabaseDeleteError):
        sys_db.delete_database("_system")


def test_unknown_database_is_1228(client) -> None:  # type: ignore[no-untyped-def]
    ghost = client.db("ghost")
    with pytest.raises(Exception) as info:
        ghost.collections()
    assert getattr(info.value, "error_code", None) == 1228


def test_dropping_database_drops_its_data(sys_db: StandardDatabase, client) -> None:  # type: ignore[no-untyped-def]
    sys_db.create_database("tmp")
    client.db("tmp").create_collection("c").insert({"_key": "k"})
    sys_db.delete_database("tmp")
    sys_db.create_database("tmp")
    assert not client.db("tmp").has_collection("c")


def test_current_and_user_databases(db: StandardDatabase, raw) -> None:  # type: ignore[no-untyped-def]
    current = raw("get", "/_api/database/current").body["result"]
    assert current["name"] == db.name and current["isSystem"] is False
    assert db.name in raw("get", "/_api/database/user").body["result"]


def test_extended_unicode_names(sys_db: StandardDatabase) -> None:
    for name in ("maçã", "😀", "かわいい犬", "a b"):
        assert sys_db.create_database(name)
        coll = arangolite.connect(engine=sys_db._conn._http.engine, db_name=name).create_collection(name)
        assert coll.name == name
        assert sys_db.delete_database(name)
