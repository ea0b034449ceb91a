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
    for method, path in (("get", "/_api/view"), ("get", "/_api/tasks"),
                         ("get", "/_api/replication/inventory")):
        resp = raw(method, path, data={} if method == "post" else None)
        assert resp.status_code == 501 and resp.body["errorNum"] == 9, path
    assert db.aql.functions() == []


def test_route_table_prefers_first_registration_and_reports_other_methods() -> None:
    from arangolite.rest.routes import RouteTable

    def a() -> None: ...
    def b() -> None: ...
    def c() -> None: ...

    table = RouteTable()
    table.add("GET", "/_api/x/{name}/{sub}", a)
    table.add("GET", "/_api/x/{name}/props", b)
    table.add("PUT", "/_api/x/{name}/props", c)
    assert table.find("GET", ["_api", "x", "n", "props"]) == (a, {"name": "n", "sub": "props"})
    assert table.find("PUT", ["_api", "x", "n", "props"]) == (c, {"name": "n"})
    assert table.find("DELETE", ["_api", "x", "n", "props"]) is True  # 405
    assert table.find("GET", ["_api", "x", "n"]) is False  # 404
    assert table.find("GET", ["_api", "y"]) is False


def test_maintenance_runs_on_schedule_not_per_request(engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import time

    from arangolite.rest import maintenance

    calls = []
    real = engine.maintenance
    monkeypatch.setattr(engine, "maintenance", lambda: (calls.append(1), real())[1])
    db = engine.database("_system")
    db.create_collection("s")
    for _ in range(50):
        maintenance.run_due(engine)
    assert len(calls) == 1
    db.ensure_index("s", {"type": "ttl", "fields": ["at"], "expireAfter": 0})
    maintenance.reschedule(engine)  # as POST /_api/index does for a new TTL index
    maintenance.run_due(engine)
    trx = db.begin()
    trx.collection("s").insert({"_key": "gone", "at": time.time() - 1})
    trx.commit()
    maintenance.run_due(engine)  # the TTL index says a document expired: swept at once
    assert len(calls) == 2 and not db.collections["s"].state.count()
