"""Read-only queries on a snapshot of their own (storage.snapshot_read): what they read.

Counting a collection reads a statement (the store's kept count since format 6; before, a
``COUNT(*)`` over all its documents), so a query run without the engine lock takes the engine's
count when the engine's pinned snapshot is the query's own, and gives the engine the count it
read otherwise; a snapshot newer than the engine's counts for itself.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from arango import ArangoClient

from arangolite.client import InProcessHTTPClient
from arangolite.rest.cursor import store_for
from arangolite.storage.engine import Engine
from tests.arangolite.snapshot_trace import trace_snapshot_reads


def _db(engine: Engine) -> Any:
    client = ArangoClient(hosts="http://snap.invalid", http_client=InProcessHTTPClient(engine=engine))
    return client.db("_system", username="root", password="")


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[tuple[Engine, list[str]]]:
    """An on-disk engine whose snapshot reads' statements are recorded."""
    engine = Engine(str(tmp_path / "data"))
    traced = trace_snapshot_reads(monkeypatch, engine)
    try:
        yield engine, traced
    finally:
        engine.close()


def _length(db: Any, traced: list[str]) -> tuple[int, int]:
    """LENGTH(c) through a lock-free query, and how many statements read a count (the store's
    kept count, format 6)."""
    traced.clear()
    (n,) = list(db.aql.execute("RETURN LENGTH(c)"))
    return n, sum("COUNT(*)" in sql or "FROM counts" in sql for sql in traced)


def test_a_snapshot_query_counts_a_collection_once(counted: tuple[Engine, list[str]]) -> None:
    engine, traced = counted
    db = _db(engine)
    coll = db.create_collection("c")
    coll.import_bulk([{"_key": f"k{i}"} for i in range(400)])
    assert _length(db, traced) == (400, 1)  # counted once, and the engine keeps it
    assert _length(db, traced) == (400, 0)
    coll.insert_many([{"_key": f"n{i}"} for i in range(5)])
    coll.delete("k0")
    assert _length(db, traced) == (404, 0)  # the engine's count followed its commits


def test_a_snapshot_newer_than_the_engine_counts_itself(
    counted: tuple[Engine, list[str]], tmp_path: Path
) -> None:
    engine, traced = counted
    db = _db(engine)
    db.create_collection("c").import_bulk([{"_key": f"k{i}"} for i in range(300)])
    assert _length(db, traced) == (300, 1)
    other = Engine(str(tmp_path / "data"))  # another engine commits; this one has not caught up
    try:
        _db(other).collection("c").import_bulk([{"_key": f"o{i}"} for i in range(7)])
    finally:
        other.close()
    assert _length(db, traced) == (307, 1)  # its own snapshot, its own count
    db.collection("c").insert({"_key": "late"})  # a locked request: the engine catches up
    assert _length(db, traced) == (308, 0)


def test_an_abandoned_streaming_cursor_ends_its_snapshot_when_it_expires(
    counted: tuple[Engine, list[str]],
) -> None:
    """No request follows, yet the snapshot ends: it holds a pooled connection and keeps SQLite's
    write-ahead log from starting over."""
    engine, _ = counted
    db = _db(engine)
    db.create_collection("c").import_bulk([{"_key": f"k{i}"} for i in range(50)])
    cursor = db.aql.execute("FOR d IN c RETURN d._key", stream=True, batch_size=5, ttl=0.2)
    assert cursor.has_more()
    store = store_for(engine)
    (held,) = store.cursors.values()
    assert held.lock_free and held.stream is not None
    deadline = time.monotonic() + 10
    while store.cursors and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not store.cursors  # expired and closed without another request
    assert held.stream._trx.status != "running"  # its snapshot ended
