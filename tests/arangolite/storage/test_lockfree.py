"""Reads of one document served without the engine lock (``storage.lockfree``), through
python-arango, on the in-memory store and on a data directory (``conftest.py``).

A document ``GET``/``HEAD`` outside a stream transaction no longer waits for the request holding
the engine lock; it must still see whole commits, never a value older than a commit that
already answered (nor, on disk, one from the document cache that its own snapshot does not
hold), and a stream transaction must still read its own writes and its snapshot.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from arango.database import StandardDatabase

from arangolite.storage.engine import Engine

KEYS = [f"k{i:03d}" for i in range(200)]
# One query, one commit: reads the last value and writes the next one to every key, in KEYS
# order. Queries run under the engine lock, so the values grow with the commits.
BUMP = (
    "LET n = DOCUMENT(@@c, @first).n + 1 "
    "FOR k IN @keys UPDATE {_key: k, n: n} IN @@c RETURN NEW.n"
)


@pytest.fixture
def busy_switching() -> Iterator[None]:
    """Threads take turns every 20 us instead of every 5 ms, so readers run in the middle of
    commits far more often."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(2e-5)
    yield
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("busy_switching")
def test_readers_see_whole_commits_while_writers_commit(db: StandardDatabase) -> None:
    """Each commit writes ``n`` to all 200 keys, first to last. A reader that reads the first
    key and then the last one must find the last at least as new: seeing the first key of
    commit ``n`` means commit ``n`` is wholly visible, and a later read cannot go back."""
    coll = db.create_collection("accounts")
    coll.import_bulk([{"_key": k, "n": 0} for k in KEYS])
    stop = threading.Event()
    failures: list[str] = []
    reads = [0]
    commits = 60

    def write() -> None:
        try:
            for _ in range(commits // 2):
                db.aql.execute(BUMP, bind_vars={"@c": "accounts", "first": KEYS[0], "keys": KEYS})
        except Exception as exc:  # reported below: a thread's exception would be lost
            failures.append(f"writer: {exc!r}")

    def read() -> None:
        while not stop.is_set():
            first = coll.get(KEYS[0])
            last = coll.get(KEYS[-1])
            middle = coll.get(KEYS[100])
            if first is None or last is None or middle is None:
                failures.append("a document that always exists was not found")
                return
            if last["n"] < first["n"] or middle["n"] < first["n"]:
                failures.append(f"first key at {first['n']}, then later keys at "
                                f"{middle['n']} / {last['n']}: part of a commit")
                return
            reads[0] += 1

    def read_locked() -> None:  # queries read under the lock (and fill the cache on disk)
        while not stop.is_set():
            seen = set(db.aql.execute("FOR k IN @keys RETURN DOCUMENT(accounts, k).n",
                                      bind_vars={"keys": KEYS[::20]}))
            if len(seen) != 1:
                failures.append(f"one query saw several commits: {sorted(seen)}")
                return

    writers = [threading.Thread(target=write) for _ in range(2)]
    readers = [threading.Thread(target=read) for _ in range(3)]
    readers.append(threading.Thread(target=read_locked))
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    for thread in readers:
        thread.join()
    assert not failures, failures
    assert reads[0] > 0
    assert {coll.get(k)["n"] for k in KEYS} == {commits}


def test_a_read_after_a_commit_sees_it(db: StandardDatabase) -> None:
    """The cache (on disk) never answers with a version older than a commit that answered."""
    coll = db.create_collection("c")
    coll.insert({"_key": "k", "n": 0})
    for n in range(1, 30):
        assert coll.get("k")["n"] == n - 1  # cached (on disk) as of the previous commit
        coll.update({"_key": "k", "n": n})
        assert coll.get("k")["n"] == n
    coll.delete("k")
    assert coll.get("k") is None
    assert not coll.has("k")


def test_a_stream_transaction_reads_its_writes_and_its_snapshot(db: StandardDatabase) -> None:
    coll = db.create_collection("c")
    coll.insert({"_key": "a", "n": 0})
    trx = db.begin_transaction(read="c", write="c")
    tcoll = trx.collection("c")
    assert tcoll.get("a")["n"] == 0
    tcoll.insert({"_key": "b", "n": 1})
    tcoll.update({"_key": "a", "n": 2})
    coll.insert({"_key": "other", "n": 3})  # committed by another client meanwhile
    assert tcoll.get("b")["n"] == 1
    assert tcoll.get("a")["n"] == 2
    assert tcoll.get("other") is None  # not in the transaction's snapshot
    assert coll.get("b") is None  # outside: not committed yet
    assert coll.get("a")["n"] == 0
    assert coll.get("other")["n"] == 3
    trx.commit_transaction()
    assert coll.get("b")["n"] == 1
    assert coll.get("a")["n"] == 2


def test_reads_follow_renames_and_drops(db: StandardDatabase) -> None:
    """A rename rewrites every ``_id`` without change rows: a cached document must not keep
    its old ``_id``; after a drop the name answers 1203."""
    coll = db.create_collection("old")
    coll.insert({"_key": "k", "n": 1})
    assert coll.get("k")["_id"] == "old/k"  # cached on disk
    coll.rename("new")
    renamed = db.collection("new")
    assert renamed.get("k")["_id"] == "new/k"
    assert renamed.get("k")["_id"] == "new/k"  # now from the cache
    renamed.update({"_key": "k", "n": 2})
    assert renamed.get("k") == {**renamed.get("k"), "_id": "new/k", "n": 2}
    with pytest.raises(Exception) as info:
        db.collection("old").get("k")
    assert getattr(info.value, "error_code", None) == 1203
    db.delete_collection("new")
    with pytest.raises(Exception) as info:
        db.collection("new").get("k")
    assert getattr(info.value, "error_code", None) == 1203


def test_another_engine_on_the_directory_reads_commits_at_once(
    engine: Engine, tmp_path: Any
) -> None:
    """On disk a read without the lock reads what is committed now, also by another process
    (here a second engine on the same directory, which has not caught up)."""
    if engine.path is None:
        pytest.skip("a data directory is shared by several engines")
    other = Engine(engine.path)
    try:
        db = engine.database("_system")
        coll = db.create_collection("c")
        trx = db.begin(write=["c"])
        trx.collection("c").insert({"_key": "k", "n": 1})
        trx.commit()
        other.catch_up()  # knows the collection
        assert other.read_document("_system", "c", "k")[1]["n"] == 1  # now cached there
        for n in range(2, 6):
            trx = db.begin(write=["c"])
            trx.collection("c").update("k", {"n": n})
            trx.commit()
            assert other.read_document("_system", "c", "k") == (True, coll.state.get("k"))
            assert other.read_document("_system", "c", "k")[1]["n"] == n
    finally:
        other.close()
