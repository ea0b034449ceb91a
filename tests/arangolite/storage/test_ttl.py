"""TTL indexes really remove expired documents: lazily before requests and in the background."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from arango.database import StandardDatabase

from arangolite.storage.engine import Engine


def test_expired_documents_disappear(db: StandardDatabase) -> None:
    coll = db.create_collection("sessions")
    coll.add_index({"type": "ttl", "fields": ["at"], "expireAfter": 1})
    now = time.time()
    past_iso = (datetime.now(UTC) - timedelta(seconds=5)).isoformat()
    coll.insert_many(
        [
            {"_key": "old", "at": now - 5},
            {"_key": "old_iso", "at": past_iso},
            {"_key": "fresh", "at": now + 60},
            {"_key": "no_field"},
            {"_key": "garbage", "at": "yesterday"},
        ]
    )
    keys = db.aql.execute("FOR d IN sessions SORT d._key RETURN d._key")
    assert list(keys) == ["fresh", "garbage", "no_field"]
    assert coll.count() == 3
    coll.insert({"_key": "soon", "at": time.time() - 0.8})
    time.sleep(0.4)
    assert not coll.has("soon")


def test_background_sweeper(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = Engine(None, ttl_interval=0.05, ttl_lazy=False)
    try:
        db = engine.database("_system")
        db.create_collection("s")
        db.ensure_index("s", {"type": "ttl", "fields": ["at"], "expireAfter": 0})
        trx = db.begin()
        trx.collection("s").insert({"_key": "gone", "at": time.time() - 1})
        trx.commit()
        deadline = time.time() + 5
        while db.collections["s"].state.count() and time.time() < deadline:
            time.sleep(0.02)
        assert not db.collections["s"].state.count()
    finally:
        engine.close()


def test_locked_documents_are_skipped(engine: Engine) -> None:
    db = engine.database("_system")
    db.create_collection("s")
    db.ensure_index("s", {"type": "ttl", "fields": ["at"], "expireAfter": 0})
    trx = db.begin()
    trx.collection("s").insert({"_key": "k", "at": 1})
    trx.commit()
    holder = db.begin()
    holder.collection("s").update("k", {"other": 1})
    assert engine.sweep_ttl() == 0
    holder.abort()
    assert engine.sweep_ttl() == 1
