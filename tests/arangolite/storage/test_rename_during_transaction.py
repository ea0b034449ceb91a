"""A collection renamed while a transaction writes to it: the documents the transaction wrote
under the earlier name read and are stored with the ``_id`` of the current one, as ArangoDB
derives ``_id`` from the collection (before, they kept the earlier name for good)."""

from __future__ import annotations

from typing import Any

import pytest

from arangolite.storage import persistence
from arangolite.storage.engine import Engine
from arangolite.storage.transactions import PREPARE_AHEAD
from tests.arangolite.storage.test_commit_ahead import big_transaction


def _stored(engine: Engine, key: str) -> str:
    assert engine.store is not None
    row = engine.store._conn.execute("SELECT doc FROM documents WHERE key = ?", (key,)).fetchone()
    return str(row[0]).replace(" ", "")

def test_documents_written_before_a_rename_take_the_new_name(engine: Engine) -> None:
    db = engine.database("_system")
    db.create_collection("c")
    trx = db.begin(write=["c"])
    trx.collection("c").insert({"_key": "k", "v": 1})
    db.rename_collection("c", "d")
    assert trx.collection("d").get("k")["_id"] == "d/k"  # its own read, before the commit
    trx.collection("d").insert({"_key": "j"})
    trx.commit()
    assert db.get_collection("d").state.get("k")["_id"] == "d/k"
    if engine.store is not None:  # what was written: the stored text, read back from disk
        assert '"_id":"d/k"' in _stored(engine, "k")



def test_a_rename_while_a_big_commit_prepares_is_stored_under_the_new_name(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not engine.prepares:
        pytest.skip("in memory a commit prepares nothing")
    db = engine.database("_system")
    trx = big_transaction(engine, PREPARE_AHEAD)
    prepare = persistence.EnginePersistence.prepare

    def renaming(self: Any, overlays: Any) -> Any:
        made = prepare(self, overlays)  # the JSON text under the name of before
        db.rename_collection("c", "d")
        return made

    monkeypatch.setattr(persistence.EnginePersistence, "prepare", renaming)
    with engine.lock:  # as a request commits
        trx.commit()
    state = db.get_collection("d").state
    assert {state.get(f"k{i}")["_id"] for i in (0, PREPARE_AHEAD - 1)} == {
        "d/k0", f"d/k{PREPARE_AHEAD - 1}"
    }
    assert '"_id":"d/k7"' in _stored(engine, "k7")


def test_a_statement_rolled_back_after_a_rename_looks_at_the_name_again(engine: Engine) -> None:
    """A statement that noted a document before a rename (in a gap of its query) and is rolled
    back after it puts that document back with the earlier ``_id``: the commit gives it the
    current one all the same."""
    db = engine.database("_system")
    db.create_collection("c")
    trx = db.begin(write=["c"])
    trx.collection("c").insert({"_key": "k"})
    saved = trx.begin_statement()
    trx.collection("c").update("k", {"v": 1})  # noted as it was: ``c/k``
    db.rename_collection("c", "d")
    assert trx.collection("d").get("k")["_id"] == "d/k"
    trx.end_statement(saved, keep=False)  # rolled back: ``c/k`` is put back
    trx.commit()
    stored = db.get_collection("d").state.get("k")
    assert stored["_id"] == "d/k" and "v" not in stored
