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


def test_a_scan_reads_its_snapshot_while_commits_land_between_its_documents() -> None:
    """The lock-free scan is taken in one hold of ``applying`` and iterated after it, without a
    copy: commits before it (its snapshot's corrections) and during it (between two of its
    documents) leave what it yields as of the snapshot's start."""
    engine = Engine(None)
    try:
        db = arangolite.connect(engine=engine)
        coll = db.create_collection("c")
        coll.insert_many([{"_key": f"k{i}", "v": i} for i in range(10)])
        snap = MemorySnapshotRead(engine.database("_system"), engine.applying)
        view = snap.collection("c")
        coll.insert({"_key": "late", "v": -1})  # before the scan: a correction of its snapshot
        coll.update({"_key": "k3", "v": 33})
        scan = iter(view.all())
        first = next(scan)
        coll.update({"_key": "k5", "v": 55})  # during the scan
        coll.delete("k7")
        coll.insert({"_key": "later", "v": -2})
        seen = [first, *scan]
        assert sorted((d["_key"], d["v"]) for d in seen) == sorted(
            (f"k{i}", i) for i in range(10)
        )
        snap.close()
    finally:
        engine.close()
