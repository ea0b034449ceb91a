"""Snapshot reads and write-write conflicts of stream transactions, through python-arango.

ArangoDB's RocksDB engine gives every transaction one snapshot for its whole life, and a write to
a document another transaction changed since this one began fails at once with 1200, so a
read-modify-write counter never loses an update.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError, DocumentReplaceError, DocumentUpdateError


@pytest.fixture
def counters(db: StandardDatabase):  # type: ignore[no-untyped-def]
    coll = db.create_collection("counters")
    coll.add_index({"type": "persistent", "fields": ["n"]})
    coll.insert({"_key": "c", "n": 0})
    return coll


def _read_n(trx: Any) -> int:
    return int(next(iter(trx.aql.execute("RETURN DOCUMENT('counters/c').n"))))


def test_second_increment_after_first_commit_raises_1200(
    db: StandardDatabase, counters: Any
) -> None:
    first = db.begin_transaction(write="counters")
    second = db.begin_transaction(write="counters")
    n1, n2 = _read_n(first), _read_n(second)
    assert n1 == n2 == 0
    first.collection("counters").update({"_key": "c", "n": n1 + 1})
    first.commit_transaction()
    with pytest.raises(DocumentUpdateError) as info:
        second.collection("counters").update({"_key": "c", "n": n2 + 1})
    assert info.value.error_code == 1200 and info.value.http_code == 409
    second.abort_transaction()
    assert counters.get("c")["n"] == 1


def test_increment_through_aql_conflicts_too(db: StandardDatabase, counters: Any) -> None:
    first = db.begin_transaction(write="counters")
    second = db.begin_transaction(write="counters")
    bump = "FOR d IN counters FILTER d._key == 'c' UPDATE d WITH {n: d.n + 1} IN counters"
    first.aql.execute(bump)
    first.commit_transaction()
    with pytest.raises(AQLQueryExecuteError) as info:
        second.aql.execute(bump)
    assert info.value.error_code == 1200
    second.abort_transaction()
    assert counters.get("c")["n"] == 1


def test_replace_of_a_document_removed_meanwhile_raises_1200(
    db: StandardDatabase, counters: Any
) -> None:
    trx = db.begin_transaction(write="counters")
    assert trx.collection("counters").get("c")["n"] == 0
    counters.delete("c")
    with pytest.raises(DocumentReplaceError) as info:
        trx.collection("counters").replace({"_key": "c", "n": 5})
    assert info.value.error_code == 1200
    trx.abort_transaction()
    assert not counters.has("c")


def test_a_transaction_reads_one_snapshot(db: StandardDatabase, counters: Any) -> None:
    counters.insert_many([{"_key": f"k{i}", "n": i} for i in range(1, 6)])
    trx = db.begin_transaction(read="counters")
    query = "FOR d IN counters FILTER d.n >= 2 SORT d.n RETURN d._key"
    before = list(trx.aql.execute(query))
    counters.update({"_key": "k3", "n": 100})
    counters.delete("k4")
    counters.insert({"_key": "k9", "n": 9})
    assert list(trx.aql.execute(query)) == before == ["k2", "k3", "k4", "k5"]
    assert list(trx.aql.execute("FOR d IN counters FILTER d.n == 4 RETURN d._key")) == ["k4"]
    assert trx.collection("counters").count() == 6
    assert trx.collection("counters").get("k3")["n"] == 3
    assert trx.collection("counters").get("k9") is None
    assert list(trx.aql.execute("RETURN LENGTH(counters)")) == [6]
    trx.commit_transaction()
    assert list(db.aql.execute(query)) == ["k2", "k5", "k9", "k3"]


def test_lock_timeout_waits_for_the_holder(db: StandardDatabase, counters: Any) -> None:
    holder = db.begin_transaction(write="counters")
    holder.collection("counters").update({"_key": "c", "n": 1})
    waiter = db.begin_transaction(write="counters", lock_timeout=30)
    outcome: list[object] = []

    def write() -> None:
        try:
            outcome.append(waiter.collection("counters").update({"_key": "c", "n": 2})["_key"])
        except DocumentUpdateError as exc:
            outcome.append(exc.error_code)

    thread = threading.Thread(target=write)
    thread.start()
    time.sleep(0.3)
    assert thread.is_alive() and outcome == []  # waiting, not failed at once
    holder.abort_transaction()
    thread.join(30)
    assert outcome == ["c"]
    waiter.commit_transaction()
    assert counters.get("c")["n"] == 2


def test_lock_timeout_gives_1200_when_the_holder_commits(
    db: StandardDatabase, counters: Any
) -> None:
    holder = db.begin_transaction(write="counters")
    holder.collection("counters").update({"_key": "c", "n": 1})
    waiter = db.begin_transaction(write="counters", lock_timeout=30)
    outcome: list[object] = []

    def write() -> None:
        try:
            waiter.collection("counters").update({"_key": "c", "n": 2})
            outcome.append("written")
        except DocumentUpdateError as exc:
            outcome.append(exc.error_code)

    thread = threading.Thread(target=write)
    thread.start()
    time.sleep(0.3)
    holder.commit_transaction()
    thread.join(30)
    assert outcome == [1200]
    waiter.abort_transaction()
    assert counters.get("c")["n"] == 1


def test_counter_in_threads_never_loses_an_update(db: StandardDatabase, counters: Any) -> None:
    committed = [0]
    guard = threading.Lock()

    def worker() -> None:
        for _ in range(15):
            trx = db.begin_transaction(write="counters")
            try:
                n = _read_n(trx)
                trx.collection("counters").update({"_key": "c", "n": n + 1})
                trx.commit_transaction()
            except DocumentUpdateError as exc:
                assert exc.error_code == 1200
                trx.abort_transaction()
                continue
            with guard:
                committed[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counters.get("c")["n"] == committed[0] > 0


SNAPSHOT_QUERIES = [
    "FOR d IN docs FILTER d.g == 3 RETURN d._key",
    "FOR d IN docs FILTER d.g IN [1, 2, 'x'] RETURN d._key",
    "FOR d IN docs FILTER d.t >= 10 && d.t < 50 SORT d.t, d._key RETURN d._key",
    "FOR d IN docs SORT d.t DESC, d._key LIMIT 5 RETURN d._key",
    "FOR d IN docs FILTER d.s > 100 SORT d.s RETURN d._key",
    "FOR d IN docs SORT d.s, d._key LIMIT 4 RETURN d._key",
    "FOR d IN docs FILTER d.g == 2 && d.t > 50 SORT d._key LIMIT 3 RETURN d._key",
    "RETURN LENGTH(docs)",
]


def test_indexed_reads_of_a_snapshot_match_unindexed_reads_before_the_changes(
    db: StandardDatabase,
) -> None:
    coll = db.create_collection("docs")
    coll.insert_many(
        [
            {"_key": f"{i:03d}", "g": i % 7, "t": (i * 37) % 101, "s": None if i % 5 else i}
            for i in range(300)
        ]
    )
    before = {q: list(db.aql.execute(q)) for q in SNAPSHOT_QUERIES}  # no index yet
    coll.add_index({"type": "persistent", "fields": ["g"]})
    coll.add_index({"type": "persistent", "fields": ["t"]})
    coll.add_index({"type": "persistent", "fields": ["s"], "sparse": True})
    reader = db.begin_transaction(read="docs")
    list(reader.aql.execute("RETURN 1"))  # the snapshot is taken at begin
    coll.update_many([{"_key": f"{i:03d}", "g": 3, "t": 20, "s": 500} for i in range(0, 300, 3)])
    coll.delete_many([{"_key": f"{i:03d}"} for i in range(1, 300, 11)])
    coll.insert_many([{"_key": f"n{i}", "g": 2, "t": 99, "s": 200} for i in range(20)])
    for query, rows in before.items():
        got = list(reader.aql.execute(query))
        assert (got if "SORT" in query or "LENGTH" in query else sorted(got)) == (
            rows if "SORT" in query or "LENGTH" in query else sorted(rows)
        ), query
    reader.abort_transaction()
    assert list(db.aql.execute("RETURN LENGTH(docs)")) == [300 - 28 + 20]
