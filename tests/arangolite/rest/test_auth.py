"""Authentication and permissions of ``arangolite serve``, over real sockets with python-arango."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import jwt
import pytest
import requests
from arango.client import ArangoClient
from arango.exceptions import (
    AQLQueryExecuteError,
    ArangoServerError,
    CollectionCreateError,
    CollectionListError,
    DocumentInsertError,
    JWTAuthError,
    ServerVersionError,
    UserCreateError,
)

from arangolite.rest.auth import Guard
from arangolite.rest.auth_users import users_of
from arangolite.server import ArangoliteServer
from arangolite.storage.engine import Engine

SECRET = "a-test-secret-of-at-least-32-bytes!"


@pytest.fixture
def url() -> Iterator[str]:
    engine = Engine(None)
    users_of(engine).set_password("root", "pw")
    server = ArangoliteServer(0, engine, authenticate=Guard(engine, SECRET))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    engine.close()


def _superuser_token(exp: int = 3600) -> str:
    now = int(time.time())
    claims = {"iat": now, "exp": now + exp, "iss": "arangodb", "server_id": "client"}
    return jwt.encode(claims, SECRET, algorithm="HS256")


def test_basic_auth_jwt_login_and_superuser_token(url: str) -> None:
    client = ArangoClient(hosts=url)
    assert client.db("_system", "root", "pw", verify=True).version()
    assert client.db("_system", "root", "pw", auth_method="jwt", verify=True).version()
    assert client.db("_system", superuser_token=_superuser_token(), verify=True).version()
    with pytest.raises(JWTAuthError) as info:
        client.db("_system", "root", "wrong", auth_method="jwt")
    assert info.value.http_code == 401


@pytest.mark.parametrize(
    "path",
    [
        "/_api/version",
        "/_api/collection",
        "/_api/cursor",
        "/_api/user",
        "/_api/database",
        "/_db/_system/_api/document/x/y",
        "/_api/gharial",
        "/_api/index?collection=x",
    ],
)
def test_every_endpoint_family_refuses_bad_credentials(url: str, path: str) -> None:
    for auth in (None, ("root", "wrong"), ("nobody", "pw")):
        answer = requests.get(url + path, auth=auth, timeout=10)
        assert answer.status_code == 401
        assert answer.json()["errorNum"] == 11
    expired = {"Authorization": f"bearer {_superuser_token(exp=-100)}"}
    answer = requests.get(url + path, headers=expired, timeout=10)
    assert (answer.status_code, answer.json()["errorNum"]) == (401, 11)
    assert requests.get(url + path, auth=("root", "pw"), timeout=10).status_code != 401


def test_expired_superuser_token_is_refused(url: str) -> None:
    db = ArangoClient(hosts=url).db("_system", superuser_token=_superuser_token(exp=-100))
    with pytest.raises(ServerVersionError) as info:
        db.version()
    assert info.value.error_code == 11


def test_database_and_collection_permissions_are_enforced(url: str) -> None:
    client = ArangoClient(hosts=url)
    sys_db = client.db("_system", "root", "pw")
    sys_db.create_database("shop", users=[{"username": "ann", "password": "a1"}])
    ann = client.db("shop", "ann", "a1")
    ann.create_collection("items").insert({"_key": "1"})
    ann.create_collection("audit")
    assert sys_db.permission("ann", "shop") == "rw"
    with pytest.raises(UserCreateError) as user_info:
        client.db("_system", "ann", "a1").create_user("eve", "x")
    assert user_info.value.http_code == 401  # no access to _system at all

    sys_db.update_permission("ann", "ro", "shop", "items")
    assert ann.collection("items").get("1") is not None
    with pytest.raises(DocumentInsertError) as insert_info:
        ann.collection("items").insert({})
    assert (insert_info.value.http_code, insert_info.value.error_code) == (403, 11)
    ann.collection("audit").insert({})

    sys_db.update_permission("ann", "ro", "shop")
    with pytest.raises(CollectionCreateError) as create_info:
        ann.create_collection("more")
    assert create_info.value.http_code == 403

    sys_db.reset_permission("ann", "shop")
    with pytest.raises(CollectionListError) as list_info:
        ann.collections()
    assert list_info.value.http_code == 401


def test_users_survive_a_restart(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = Engine(str(tmp_path))
    users_of(engine).create("bob", "b0b", True, {"team": "x"})
    users_of(engine).grant("bob", "_system", None, "ro")
    engine.close()
    engine = Engine(str(tmp_path))
    try:
        assert users_of(engine).verify("bob", "b0b")
        assert not users_of(engine).verify("bob", "wrong")
        assert users_of(engine).database_level("bob", "_system") == "ro"
        assert users_of(engine).get("bob")["extra"] == {"team": "x"}
    finally:
        engine.close()


@pytest.mark.parametrize("on_disk", [False, True])
def test_grants_leave_the_stored_user_document_as_it_was(tmp_path, on_disk: bool) -> None:  # type: ignore[no-untyped-def]
    """A grant or reset writes a new document: the stored one (shared with the document cache,
    kept scans and, in memory, the collection itself) is never changed in place."""
    engine = Engine(str(tmp_path) if on_disk else None)
    try:
        engine.database("_system").create_collection("c")
        users = users_of(engine)
        users.create("bob", "b0b", True)
        users.grant("bob", "_system", None, "ro")
        before = users.get("bob")
        users.grant("bob", "_system", "c", "rw")
        users.grant("bob", "_system", None, "rw")
        assert before["databases"] == {"_system": {"permission": "ro"}}
        after = users.get("bob")
        users.reset("bob", "_system", None)
        assert after["databases"] == {"_system": {"permission": "rw", "collections": {"c": "rw"}}}
        assert users.get("bob")["databases"] == {"_system": {"collections": {"c": "rw"}}}
        before = users.get("bob")
        users.create_token("bob", "t", time.time() + 60)
        assert before["tokens"] == [] and len(users.get("bob")["tokens"]) == 1
    finally:
        engine.close()


def test_echo_and_routing_for_any_user_recording_api_for_admins(url: str) -> None:
    client = ArangoClient(hosts=url)
    sys_db = client.db("_system", "root", "pw")
    sys_db.create_database("echoes", users=[{"username": "bob", "password": "b1"}])
    bob = client.db("echoes", "bob", "b1")
    assert bob.echo("hello")["requestBody"] == "hello"
    assert bob.reload_routing() is True
    bob_sys = client.db("_system", "bob", "b1")
    sys_db.update_permission("bob", "ro", "_system")
    for call in (bob_sys.api_calls, bob_sys.aql.history):
        with pytest.raises(ArangoServerError) as info:
            call()
        assert (info.value.http_code, info.value.error_code) == (403, 11)
    assert isinstance(sys_db.aql.history()["queries"], list)


def test_aql_checks_each_collection_it_names(url: str) -> None:
    client = ArangoClient(hosts=url)
    sys_db = client.db("_system", "root", "pw")
    sys_db.create_database("lib", users=[{"username": "cy", "password": "c1"}])
    root_lib = client.db("lib", "root", "pw")
    root_lib.create_collection("items").insert({"_key": "1"})
    root_lib.create_collection("secret").insert({"_key": "s"})
    sys_db.update_permission("cy", "ro", "lib", "items")
    sys_db.update_permission("cy", "none", "lib", "secret")
    cy = client.db("lib", "cy", "c1")
    assert list(cy.aql.execute("FOR d IN items RETURN d._key")) == ["1"]
    for query, binds in (
        ("FOR d IN secret RETURN d", {}),
        ("FOR d IN @@c RETURN d", {"@c": "secret"}),
        ("INSERT {} INTO items", {}),
    ):
        with pytest.raises(AQLQueryExecuteError) as info:
            cy.aql.execute(query, bind_vars=binds)
        assert (info.value.http_code, info.value.error_code) == (403, 11), query
    assert root_lib.collection("items").count() == 1
