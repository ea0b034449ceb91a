"""cluster_rules mode: the errors a cluster raises where a single server does not."""

from __future__ import annotations

from typing import Any

import pytest
from arango.client import ArangoClient
from arango.exceptions import ArangoServerError

from arangolite import cluster_rules
from arangolite.client import InProcessHTTPClient


def _db(rules: bool) -> Any:
    transport = InProcessHTTPClient(None)
    if rules:
        cluster_rules.enable(transport)
    client = ArangoClient(hosts="http://arangolite.invalid", http_client=transport)
    sys_db = client.db("_system", username="root", password="")
    sys_db.create_database("c")
    db = client.db("c", username="root", password="")
    db.create_collection("by_key", shard_count=3)
    db.create_collection("by_country", shard_count=3, shard_fields=["country"])
    return db


def _error(action: Any) -> tuple[int, int]:
    with pytest.raises(ArangoServerError) as info:
        action()
    return info.value.error_code, info.value.http_code


def test_a_unique_index_must_include_the_shard_keys() -> None:
    db = _db(rules=True)
    assert _error(lambda: db.collection("by_key").add_index({"type": "persistent", "fields": ["name"], "unique": True})) == (1470, 501)
    assert _error(lambda: db.collection("by_country").add_index({"type": "persistent", "fields": ["name"], "unique": True}))[0] == 1470
    db.collection("by_key").add_index({"type": "persistent", "fields": ["name"]})  # not unique: fine
    db.collection("by_key").add_index({"type": "persistent", "fields": ["_key", "name"], "unique": True})
    db.collection("by_country").add_index({"type": "persistent", "fields": ["country", "name"], "unique": True})


def test_no_custom_key_where_another_attribute_shards() -> None:
    db = _db(rules=True)
    assert _error(lambda: db.collection("by_country").insert({"_key": "k", "country": "fr"})) == (1466, 400)
    assert _error(lambda: db.collection("by_country").insert_many([{"country": "fr"}, {"_key": "k"}]))[0] == 1466
    meta = db.collection("by_country").insert({"country": "fr"})
    db.collection("by_key").insert({"_key": "mine"})  # sharded by _key: custom keys are fine
    assert _error(lambda: db.collection("by_country").update({"_key": meta["_key"], "country": "de"})) == (1469, 400)
    db.collection("by_country").update({"_key": meta["_key"], "country": "fr", "x": 1})  # same value: fine


def test_shard_keys_are_checked_at_creation() -> None:
    db = _db(rules=True)
    assert _error(lambda: db.create_collection("bad", shard_fields=["_id"]))[0] == 10


def test_a_single_server_allows_all_of_it() -> None:
    db = _db(rules=False)
    db.collection("by_key").add_index({"type": "persistent", "fields": ["name"], "unique": True})
    db.collection("by_country").insert({"_key": "k", "country": "fr"})
    db.collection("by_country").update({"_key": "k", "country": "de"})
