"""The schema is data; ensure_schema is idempotent and migrates forward."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from nomarr.helpers.errors import MigrationError
from nomarr.persistence import Database, schema
from nomarr.persistence.migrations import MIGRATIONS, Migration
from nomarr.persistence.schema import COLLECTIONS, IndexSpec, ensure_schema, schema_version


def test_names_are_declared_literally_once() -> None:
    tree = ast.parse(Path(schema.__file__).read_text())
    literal = [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "CollectionSpec"
        and node.args and isinstance(node.args[0], ast.Constant)
    ]
    constants = {getattr(schema, name) for name in schema.__all__ if name.isupper() and name not in ("COLLECTIONS", "SCHEMA_VERSION_KEY")}
    assert sorted(literal) == sorted(spec.name for spec in COLLECTIONS)
    assert len(set(literal)) == len(literal)
    assert constants == set(literal)


def test_no_unique_secondary_indexes_so_clusters_accept_them() -> None:
    assert not any(index.unique for spec in COLLECTIONS for index in spec.indexes)


def test_index_definitions() -> None:
    assert IndexSpec(("a", "b.c")).definition() == {
        "type": "persistent", "fields": ["a", "b.c"], "name": "idx_a_b_c", "unique": False, "sparse": False,
    }
    assert IndexSpec(("expires_at",), type="ttl", expire_after=0).definition() == {
        "type": "ttl", "fields": ["expires_at"], "name": "ttl_expires_at", "expireAfter": 0,
    }


def test_ensure_schema_creates_everything_and_is_idempotent(nomarr_db: Database) -> None:
    raw = nomarr_db.connection.db
    for spec in COLLECTIONS:
        assert raw.has_collection(spec.name)
        props = raw.collection(spec.name).properties()
        assert props["edge"] == spec.edge
        names = {index["name"] for index in raw.collection(spec.name).indexes()}
        assert {index.name for index in spec.indexes} <= names
    before = {spec.name: len(raw.collection(spec.name).indexes()) for spec in COLLECTIONS}
    assert ensure_schema(raw) == ensure_schema(raw) == MIGRATIONS[-1].version
    assert before == {spec.name: len(raw.collection(spec.name).indexes()) for spec in COLLECTIONS}


def test_ttl_index_is_declared_on_lock_expiry(nomarr_db: Database) -> None:
    indexes = nomarr_db.connection.db.collection("locks").indexes()
    ttl = [index for index in indexes if index["type"] == "ttl"]
    assert ttl and ttl[0]["fields"] == ["expires_at"]


def test_migrations_run_in_order_once_and_are_recorded(nomarr_db: Database) -> None:
    raw = nomarr_db.connection.db
    ran: list[int] = []
    steps = [
        *MIGRATIONS,
        Migration(3, "third", lambda db: ran.append(3)),
        Migration(2, "second", lambda db: ran.append(2)),
    ]
    assert ensure_schema(raw, steps) == 3
    assert ensure_schema(raw, steps) == 3
    assert ran == [2, 3]
    assert schema_version(raw) == 3
    assert nomarr_db.meta.get("migration:0002")["name"] == "second"


def test_failed_migration_stops_and_is_not_recorded(nomarr_db: Database) -> None:
    def broken(db: object) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(MigrationError, match=r"migration 2 \(broken\): RuntimeError: disk full"):
        ensure_schema(nomarr_db.connection.db, [*MIGRATIONS, Migration(2, "broken", broken)])
    assert nomarr_db.schema_version() == 1


def test_newer_database_is_refused(nomarr_db: Database) -> None:
    nomarr_db.meta.set("schema_version", 99)
    with pytest.raises(MigrationError, match="schema version 99"):
        nomarr_db.ensure_schema()
