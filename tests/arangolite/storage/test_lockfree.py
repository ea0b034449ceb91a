"""Reads of one document served without the engine lock (``storage.lockfree``), through
python-arango, on the in-memory store and on a data directory (``conftest.py``).

A document ``GET``/``HEAD`` outside a stream transaction no longer waits for the request holding
the engine lock; it must still see whole commits, never a value older than a commit that
already answered (nor, on disk, one from the document cache that its own snapshot does not
hold), and a stream transaction must still read its own writes and its snapshot.

A read-only AQL query outside a stream transaction runs without the engine lock as well, on a
snapshot of its own (``storage.snapshot_read`` on a data directory, ``storage.memory_read`` in
memory): it must see whole commits for the whole query (documents, index entries and counts
alike), and a streaming cursor must see the one snapshot over all its batches while writes commit
between them.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from arango.database import StandardDatabase

from arangolite.storage.engine import Engine
from tests.arangolite.storage.bumps import KEYS, bumping_writers, busy_switching, run_until_written


@pytest.fixture(name="busy_switching")
def _busy_switching() -> Iterator[None]:
    with busy_switching():
        yield


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

    writers = bumping_writers(db, "accounts", commits, failures)
    readers = [threading.Thread(target=read) for _ in range(3)]
    readers.append(threading.Thread(target=read_locked))
    run_until_written(writers, readers, stop)
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


def test_queries_follow_catalogue_changes(db: StandardDatabase) -> None:
    """A query without the lock knows a collection's id and indexes per catalogue version (read
    once per version, not per query): an index created or dropped, a collection dropped and
    created again under its name, or renamed, is seen by the next query."""
    ranged = "FOR d IN c FILTER d.v >= 1 SORT d.v LIMIT 2 RETURN d.v"

    def run() -> tuple[list[Any], int, int]:
        cursor = db.aql.execute(ranged)
        rows = list(cursor)
        stats = cursor.statistics()
        return rows, stats["scanned_index"], stats["scanned_full"]

    coll = db.create_collection("c")
    coll.insert_many([{"v": v} for v in (3, 1, 2)])
    assert run() == ([1, 2], 0, 3)  # no index: a scan
    index = coll.add_index({"type": "persistent", "fields": ["v"]})
    assert run()[0] == [1, 2] and run()[1:] == (3, 0)  # the new index reads (LIMIT + 1)
    coll.delete_index(index["id"])
    assert run() == ([1, 2], 0, 3)
    db.delete_collection("c")
    db.create_collection("c").insert_many([{"v": v} for v in (9, 8)])  # another id, same name
    assert run()[0] == [8, 9]
    db.collection("c").rename("d")
    with pytest.raises(Exception) as info:
        run()
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


HALF = 100
TOTAL = 2 * HALF * 100
# Every account's balance and the total, read four ways in one query: documents in write order,
# a persistent index's runs (COLLECT ... WITH COUNT), an index range, and the count.
AUDIT = """
LET scanned = SUM(FOR d IN accounts RETURN d.balance)
LET grouped = (FOR d IN accounts COLLECT b = d.balance WITH COUNT INTO n RETURN b * n)
LET ranged = (FOR d IN accounts FILTER d.balance >= 0 SORT d.balance RETURN d.balance)
LET firsts = SUM(FOR d IN accounts FILTER d.half == 0 RETURN d.balance)
RETURN {scanned, grouped: SUM(grouped), ranged: SUM(ranged), n: LENGTH(ranged),
        count: LENGTH(accounts), firsts}
"""


@pytest.mark.usefixtures("busy_switching")
def test_a_query_sees_whole_transfers_while_writers_commit(db: StandardDatabase) -> None:
    """Two writers each move money between the 100 accounts of their half, 25 transfers per
    commit; the total never changes, nor does each half's. Queries reading every account several
    ways while they commit must always find both totals: a query reading part of a commit, or
    two snapshots, would not."""
    coll = db.create_collection("accounts")
    coll.add_index({"type": "persistent", "fields": ["balance"]})
    coll.import_bulk([
        {"_key": f"a{h}{i:03d}", "half": h, "balance": 100} for h in (0, 1) for i in range(HALF)
    ])
    stop = threading.Event()
    failures: list[str] = []
    audits = [0]

    def write(half: int) -> None:
        rng = random.Random(half)
        balances = {f"a{half}{i:03d}": 100 for i in range(HALF)}
        keys = sorted(balances)
        try:
            for _ in range(40):
                for _ in range(25):
                    src, dst = rng.sample(keys, 2)
                    amount = rng.randint(0, balances[src])
                    balances[src] -= amount
                    balances[dst] += amount
                moves = [{"k": k, "b": b} for k, b in balances.items()]
                db.aql.execute("FOR m IN @moves UPDATE {_key: m.k, balance: m.b} IN accounts",
                               bind_vars={"moves": moves})
        except Exception as exc:  # reported below: a thread's exception would be lost
            failures.append(f"writer: {exc!r}")

    def audit() -> None:
        while not stop.is_set():
            (seen,) = db.aql.execute(AUDIT)
            want = {"scanned": TOTAL, "grouped": TOTAL, "ranged": TOTAL, "n": 2 * HALF,
                    "count": 2 * HALF, "firsts": TOTAL // 2}
            if seen != want:
                failures.append(f"an audit saw {seen}")
                return
            audits[0] += 1

    writers = [threading.Thread(target=write, args=(h,)) for h in (0, 1)]
    auditors = [threading.Thread(target=audit) for _ in range(3)]
    run_until_written(writers, auditors, stop)
    assert not failures, failures
    assert audits[0] > 0
    (final,) = db.aql.execute(AUDIT)
    assert final["scanned"] == TOTAL and final["firsts"] == TOTAL // 2


@pytest.mark.parametrize("access", ["scan", "index range", "edges"])
def test_a_streaming_cursor_reads_one_snapshot_over_its_batches(
    db: StandardDatabase, access: str
) -> None:
    """A streaming cursor read ten rows at a time while updates, inserts, removals and a
    truncate commit between its batches: every row is as of the cursor's start (its documents,
    a document looked up by key, the collection's count), and no row is missing or extra."""
    coll = db.create_collection("c")
    coll.add_index({"type": "persistent", "fields": ["v"]})
    coll.import_bulk([{"_key": f"k{i:03d}", "v": i, "n": 0} for i in range(100)])
    edges = db.create_collection("e", edge=True)
    edges.import_bulk([{"_from": "c/k000", "_to": f"c/k{i:03d}", "n": 0} for i in range(100)])
    source = {
        "scan": "FOR d IN c",
        "index range": "FOR d IN c FILTER d.v >= 0 SORT d.v",
        "edges": "FOR d IN e FILTER d._from == 'c/k000'",
    }[access]
    cursor = db.aql.execute(
        source + " RETURN {k: d._key, n: d.n, first: DOCUMENT(c, 'k000').n, count: LENGTH(c)}",
        stream=True, batch_size=10,
    )
    rows = [cursor.next() for _ in range(10)]
    coll.update_many([{"_key": f"k{i:03d}", "n": 1} for i in range(100)])
    edges.update_many([{"_key": d["_key"], "n": 1} for d in edges.all()])
    rows += [cursor.next() for _ in range(25)]
    coll.insert_many([{"_key": f"x{i:03d}", "v": i, "n": 2} for i in range(30)])
    edges.insert_many([{"_from": "c/k000", "_to": "c/k001", "n": 2} for _ in range(30)])
    coll.delete_many([{"_key": f"k{i:03d}"} for i in range(50, 100)])
    rows += [cursor.next() for _ in range(25)]
    coll.truncate()
    edges.truncate()
    rows += list(cursor)
    assert len(rows) == 100
    assert {r["n"] for r in rows} == {0}
    assert {r["first"] for r in rows} == {0}
    assert {r["count"] for r in rows} == {100}
    if access != "edges":
        assert sorted(r["k"] for r in rows) == [f"k{i:03d}" for i in range(100)]
    assert coll.count() == 0
