"""Bad input raises the documented exception, with a clear message, and changes nothing."""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from typing import Any

import pytest

from nomarr.helpers.dto import LibraryCreate, LibraryFileCreate, LibraryUpdate, TagValue
from nomarr.helpers.errors import (
    BindVarsNotSerializableError,
    DocumentNotFoundError,
    DuplicateKeyError,
    InvalidKeyError,
    NomarrError,
)
from nomarr.persistence import Database
from nomarr.persistence.schema import collection_names

pytestmark = pytest.mark.nomarr_both_apis  # each test runs on Database, then on AsyncDatabase

BAD_KEYS = ["", "x" * 255, "a/b", "..", "has space", "nul\x00", "x' || true //", '"; REMOVE x IN y //', "../../etc/passwd", "tab\there"]

CallsWithKey = Callable[[Database, str], Any]

KEYED_CALLS: dict[str, CallsWithKey] = {
    "libraries.create": lambda db, k: db.libraries.create(LibraryCreate(name="n", root_path="/"), key=k),
    "libraries.get": lambda db, k: db.libraries.get(k),
    "libraries.update": lambda db, k: db.libraries.update(k, LibraryUpdate(name="x")),
    "libraries.delete": lambda db, k: db.libraries.delete(k),
    "library_folders.upsert": lambda db, k: db.library_folders.upsert(k, "/p"),
    "library_folders.delete": lambda db, k: db.library_folders.delete(k),
    "library_files.upsert_batch": lambda db, k: db.library_files.upsert_batch(
        [LibraryFileCreate(library_key=k, path="/a", size=1, mtime_ms=1)]
    ),
    "library_files.get": lambda db, k: db.library_files.get(k),
    "library_files.mark_discovered": lambda db, k: db.library_files.mark_discovered(["ok", k]),
    "library_files.update_status": lambda db, k: db.library_files.update_status(k, "x"),
    "library_files.delete_folder_files": lambda db, k: db.library_files.delete_folder_files(k),
    "library_files.get_pending_files": lambda db, k: db.library_files.get_pending_files(k),
    "queue.get": lambda db, k: db.queue.get(k),
    "queue.complete": lambda db, k: db.queue.complete(k),
    "worker_claims.try_claim": lambda db, k: db.worker_claims.try_claim(k, "w"),
    "worker_claims.release": lambda db, k: db.worker_claims.release(k),
    "tags.set_file_tags": lambda db, k: db.tags.set_file_tags(k, [TagValue(name="a", value="b")]),
    "tags.get_file_tags": lambda db, k: db.tags.get_file_tags(k),
    "health.record_heartbeat": lambda db, k: db.health.record_heartbeat(k),
    "locks.acquire": lambda db, k: db.locks.acquire("target", k, ttl_s=5),
    "meta.set": lambda db, k: db.meta.set(k, 1),
    "stats.refresh": lambda db, k: db.stats.refresh(k),
}


def _counts(db: Database) -> dict[str, int]:
    return {name: db._collections.count(name) for name in collection_names()}


@pytest.mark.parametrize("bad", BAD_KEYS)
@pytest.mark.parametrize("call", list(KEYED_CALLS), ids=list(KEYED_CALLS))
def test_invalid_keys_are_refused_before_any_query(nomarr_db: Database, call: str, bad: str) -> None:
    before = _counts(nomarr_db)
    with pytest.raises(InvalidKeyError) as info:
        KEYED_CALLS[call](nomarr_db, bad)
    assert str(info.value).startswith("invalid document key: ")
    assert _counts(nomarr_db) == before


NON_JSON: dict[str, tuple[Callable[[Database], Any], str]] = {
    "file metadata": (
        lambda db: db.library_files.upsert_batch(
            [LibraryFileCreate(library_key="lib", path="/a", size=1, mtime_ms=1, metadata={"tags": ["a", {1}]})]
        ),
        "bind_vars['files'][0]['metadata']['tags'][1]",
    ),
    "job payload": (lambda db: db.queue.enqueue("scan", {"at": datetime.datetime.now()}), "bind_vars['doc']['payload']['at']"),
    "heartbeat info": (lambda db: db.health.record_heartbeat("w", info={"load": math.inf}), "bind_vars['info']['load']"),
    "meta value": (lambda db: db.meta.set("k", {1: "int key"}), "bind_vars['value']"),
}


@pytest.mark.parametrize("case", list(NON_JSON), ids=list(NON_JSON))
def test_non_json_values_name_their_path(nomarr_db: Database, case: str) -> None:
    call, path = NON_JSON[case]
    before = _counts(nomarr_db)
    with pytest.raises(BindVarsNotSerializableError) as info:
        call(nomarr_db)
    assert isinstance(info.value, TypeError)
    assert str(info.value).startswith(f"value is not JSON-serialisable: {path} (")
    assert _counts(nomarr_db) == before


MISSING: dict[str, Callable[[Database], Any]] = {
    "libraries.get": lambda db: db.libraries.get("missing"),
    "library_folders.get": lambda db: db.library_folders.get("missing"),
    "library_files.get": lambda db: db.library_files.get("missing"),
    "library_files.get_by_path": lambda db: db.library_files.get_by_path("lib", "/missing"),
    "library_files.update_status": lambda db: db.library_files.update_status("missing", "x"),
    "queue.get": lambda db: db.queue.get("missing"),
    "queue.fail": lambda db: db.queue.fail("missing", "e"),
    "tags.set_file_tags": lambda db: db.tags.set_file_tags("missing", [TagValue(name="a", value="b")]),
    "tags.get": lambda db: db.tags.get("a", "b"),
    "stats.refresh": lambda db: db.stats.refresh("missing"),
}


@pytest.mark.parametrize("call", list(MISSING), ids=list(MISSING))
def test_missing_documents(nomarr_db: Database, call: str) -> None:
    before = _counts(nomarr_db)
    with pytest.raises(DocumentNotFoundError) as info:
        MISSING[call](nomarr_db)
    assert str(info.value).startswith("document not found: ")
    assert "missing" in str(info.value) or "a=b" in str(info.value) or "/missing" not in str(info.value)
    assert _counts(nomarr_db) == before


def test_duplicate_inserts(nomarr_db: Database) -> None:
    nomarr_db.libraries.create(LibraryCreate(name="A", root_path="/a"), key="dup")
    before = _counts(nomarr_db)
    with pytest.raises(DuplicateKeyError, match=r"^document already exists: libraries\.create: .*\[ArangoDB error 1210, HTTP 409\]"):
        nomarr_db.libraries.create(LibraryCreate(name="B", root_path="/b"), key="dup")
    assert nomarr_db.worker_claims.try_claim("f", "w1") is not None
    assert nomarr_db.worker_claims.try_claim("f", "w2") is None
    assert _counts(nomarr_db)["libraries"] == before["libraries"]


def test_every_failure_is_a_nomarr_error(nomarr_db: Database) -> None:
    for call in [*MISSING.values(), *(c for c, _ in NON_JSON.values())]:
        with pytest.raises(NomarrError):
            call(nomarr_db)
