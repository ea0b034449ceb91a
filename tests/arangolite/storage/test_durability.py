"""Durability: data survives reopening and ``kill -9``; damaged or foreign directories are refused."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import arangolite
from arangolite.errors import ArangoError
from arangolite.storage.durability import Store
from arangolite.storage.engine import Engine
from arangolite.storage.keys import decode_rev


def _fill(path: Path) -> dict[str, str]:
    engine = Engine(str(path))
    try:
        db = arangolite.connect(engine=engine, db_name="shop")
        users = db.create_collection("users", key_generator="autoincrement")
        db.create_collection("rel", edge=True)
        users.add_index({"type": "persistent", "fields": ["email"], "unique": True, "name": "mail"})
        users.add_index({"type": "ttl", "fields": ["exp"], "expireAfter": 10**9})
        users.insert_many([{"email": f"u{i}@x", "n": i} for i in range(5)])
        users.update({"_key": "1", "n": 100})
        users.delete("2")
        db.aql.execute("FOR i IN 1..3 INSERT {_from: 'users/1', _to: CONCAT('users/', i)} INTO rel")
        db.create_graph(
            "g",
            edge_definitions=[
                {
                    "edge_collection": "rel",
                    "from_vertex_collections": ["users"],
                    "to_vertex_collections": ["users"],
                }
            ],
        )
        trx = db.begin_transaction(write="users")
        trx.collection("users").insert({"email": "uncommitted@x"})
        return {d["_key"]: d["_rev"] for d in db.aql.execute("FOR u IN users RETURN u")}
    finally:
        engine.close()


def test_reopen_restores_everything(tmp_path: Path) -> None:
    revs = _fill(tmp_path / "data")
    engine = Engine(str(tmp_path / "data"))
    try:
        db = arangolite.connect(engine=engine, db_name="shop", create=False)
        users = db.collection("users")
        assert list(db.aql.execute("FOR u IN users RETURN u._key")) == ["3", "4", "5", "1"]
        assert {d["_key"]: d["_rev"] for d in db.aql.execute("FOR u IN users RETURN u")} == revs
        assert users.get("1")["n"] == 100
        assert [i["name"] for i in users.indexes()][1:] == ["mail", users.indexes()[2]["name"]]
        with pytest.raises(Exception) as info:
            users.insert({"email": "u3@x"})
        assert getattr(info.value, "error_code", None) == 1210
        assert int(users.insert({})["_key"]) in (
            6,
            7,
        )  # generator state survived (a failed insert uses a key)
        assert db.collection("rel").count() == 3
        assert db.graph("g").properties()["edge_definitions"][0]["edge_collection"] == "rel"
        fresh = users.insert({"email": "fresh@x"})["_rev"]
        assert decode_rev(fresh) > max(decode_rev(r) for r in revs.values())  # type: ignore[operator]
        assert users.properties()["key_options"]["key_generator"] == "autoincrement"
    finally:
        engine.close()


_WRITER = textwrap.dedent(
    """
    import sys, time
    import arangolite
    db = arangolite.connect(sys.argv[1], "shop")
    coll = db.create_collection("c")
    for i in range(20):
        coll.insert({"_key": f"single{i}", "i": i})
    coll.insert_many([{"_key": f"batch{i}"} for i in range(500)])
    coll.import_bulk([{"_key": f"imp{i}"} for i in range(500)])
    db.aql.execute("FOR i IN 1..100 INSERT {_key: CONCAT('aql', i)} INTO c")
    committed = db.begin_transaction(write="c")
    committed.collection("c").insert({"_key": "trx"})
    committed.commit_transaction()
    pending = db.begin_transaction(write="c")
    pending.collection("c").insert({"_key": "never"})
    print("ACK", coll.count(), flush=True)
    time.sleep(120)
    """
)


def test_kill_9_keeps_acknowledged_writes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    script = tmp_path / "writer.py"
    script.write_text(_WRITER)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(data)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("ACK"), line
        acknowledged = int(line.split()[1])
        beside = Engine(str(data))  # a second process may open the directory meanwhile
        try:
            assert beside.database("shop").collections["c"].state.count() == acknowledged
        finally:
            beside.close()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert acknowledged == 20 + 500 + 500 + 100 + 1
    engine = Engine(str(data))
    try:
        coll = engine.database("shop").collections["c"]
        assert coll.state.count() == acknowledged
        assert "trx" in coll.state and "never" not in coll.state
        assert coll.state.get("single7")["i"] == 7
    finally:
        engine.close()


def _snapshot(path: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in path.iterdir()}


def test_garbage_store_is_refused_untouched(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "arangolite.sqlite").write_bytes(b"this is not a database" * 100)
    before = _snapshot(data)
    with pytest.raises(ArangoError) as info:
        Engine(str(data))
    assert info.value.error_num == 1201 and "damaged" in info.value.message
    assert _snapshot(data) == before


def test_wrong_schema_is_refused_untouched(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    conn = sqlite3.connect(data / "arangolite.sqlite")
    conn.execute("CREATE TABLE other (x)")
    conn.commit()
    conn.close()
    before = _snapshot(data)
    with pytest.raises(ArangoError) as info:
        Engine(str(data))
    assert info.value.error_num == 1201 and "schema" in info.value.message
    assert _snapshot(data) == before


def test_foreign_directory_and_file_are_refused(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "notes.txt").write_text("mine")
    with pytest.raises(ArangoError) as info:
        Engine(str(tmp_path / "dir"))
    assert info.value.error_num == 1201
    assert sorted(p.name for p in (tmp_path / "dir").iterdir()) == ["notes.txt"]
    (tmp_path / "file").write_text("x")
    with pytest.raises(ArangoError):
        Engine(str(tmp_path / "file"))


def test_same_path_shares_one_engine_in_process(tmp_path: Path) -> None:
    first = arangolite.InProcessHTTPClient(str(tmp_path / "d"))
    second = arangolite.InProcessHTTPClient(str(tmp_path / "d") + "/")
    assert first.engine is second.engine
    first.engine.close()


def test_in_memory_mode_writes_no_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    engine = Engine(None)
    db = arangolite.connect(engine=engine, db_name="m")
    db.create_collection("c").insert_many([{} for _ in range(10)])
    assert engine.store is None and list(tmp_path.iterdir()) == []
    engine.close()


def test_closed_engine_can_be_reopened(tmp_path: Path) -> None:
    engine = Engine(str(tmp_path / "d"))
    engine.database("_system").create_collection("c")
    engine.close()
    again = Engine(str(tmp_path / "d"))
    assert "c" in again.database("_system").collections
    again.close()


def test_catalogue_changes_persist(tmp_path: Path) -> None:
    path = str(tmp_path / "d")
    engine = Engine(path)
    db = arangolite.connect(engine=engine, db_name="a")
    coll = db.create_collection("old")
    coll.insert({"_key": "k"})
    index = coll.add_index({"type": "persistent", "fields": ["x"]})
    coll.delete_index(index["id"])
    coll.configure(sync=True)
    coll.rename("new")
    arangolite.connect(engine=engine, db_name="b").create_collection("gone")
    arangolite.connect(engine=engine).delete_database("b")
    db.create_graph("g")
    db.delete_graph("g")
    engine.close()
    engine = Engine(path)
    try:
        assert sorted(engine.databases) == ["_system", "a"]
        renamed = engine.database("a").collections["new"]
        assert renamed.state.get("k")["_id"] == "new/k"
        assert renamed.indexes == [] and renamed.props["waitForSync"] is True
        assert engine.database("a").graphs == {}
    finally:
        engine.close()


def test_wait_for_sync_writes(tmp_path: Path) -> None:
    engine = Engine(str(tmp_path / "d"))
    try:
        db = arangolite.connect(engine=engine)
        synced = db.create_collection("synced", sync=True)
        plain = db.create_collection("plain")
        synced.insert({"_key": "a"})
        plain.insert({"_key": "b"}, sync=True)
        trx = db.begin_transaction(write="plain", sync=True)
        trx.collection("plain").insert({"_key": "c"})
        trx.commit_transaction()
    finally:
        engine.close()
    again = Engine(str(tmp_path / "d"))
    try:
        sys_db = again.database("_system")
        assert (
            {d["_key"] for d in sys_db.collections["plain"].state.scan()} == {"b", "c"}
            and "a" in sys_db.collections["synced"].state
        )
    finally:
        again.close()


def test_dumps_is_the_compact_encoder() -> None:
    """``dumps`` (the C encoder built once) writes what the compact ``JSONEncoder`` writes, and
    refuses what it refuses."""
    from arangolite.storage.durability import _ENCODER, dumps

    values: list[object] = [
        {"_key": "k", "n": {"m": [{}, [], None, True]}, "big": 2**70, "f": 1.5, "u": "é\n\ud800"},
        [float("nan"), float("inf"), -0.0],
        "plain",
        3,
        None,
        {1: 2, None: 4, 1.5: 1},
    ]
    for value in values:
        assert dumps(value) == _ENCODER.encode(value)
    for bad in ({"a": object()}, {(1, 2): 3}, {1, 2}):
        with pytest.raises(TypeError):
            dumps(bad)


def test_the_writing_connection_has_a_larger_page_cache(tmp_path: Path) -> None:
    """The commit connection's page cache is set above SQLite's 2 MB default (a bulk commit
    touches more pages than that)."""
    from arangolite.storage.durability import _WRITER_CACHE_KB, Store

    store = Store(str(tmp_path / "data"))
    try:
        size = store._conn.execute("PRAGMA cache_size").fetchone()[0]
    finally:
        store.close()
    assert size == -_WRITER_CACHE_KB and _WRITER_CACHE_KB > 2000


def _sync_modes(store, monkeypatch) -> list[int]:
    """The list of the synchronous modes (PRAGMA synchronous: 1 NORMAL, 2 FULL) that each
    commit's SQLite transaction of ``store`` runs with from now on."""
    modes: list[int] = []
    real_begin = store._begin  # (every write transaction's BEGIN)

    def watching():
        modes.append(store._conn.execute("PRAGMA synchronous").fetchone()[0])
        return real_begin()

    monkeypatch.setattr(store, "_begin", watching)
    return modes


@contextlib.contextmanager
def _store_with_c(tmp_path: Path) -> Iterator[tuple[Any, Store]]:
    """``_system`` of an engine on a new data directory, with a collection ``c``, and its
    store; the engine is closed after the block."""
    engine = Engine(str(tmp_path / "d"))
    try:
        db = engine.database("_system")
        db.create_collection("c")
        assert engine.store is not None
        yield db, engine.store
    finally:
        engine.close()


def test_a_commit_fsyncs_the_log_when_none_did_for_the_sync_interval(
    tmp_path, monkeypatch
) -> None:
    """``synchronous=NORMAL`` syncs the log only at checkpoints; a commit made after
    ``SYNC_INTERVAL`` without a synced one runs with ``synchronous=FULL`` (bounds what a power
    loss can take, as ArangoDB's ``--rocksdb.sync-interval``), one made sooner does not."""
    from arangolite.storage import durability

    with _store_with_c(tmp_path) as (db, store):
        modes = _sync_modes(store, monkeypatch)
        monkeypatch.setattr(store.log_sync, "interval", 3600.0)  # (no timer sync in between)

        def insert(key: str) -> None:
            trx = db.begin(write=["c"])
            trx.collection("c").insert({"_key": key})
            trx.commit()

        monkeypatch.setattr(durability, "SYNC_INTERVAL", 3600.0)
        store.synced_at = time.monotonic() - 7200  # long ago: the next commit syncs
        insert("a")
        synced = store.synced_at
        insert("b")  # right after a synced one: not synced
        assert modes[-2:] == [2, 1]  # FULL, then NORMAL
        assert store.synced_at == synced
        monkeypatch.setattr(durability, "SYNC_INTERVAL", 0.0)
        insert("c")
        assert modes[-1] == 2 and store.synced_at > synced


def test_an_unsynced_commit_is_synced_by_the_log_timer(tmp_path, monkeypatch) -> None:
    """A commit acknowledged without an fsync (the last one synced just before) is synced by
    ``log_sync.LogSync`` an interval later, not left for the next commit (none comes here)."""
    from arangolite.storage import durability

    with _store_with_c(tmp_path) as (db, store):
        monkeypatch.setattr(durability, "SYNC_INTERVAL", 3600.0)  # commits never sync themselves
        monkeypatch.setattr(store.log_sync, "interval", 0.01)
        modes = _sync_modes(store, monkeypatch)
        before = store.synced_at = time.monotonic()
        trx = db.begin(write=["c"])
        trx.collection("c").insert({"_key": "a"})
        trx.commit()
        assert modes[-1] == 1  # the commit itself ran unsynced (NORMAL)
        deadline = time.monotonic() + 30  # (a hang guard only)
        while store.synced_at == before:
            assert time.monotonic() < deadline, "the log timer never synced"
            time.sleep(0.005)
        assert store.synced_at > before
