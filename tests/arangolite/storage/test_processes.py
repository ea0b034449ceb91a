"""Several processes on one data directory: snapshot reads during writes, write-write conflicts
across processes (no lost update), kill -9 of a writer, catalogue changes seen by the other side.

Two engines opened on one directory in this process behave like two processes (each has its own
SQLite connection and in-memory state); the tests marked "subprocess" use real processes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from arango.client import ArangoClient
from arango.database import StandardDatabase
from arango.exceptions import DocumentUpdateError, TransactionCommitError

from arangolite.client import InProcessHTTPClient
from arangolite.storage.engine import Engine


def _db(engine: Engine) -> StandardDatabase:
    client = ArangoClient(hosts="http://x.invalid", http_client=InProcessHTTPClient(engine=engine))
    return client.db("_system")


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[StandardDatabase, StandardDatabase]]:
    first = Engine(str(tmp_path / "data"))
    second = Engine(str(tmp_path / "data"))
    try:
        yield _db(first), _db(second)
    finally:
        first.close()
        second.close()


def test_writes_of_one_are_read_by_the_other(
    pair: tuple[StandardDatabase, StandardDatabase],
) -> None:
    a, b = pair
    a.create_collection("c").add_index({"type": "persistent", "fields": ["n"]})
    a.collection("c").insert_many([{"_key": f"k{i}", "n": i} for i in range(10)])
    assert b.collection("c").count() == 10
    assert list(b.aql.execute("FOR d IN c FILTER d.n >= 8 SORT d.n RETURN d._key")) == ["k8", "k9"]
    b.collection("c").update({"_key": "k1", "n": 100})
    b.collection("c").delete("k2")
    assert list(a.aql.execute("FOR d IN c FILTER d.n >= 8 SORT d.n RETURN d.n")) == [8, 9, 100]
    assert a.collection("c").count() == 9
    b.collection("c").rename("d")
    assert a.has_collection("d") and not a.has_collection("c")
    assert a.collection("d").get("k3")["_id"] == "d/k3"
    assert len(a.collection("d").indexes()) == 2
    b.delete_collection("d")
    assert not a.has_collection("d")


def test_traditional_keys_never_collide(pair: tuple[StandardDatabase, StandardDatabase]) -> None:
    a, b = pair
    a.create_collection("c")
    keys = [a.collection("c").insert({})["_key"] for _ in range(5)]
    keys += [b.collection("c").insert({})["_key"] for _ in range(5)]
    keys += [a.collection("c").insert({})["_key"] for _ in range(5)]
    assert len(set(keys)) == 15 and a.collection("c").count() == 15


def test_counter_conflicts_across_processes(
    pair: tuple[StandardDatabase, StandardDatabase],
) -> None:
    a, b = pair
    a.create_collection("counters").insert({"_key": "c", "n": 0})
    mine = a.begin_transaction(write="counters")
    theirs = b.begin_transaction(write="counters")
    n_mine = mine.collection("counters").get("c")["n"]
    n_theirs = theirs.collection("counters").get("c")["n"]
    theirs.collection("counters").update({"_key": "c", "n": n_theirs + 1})
    theirs.commit_transaction()
    with pytest.raises(DocumentUpdateError) as info:
        mine.collection("counters").update({"_key": "c", "n": n_mine + 1})
    assert info.value.error_code == 1200
    mine.abort_transaction()
    assert a.collection("counters").get("c")["n"] == 1


def test_uncommitted_writes_of_both_conflict_at_commit(
    pair: tuple[StandardDatabase, StandardDatabase],
) -> None:
    a, b = pair
    a.create_collection("counters").insert({"_key": "c", "n": 0})
    mine = a.begin_transaction(write="counters")
    theirs = b.begin_transaction(write="counters")
    mine.collection("counters").update({"_key": "c", "n": 1})
    theirs.collection("counters").update({"_key": "c", "n": 2})  # not visible across processes
    mine.commit_transaction()
    with pytest.raises(TransactionCommitError) as info:
        theirs.commit_transaction()
    assert info.value.error_code == 1200
    assert b.collection("counters").get("c")["n"] == 1


def test_snapshot_of_one_stays_while_the_other_commits(
    pair: tuple[StandardDatabase, StandardDatabase],
) -> None:
    a, b = pair
    a.create_collection("c").insert_many([{"_key": f"k{i}", "v": 1} for i in range(5)])
    reader = a.begin_transaction(read="c")
    assert list(reader.aql.execute("RETURN SUM(FOR d IN c RETURN d.v)")) == [5]
    b.collection("c").update_many([{"_key": f"k{i}", "v": 2} for i in range(5)])
    b.collection("c").insert({"_key": "new", "v": 10})
    assert list(reader.aql.execute("RETURN SUM(FOR d IN c RETURN d.v)")) == [5]
    assert list(a.aql.execute("RETURN SUM(FOR d IN c RETURN d.v)")) == [20]
    reader.commit_transaction()


_COUNTER = textwrap.dedent(
    """
    import sys
    from arango.client import ArangoClient
    from arango.exceptions import ArangoServerError
    from arangolite.client import InProcessHTTPClient

    client = ArangoClient(hosts="http://x.invalid", http_client=InProcessHTTPClient(sys.argv[1]))
    db = client.db("_system")
    done = conflicts = 0
    while done < int(sys.argv[2]):
        trx = db.begin_transaction(write="counters")
        try:
            n = trx.collection("counters").get("c")["n"]
            trx.collection("counters").update({"_key": "c", "n": n + 1})
            trx.commit_transaction()
            done += 1
        except ArangoServerError as exc:
            assert exc.error_code == 1200, exc
            conflicts += 1
            trx.abort_transaction()
    print(done, conflicts, flush=True)
    """
)


def test_counter_in_two_processes_never_loses_an_update(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    engine = Engine(data)
    _db(engine).create_collection("counters").insert({"_key": "c", "n": 0})
    script = tmp_path / "counter.py"
    script.write_text(_COUNTER)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), data, "60"], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0].split() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    print("done, conflicts per process:", outputs)
    assert _db(engine).collection("counters").get("c")["n"] == 120
    engine.close()


_TRANSFERS = textwrap.dedent(
    """
    import sys
    from arango.client import ArangoClient
    from arangolite.client import InProcessHTTPClient

    client = ArangoClient(hosts="http://x.invalid", http_client=InProcessHTTPClient(sys.argv[1]))
    db = client.db("_system")
    print("READY", flush=True)
    i = 0
    while True:  # moves 1 from one account to the next: the sum stays 1000
        db.aql.execute(
            "LET a = DOCUMENT('accounts', @a) LET b = DOCUMENT('accounts', @b) "
            "UPDATE a WITH {v: a.v - 1} IN accounts UPDATE b WITH {v: b.v + 1} IN accounts",
            bind_vars={"a": f"k{i % 10}", "b": f"k{(i + 1) % 10}"},
        )
        i += 1
        if i == 20:
            print("WRITING", flush=True)
    """
)


def test_reads_see_whole_commits_while_another_process_writes_and_is_killed(
    tmp_path: Path,
) -> None:
    data = str(tmp_path / "data")
    engine = Engine(data)
    db = _db(engine)
    db.create_collection("accounts").insert_many([{"_key": f"k{i}", "v": 100} for i in range(10)])
    script = tmp_path / "transfers.py"
    script.write_text(_TRANSFERS)
    writer = subprocess.Popen(
        [sys.executable, str(script), data], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "READY"
        assert writer.stdout.readline().strip() == "WRITING"
        sums = [
            next(iter(db.aql.execute("RETURN SUM(FOR d IN accounts RETURN d.v)")))
            for _ in range(30)
        ]
        trx = db.begin_transaction(read="accounts")
        first = list(trx.aql.execute("FOR d IN accounts SORT d._key RETURN d.v"))
        again = list(trx.aql.execute("FOR d IN accounts SORT d._key RETURN d.v"))
        trx.commit_transaction()
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
    assert sums == [1000] * 30 and first == again and sum(first) == 1000
    assert next(iter(db.aql.execute("RETURN SUM(FOR d IN accounts RETURN d.v)"))) == 1000
    engine.close()
    reopened = Engine(data)
    assert (
        sum(d["v"] for d in reopened.database("_system").collections["accounts"].state.scan())
        == 1000
    )
    reopened.close()


def test_kill_9_of_a_reader_leaves_the_directory_usable(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    engine = Engine(data)
    _db(engine).create_collection("c").insert({"_key": "a"})
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from arangolite.storage.engine import Engine; "
            "e = Engine(sys.argv[1]); print(e.database('_system').collections['c'].state.count(), "
            "flush=True); time.sleep(60)",
            data,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout is not None and reader.stdout.readline().strip() == "1"
    os.kill(reader.pid, signal.SIGKILL)
    reader.wait()
    _db(engine).collection("c").insert({"_key": "b"})
    engine.close()
    again = Engine(data)
    assert sorted(d["_key"] for d in again.database("_system").collections["c"].state.scan()) == ["a", "b"]
    again.close()


def test_both_sweep_expired_documents_without_failing(tmp_path: Path) -> None:
    first = Engine(str(tmp_path / "data"), ttl_lazy=False)
    second = Engine(str(tmp_path / "data"), ttl_lazy=False)
    try:
        coll = _db(first).create_collection("sessions")
        coll.add_index({"type": "ttl", "fields": ["at"], "expireAfter": 0})
        coll.insert_many([{"_key": f"s{i}", "at": 1000 + i} for i in range(5)])
        assert _db(second).collection("sessions").count() == 5  # second caught up, sees them
        assert first.sweep_ttl() == 5
        assert second.sweep_ttl() == 0  # already gone: caught up first, no error
        assert _db(second).collection("sessions").count() == 0
    finally:
        first.close()
        second.close()
