"""Read-only queries of an in-memory engine without the engine lock (``storage.memory_read``).

Its collections must offer every read a query makes of a collection handle, each under
``engine.applying``: a read the guarded view lacked would be sent to the locked path (through
``NeedsLock``), silently giving up the lock-free run.
"""

from __future__ import annotations

import inspect

import arangolite
from arangolite.storage.api import CollectionHandle
from arangolite.storage.engine import Engine
from arangolite.storage.memory_read import MemorySnapshotRead, _AppliedHandle

WRITES = {"insert", "update", "replace", "remove", "truncate"}


def test_the_guarded_view_has_every_read_of_a_collection_handle() -> None:
    reads = {
        name for name, _ in inspect.getmembers(CollectionHandle, inspect.isfunction)
        if not name.startswith("_") and name not in WRITES
    }
    assert reads and reads <= set(vars(_AppliedHandle)), reads - set(vars(_AppliedHandle))


def test_a_count_from_an_index_runs_on_the_snapshot() -> None:
    engine = Engine(None)
    try:
        db = arangolite.connect(engine=engine)
        coll = db.create_collection("c")
        coll.add_index({"type": "persistent", "fields": ["s"]})
        coll.insert_many([{"s": i % 3} for i in range(30)])
        snap = MemorySnapshotRead(engine.database("_system"), engine.applying)
        view = snap.collection("c")
        assert view.match_count(["s"], [1]) == 10
        coll.insert({"s": 1})  # committed after the snapshot began: not counted
        assert view.count() == 30 and view.get("nope") is None
        assert len(list(view.all([("s", "==", 1)]))) >= 10  # a prefilter is passed on
        snap.close()
    finally:
        engine.close()
