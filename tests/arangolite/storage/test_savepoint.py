"""A statement's savepoint (``storage.savepoint``): rolled back, a stream transaction's overlay,
unique tables and key locks are as before the statement, also after a write that an interrupt
cut short half-way; kept, the statement's writes stay."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from arangolite.errors import ArangoError
from arangolite.storage.engine import Engine
from arangolite.storage.transactions import Transaction


@pytest.fixture
def engine() -> Iterator[Engine]:
    eng = Engine(None)
    with eng.lock:
        db = eng.database("_system")
        db.create_collection("c")
        db.ensure_index("c", {"type": "persistent", "fields": ["u"], "unique": True})
    yield eng
    eng.close()


def _stream(engine: Engine) -> Transaction:
    with engine.lock:
        trx = engine.database("_system").begin(write=["c"], stream=True)
    assert isinstance(trx, Transaction)
    return trx


def test_a_rolled_back_statement_leaves_the_transaction_as_before(engine: Engine) -> None:
    trx = _stream(engine)
    with engine.lock:
        c = trx.collection("c")
        c.insert({"_key": "kept", "u": 1})
        c.insert({"_key": "changed", "u": 2})
        c.insert({"_key": "removed", "u": 3})
        before = dict(trx.overlays[engine.database("_system").collections["c"]].writes)
        saved = trx.begin_statement()
        c.insert({"_key": "new", "u": 4})
        c.update("changed", {"u": 5})
        c.remove("removed")
        trx.end_statement(saved, keep=False)
        coll = engine.database("_system").collections["c"]
        assert trx.overlays[coll].writes == before
        assert sorted(coll.locks) == ["changed", "kept", "removed"]  # "new" given back
        # the unique table is the transaction's again: u 2 and 3 taken, 4 and 5 free
        for key, u in (("x", 2), ("y", 3)):
            with pytest.raises(ArangoError) as caught:
                c.insert({"_key": key, "u": u})
            assert caught.value.code.num == 1210
        c.insert({"_key": "new", "u": 5})
        c.insert({"_key": "other", "u": 4})
    trx.commit()
    with engine.lock:
        keys = engine.database("_system").begin(read=["c"]).collection("c").all()
        assert sorted(d["_key"] for d in keys) == ["changed", "kept", "new", "other", "removed"]


def test_a_write_cut_short_half_way_is_rolled_back_too(engine: Engine) -> None:
    """An interrupt may land inside a write: after the key was noted and locked and its old
    entry and its unique table entry taken out of the overlay, before the new ones are in (the
    steps of ``Overlay.put``)."""
    trx = _stream(engine)
    with engine.lock:
        c = trx.collection("c")
        c.insert({"_key": "a", "u": 1})
        coll = engine.database("_system").collections["c"]
        overlay = trx.overlays[coll]
        saved = trx.begin_statement()
        saved.note(overlay, "a")
        saved.note(overlay, "b")
        trx.claim(coll, "b")
        old = overlay.writes.pop("a")  # the write of "a" cut short after its first steps
        (index,) = overlay.unique_indexes()
        for vals in index.values_of(old):
            del overlay._unique[index.id][vals]
        trx.end_statement(saved, keep=False)
        assert overlay.writes == {"a": c.get("a")} and c.get("a")["u"] == 1
        assert coll.locks == {"a": trx.id}
        with pytest.raises(ArangoError) as caught:
            c.insert({"_key": "z", "u": 1})
        assert caught.value.code.num == 1210


def test_a_kept_statement_keeps_its_writes(engine: Engine) -> None:
    trx = _stream(engine)
    with engine.lock:
        c = trx.collection("c")
        saved = trx.begin_statement()
        c.insert({"_key": "a", "u": 1})
        trx.end_statement(saved, keep=True)
        assert trx.savepoint is None
        assert c.get("a") is not None
    trx.commit()
