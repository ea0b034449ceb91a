"""A read-only query first waits a moment for the engine lock (``router.LOCK_PATIENCE``).

When the lock comes free in time the query is served under it, serialised with the writers it
would otherwise compete with for the GIL; when a request holds it longer, the query runs on a
snapshot of its own without waiting for that request to end.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from arango import ArangoClient

from arangolite.client import InProcessHTTPClient
from arangolite.rest import router
from arangolite.storage.engine import Engine
from tests.arangolite.snapshot_trace import trace_snapshot_reads


@pytest.fixture
def traced(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[tuple[Engine, Any, list[str]]]:
    """An on-disk engine with the real patience; the statements its lock-free reads run."""
    monkeypatch.setattr(router, "LOCK_PATIENCE", 0.02)
    engine = Engine(str(tmp_path / "data"))
    statements = trace_snapshot_reads(monkeypatch, engine)
    db = ArangoClient(
        hosts="http://patience.invalid", http_client=InProcessHTTPClient(engine=engine)
    ).db("_system")
    db.create_collection("c").insert({"_key": "k", "v": 1})
    try:
        yield engine, db, statements
    finally:
        engine.close()


def test_with_the_lock_free_a_query_is_served_under_it(traced: tuple[Engine, Any, list[str]]) -> None:
    _, db, statements = traced
    statements.clear()
    assert list(db.aql.execute("FOR d IN c RETURN d.v")) == [1]
    assert statements == []  # no snapshot of its own was read


def test_with_the_lock_held_a_query_runs_on_its_own_snapshot(
    traced: tuple[Engine, Any, list[str]],
) -> None:
    engine, db, statements = traced
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with engine.lock:
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    try:
        statements.clear()
        assert list(db.aql.execute("FOR d IN c RETURN d.v")) == [1]
        assert not release.is_set() and holder.is_alive()  # answered while the lock was held
        assert statements  # read on its own snapshot
    finally:
        release.set()
        holder.join()
