"""Routing, error bodies, the version endpoint and the in-process client plumbing."""

from __future__ import annotations

from arango.database import StandardDatabase


def test_version(db: StandardDatabase, raw) -> None:  # type: ignore[no-untyped-def]
    assert db.version() == "3.12.4"
    body = raw("get", "/_api/version").body
    assert body == {"server": "arango", "version": "3.12.4", "license": "community"}
    assert "details" in db.version(details=True) or isinstance(db.version(details=True), dict)


def test_unknown_path_and_method(raw) -> None:  # type: ignore[no-untyped-def]
    resp = raw("get", "/_api/nothing/here")
    assert resp.status_code == 404 and resp.body["errorNum"] == 404
    assert resp.body["errorMessage"] == "unknown path '/_api/nothing/here'"
    wrong = raw("patch", "/_api/version")
    assert wrong.status_code == 405 and wrong.body["errorNum"] == 405


def test_bad_json_is_600(raw, db: StandardDatabase) -> None:  # type: ignore[no-untyped-def]
    db.create_collection("c")
    resp = raw("post", "/_api/document/c", data='{ 1: "World" }')
    assert resp.status_code == 400 and resp.body["errorNum"] == 600


def test_ping_and_server_info(db: StandardDatabase) -> None:
    assert db.conn.ping() == 200
    assert db.engine()["name"] == "rocksdb"
    assert db.role() == "SINGLE"


def test_url_encoded_keys(db: StandardDatabase) -> None:
    coll = db.create_collection("c")
    coll.insert({"_key": "50%"})
    assert coll.get("50%")["_key"] == "50%"
    assert coll.has("50%")


def test_connect_helper(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import arangolite

    shop = arangolite.connect(str(tmp_path / "data"), "shop")
    shop.create_collection("c").insert({"_key": "k"})
    again = arangolite.connect(str(tmp_path / "data"), "shop")
    assert again.collection("c").get("k")["_key"] == "k"
    mem = arangolite.connect()
    assert mem.name == "_system"
    from arangolite.storage.engine import open_engine

    open_engine(str(tmp_path / "data")).close()


def test_unsupported_apis_are_501(raw, db: StandardDatabase) -> None:  # type: ignore[no-untyped-def]
    for method, path in (("get", "/_api/view"), ("post", "/_api/analyzer"), ("get", "/_api/tasks"),
                         ("post", "/_api/aqlfunction"), ("get", "/_api/replication/inventory")):
        resp = raw(method, path, data={} if method == "post" else None)
        assert resp.status_code == 501 and resp.body["errorNum"] == 9, path
    assert db.aql.functions() == []
