"""A big commit prepares its rows with the engine lock let go (``Transaction.commit``): only on
disk and from ``PREPARE_AHEAD`` writes, with the garbage collector paused, and it stops with
ArangoDB's error when the engine closed or a collection it writes was dropped meanwhile
(nothing written)."""

from __future__ import annotations

import gc
import threading
from pathlib import Path
from typing import Any

import pytest

from arangolite.aql.executor import execute
from arangolite.errors import ArangoError
from arangolite.storage import persistence
from arangolite.storage.engine import Engine
from arangolite.storage.transactions import PREPARE_AHEAD, Transaction
from tests.arangolite.rest.background import joined


def _watched(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> list[tuple[bool, bool]]:
    """Each ``prepare`` call noted as (engine lock free, collector enabled)."""
    calls: list[tuple[bool, bool]] = []
    prepare = persistence.EnginePersistence.prepare

    def watched(self: Any, overlays: Any) -> Any:
        free = engine.lock.acquire(blocking=False)
        if free:
            engine.lock.release()
        calls.append((free, gc.isenabled()))
        return prepare(self, overlays)

    monkeypatch.setattr(persistence.EnginePersistence, "prepare", watched)
    return calls


def big_transaction(engine: Engine, count: int, prefix: str = "k") -> Transaction:
    """A transaction that inserted ``count`` documents ``{prefix}{i}``, ``v: i``, into ``c``
    (made first, with a persistent index on ``v``), not committed yet."""
    db = engine.database("_system")
    if "c" not in db.collections:
        db.create_collection("c")
        db.ensure_index("c", {"type": "persistent", "fields": ["v"]})
    trx = db.begin(write=["c"])
    handle = trx.collection("c")
    for i in range(count):
        handle.insert({"_key": f"{prefix}{i}", "v": i})
    return trx


def _insert(engine: Engine, count: int, *, hold_lock: bool) -> None:
    trx = big_transaction(engine, count, f"k{count}-")
    if hold_lock:  # as a request served under the engine lock commits
        with engine.lock:
            trx.commit()
    else:
        trx.commit()


def test_only_a_big_commit_on_disk_prepares_with_the_lock_let_go(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _watched(monkeypatch, engine)
    _insert(engine, PREPARE_AHEAD - 1, hold_lock=True)
    assert calls == []
    _insert(engine, PREPARE_AHEAD, hold_lock=True)
    assert calls == ([] if engine.store is None else [(True, False)])
    assert gc.isenabled()
    db = engine.database("_system")
    trx = db.begin(read=["c"])
    assert trx.collection("c").count() == 2 * PREPARE_AHEAD - 1
    found = trx.collection("c").lookup(["v"], [7])
    assert found is not None
    assert sorted(d["_key"] for d in found) == sorted([f"k{PREPARE_AHEAD - 1}-7", f"k{PREPARE_AHEAD}-7"])
    trx.abort()


def test_a_commit_whose_engine_closed_while_it_prepared_stops(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine.store is None:
        pytest.skip("in memory a commit prepares nothing")
    db = engine.database("_system")
    db.create_collection("c")
    trx = db.begin(write=["c"])
    handle = trx.collection("c")
    for i in range(PREPARE_AHEAD):
        handle.insert({"_key": f"k{i}"})
    prepare = persistence.EnginePersistence.prepare

    def closing(self: Any, overlays: Any) -> Any:
        closer = threading.Thread(target=engine.close)
        closer.start()
        joined(closer, "the engine's close beside a prepared commit")
        return prepare(self, overlays)

    monkeypatch.setattr(persistence.EnginePersistence, "prepare", closing)
    with pytest.raises(ArangoError) as stopped, engine.lock:
        trx.commit()
    assert stopped.value.error_num == 30  # shutdown in progress
    reopened = Engine(engine.path)
    try:
        assert reopened.database("_system").get_collection("c").state.count() == 0
    finally:
        reopened.close()


def test_a_collection_dropped_while_a_big_commit_prepared_fails_it_whole(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit writing two collections, one of them dropped while it prepared: 1203 naming it,
    the transaction aborted, nothing of it stored (an import would otherwise have answered
    ``created`` for documents that were never stored)."""
    if engine.store is None:
        pytest.skip("in memory a commit prepares nothing")
    db = engine.database("_system")
    db.create_collection("c")
    db.create_collection("kept")
    trx = db.begin(write=["c", "kept"])
    for i in range(PREPARE_AHEAD):
        trx.collection("c").insert({"_key": f"k{i}"})
    trx.collection("kept").insert({"_key": "one"})
    prepare = persistence.EnginePersistence.prepare

    def dropping(self: Any, overlays: Any) -> Any:
        db.drop_collection("c")
        return prepare(self, overlays)

    monkeypatch.setattr(persistence.EnginePersistence, "prepare", dropping)
    with pytest.raises(ArangoError) as stopped, engine.lock:
        trx.commit()
    assert stopped.value.error_num == 1203 and "c" in stopped.value.message
    assert trx.status == "aborted"
    assert db.get_collection("kept").state.count() == 0


@pytest.mark.parametrize("change", ["index", "rename", "drop", "properties"])
def test_another_process_changing_the_catalogue_while_a_big_commit_prepared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """Another process (a second engine on the directory) creates an index on the collection,
    renames it, drops it or changes its properties while the commit prepares: the commit
    catches up on the catalogue inside its write (``sync.catch_up_in_commit``), so the new index
    gets its rows, its documents are stored under the new name, a dropped collection fails it
    with 1203, nothing stored, and the new properties stay stored (before, it wrote as if
    nothing had changed: an index missing its documents, the old name in ``_id``, rows of a
    collection that no longer exists, and the properties it knew written back over the new)."""
    first, second = Engine(str(tmp_path / "data")), Engine(str(tmp_path / "data"))
    try:
        trx = big_transaction(first, PREPARE_AHEAD)
        other = second.database("_system")
        prepare = persistence.EnginePersistence.prepare

        def changing(self: Any, overlays: Any) -> Any:
            made = prepare(self, overlays)
            second.catch_up()
            if change == "index":
                other.ensure_index("c", {"type": "persistent", "fields": ["v"], "sparse": True})
            elif change == "rename":
                other.rename_collection("c", "d")
            elif change == "properties":
                other.set_properties("c", {"waitForSync": True})
            else:
                other.drop_collection("c")
            return made

        monkeypatch.setattr(persistence.EnginePersistence, "prepare", changing)
        if change == "drop":
            with pytest.raises(ArangoError) as stopped, first.lock:
                trx.commit()
            assert stopped.value.error_num == 1203
            second.catch_up()
            assert "c" not in other.collections
            return
        with first.lock:  # as a request commits
            trx.commit()
        second.catch_up()
        if change == "rename":
            assert other.get_collection("d").state.get("k7")["_id"] == "d/k7"
            return
        if change == "properties":  # as stored: a third engine reads the catalogue afresh
            third = Engine(str(tmp_path / "data"))
            try:
                assert third.database("_system").get_collection("c").props["waitForSync"] is True
            finally:
                third.close()
            return
        coll = other.get_collection("c")
        plain = next(i for i in coll.indexes if getattr(i, "sparse", None) is False)
        other.drop_index("c", plain.id)  # what remains to read ``v`` through is the new index
        found = execute(other, "FOR d IN c FILTER d.v >= 7 && d.v < 10 SORT d.v RETURN d._key")
        assert found.rows == ["k7", "k8", "k9"]
    finally:
        first.close()
        second.close()
