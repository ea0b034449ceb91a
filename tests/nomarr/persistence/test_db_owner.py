"""Database: the connection owner."""

from __future__ import annotations

from nomarr.persistence import Database
from nomarr.persistence.db import Database as DirectDatabase


def test_exposes_one_operations_object_per_collection(nomarr_db: Database) -> None:
    for name in ("libraries", "library_folders", "library_files", "queue", "worker_claims", "tags", "health", "locks", "meta", "stats"):
        assert type(getattr(nomarr_db, name)).__name__.endswith("Operations")
    assert DirectDatabase is Database


def test_context_manager_and_schema_version(open_db, nomarr_db_name: str) -> None:
    with open_db(nomarr_db_name) as db:
        assert db.name == nomarr_db_name
        assert db.schema_version() == db.ensure_schema() >= 1


def test_second_handle_sees_committed_data(nomarr_db: Database, open_db) -> None:
    nomarr_db.meta.set("shared", "yes")
    other = open_db(nomarr_db.name, ensure=False)
    assert other.meta.get("shared") == "yes"
