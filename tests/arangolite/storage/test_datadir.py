"""The data directory: the previous format is migrated on open (only when no other connection has
the store open), a newer one is refused untouched, and a full disk or a read-only directory gives
a clear error that changes nothing."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from arango.client import ArangoClient
from arango.exceptions import DocumentInsertError

from arangolite.client import InProcessHTTPClient
from arangolite.errors import ArangoError
from arangolite.storage.datadir import FORMAT
from arangolite.storage.disk_state import index_table
from arangolite.storage.engine import Engine
from tests.arangolite.store_files import (
    kept_and_counted,
    set_format,
    store_files,
    stored_format,
)


def _snapshot(path: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in path.iterdir()}


def _make(path: Path) -> None:
    engine = Engine(str(path))
    db = engine.database("_system")
    db.create_collection("c")
    trx = db.begin()
    trx.collection("c").insert({"_key": "a", "v": 1})
    trx.commit()
    engine.close()


def test_previous_format_is_migrated_on_open(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _make(data)
    set_format(data, "arangolite-1", drop_changes=True)
    engine = Engine(str(data))
    try:
        assert engine.database("_system").collections["c"].state.get("a")["v"] == 1
        other = Engine(str(data))  # the change log works after migration
        trx = other.database("_system").begin()
        trx.collection("c").update("a", {"v": 2})
        trx.commit()
        other.close()
        engine.catch_up()
        assert engine.database("_system").collections["c"].state.get("a")["v"] == 2
    finally:
        engine.close()
    conn = sqlite3.connect(data / "arangolite.sqlite")
    assert conn.execute("SELECT value FROM meta WHERE key='format'").fetchone() == (FORMAT,)
    conn.close()


def test_format_2_gets_its_index_and_edge_tables_on_open(tmp_path: Path) -> None:
    data = tmp_path / "data"
    engine = Engine(str(data))
    db = engine.database("_system")
    db.create_collection("v")
    db.create_collection("e", 3)
    db.ensure_index("v", {"type": "persistent", "fields": ["n"]})
    trx = db.begin()
    for i in range(30):
        trx.collection("v").insert({"_key": f"k{i}", "n": i % 3})
        trx.collection("e").insert({"_from": "v/k0", "_to": f"v/k{i}"})
    trx.commit()
    engine.close()
    set_format(data, "arangolite-2")
    engine = Engine(str(data))
    try:
        trx = engine.database("_system").begin()
        found = trx.collection("v").lookup(["n"], [1])
        assert found is not None and sorted(d["_key"] for d in found) == [
            f"k{i}" for i in sorted(range(1, 30, 3), key=str)
        ]
        assert len(trx.collection("e").edges("v/k0", "out")) == 30
        trx.abort()
    finally:
        engine.close()


def test_format_3_index_keys_of_integers_beyond_2_53_are_rebuilt_on_open(tmp_path: Path) -> None:
    data = tmp_path / "data"
    engine = Engine(str(data))
    db = engine.database("_system")
    db.create_collection("v")
    db.create_collection("w")
    for name in ("v", "w"):
        db.ensure_index(name, {"type": "persistent", "fields": ["n"]})
    trx = db.begin()
    for i, n in enumerate((2**53, 2**53 + 1, 7)):
        trx.collection("v").insert({"_key": f"k{i}", "n": n})
        trx.collection("w").insert({"_key": f"k{i}", "n": i})
    trx.commit()
    tables = [index_table(db.collections[n].cid, db.collections[n].indexes[-1].id) for n in "vw"]
    engine.close()
    conn = sqlite3.connect(data / "arangolite.sqlite")
    # format 3 keyed 2**53 + 1 as the nearest double, 2**53: one key for both
    old = conn.execute(f"SELECT k FROM {tables[0]} WHERE key='k0'").fetchone()[0]
    conn.execute(f"UPDATE {tables[0]} SET k=? WHERE key='k1'", (old,))
    conn.execute(f"INSERT INTO {tables[1]} VALUES (x'01', 'stale')")  # left alone: no long integer
    conn.commit()
    conn.close()
    set_format(data, "arangolite-3")
    engine = Engine(str(data))
    try:
        trx = engine.database("_system").begin()
        for n, key in ((2**53, "k0"), (2**53 + 1, "k1"), (7, "k2")):
            found = trx.collection("v").lookup(["n"], [n])
            assert found is not None and [d["_key"] for d in found] == [key]
        trx.abort()
    finally:
        engine.close()
    conn = sqlite3.connect(data / "arangolite.sqlite")
    assert conn.execute(f"SELECT COUNT(*) FROM {tables[1]}").fetchone() == (4,)
    assert conn.execute("SELECT value FROM meta WHERE key='format'").fetchone() == (FORMAT,)
    conn.close()


def _old_object_key(names: list[str], values: list[bytes]) -> bytes:
    """Format 4's key of an object: its names (as strings), ``00``, its values, ``00``."""
    return (
        b"\x06"
        + b"".join(b"\x04" + n.encode() + b"\x00\x00" for n in names)
        + b"\x00" + b"".join(values) + b"\x00"
    )


def test_format_4_index_keys_of_objects_are_rebuilt_on_open(tmp_path: Path) -> None:
    data = tmp_path / "data"
    engine = Engine(str(data))
    db = engine.database("_system")
    db.create_collection("o")
    db.create_collection("p")
    for name in ("o", "p"):
        db.ensure_index(name, {"type": "persistent", "fields": ["v"]})
    objects = {"k0": {"b": 1}, "k1": {"a": 0}, "k2": {"a": None}, "k3": {}}
    trx = db.begin()
    for key, value in objects.items():
        trx.collection("o").insert({"_key": key, "v": value})
        trx.collection("p").insert({"_key": key, "v": len(value)})
    trx.commit()
    tables = [index_table(db.collections[n].cid, db.collections[n].indexes[-1].id) for n in "op"]
    engine.close()
    conn = sqlite3.connect(data / "arangolite.sqlite")
    one, zero, null = b"\x03\xbf\xf0" + bytes(6), b"\x03\x80" + bytes(7), b"\x01"
    old = {"k0": _old_object_key(["b"], [one]), "k1": _old_object_key(["a"], [zero]),
           "k2": _old_object_key(["a"], [null]), "k3": _old_object_key([], [])}
    for key, k in old.items():  # as format 4 stored them: {a: null} apart from {}
        conn.execute(f"UPDATE {tables[0]} SET k=? WHERE key=?", (k, key))
    conn.execute(f"INSERT INTO {tables[1]} VALUES (x'01', 'stale')")  # left alone: no object
    conn.commit()
    conn.close()
    set_format(data, "arangolite-4")
    engine = Engine(str(data))
    try:
        trx = engine.database("_system").begin()
        found = trx.collection("o").lookup(["v"], [{}])
        assert found is not None and sorted(d["_key"] for d in found) == ["k2", "k3"]
        ordered = trx.collection("o").range("v")
        assert ordered is not None and [d["_key"] for d in ordered] == ["k2", "k3", "k0", "k1"]
        trx.abort()
    finally:
        engine.close()
    conn = sqlite3.connect(data / "arangolite.sqlite")
    assert conn.execute(f"SELECT COUNT(*) FROM {tables[1]}").fetchone() == (5,)
    assert conn.execute("SELECT value FROM meta WHERE key='format'").fetchone() == (FORMAT,)
    conn.close()


def test_format_5_gets_its_counts_on_open(tmp_path: Path) -> None:
    data = tmp_path / "data"
    engine = Engine(str(data))
    db = engine.database("_system")
    for name, n in (("a", 30), ("b", 7), ("empty", 0)):
        db.create_collection(name)
        trx = db.begin()
        for i in range(n):
            trx.collection(name).insert({"_key": f"k{i}"})
        trx.commit()
    engine.close()
    set_format(data, "arangolite-5")
    engine = Engine(str(data))
    try:
        db = engine.database("_system")
        assert [db.collections[n].state.count() for n in ("a", "b", "empty")] == [30, 7, 0]
        trx = db.begin()
        trx.collection("a").insert({"_key": "new"})
        trx.collection("b").remove("k0")
        trx.collection("empty").insert({"_key": "first"})
        trx.commit()
    finally:
        engine.close()
    kept, counted, _ = kept_and_counted(data)
    assert kept == counted and sorted(counted.values()) == [1, 6, 31]
    conn = sqlite3.connect(data / "arangolite.sqlite")
    assert conn.execute("SELECT value FROM meta WHERE key='format'").fetchone() == (FORMAT,)
    conn.close()


# an arangolite at work on the directory: its engine open (its SQLite connections with it)
_AT_WORK = textwrap.dedent(
    """
    import sys
    from arangolite.storage.engine import Engine

    engine = Engine(sys.argv[1])
    trx = engine.database("_system").begin()
    trx.collection("c").insert({"_key": "from-the-other"})
    trx.commit()
    print("open", flush=True)
    sys.stdin.readline()
    engine.close()
    """
)


@pytest.mark.parametrize("where", ["another process", "this process"])
def test_a_migration_waits_for_no_one_it_is_refused_while_the_store_is_open(
    tmp_path: Path, where: str
) -> None:
    """The process holding the store opened it before the format was set back to 5: it stands
    for an older arangolite still at work when a newer one starts."""
    data = tmp_path / "data"
    _make(data)
    if where == "another process":
        holder = subprocess.Popen(
            [sys.executable, "-c", _AT_WORK, str(data)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
    else:
        engine = Engine(str(data))
        trx = engine.database("_system").begin()
        trx.collection("c").insert({"_key": "from-the-other"})
        trx.commit()
    try:
        set_format(data, "arangolite-5")
        before = store_files(data)
        with pytest.raises(ArangoError) as info:
            Engine(str(data))
        assert info.value.error_num == 1107
        assert "another process has it open" in info.value.message
        assert "stop every process using this directory" in info.value.message
        assert "nothing was changed" in info.value.message
        assert store_files(data) == before and stored_format(data) == "arangolite-5"
    finally:
        if where == "another process":
            assert holder.stdin is not None
            holder.stdin.close()
            assert holder.wait(timeout=60) == 0
        else:
            engine.close()
    reopened = Engine(str(data))  # alone now: migrated
    try:
        assert reopened.database("_system").collections["c"].state.count() == 2
    finally:
        reopened.close()
    assert stored_format(data) == FORMAT
    kept, counted, _ = kept_and_counted(data)
    assert kept == counted


def test_newer_format_is_refused_untouched(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _make(data)
    set_format(data, "arangolite-7")
    before = _snapshot(data)
    with pytest.raises(ArangoError) as info:
        Engine(str(data))
    assert info.value.error_num == 1201
    assert "newer arangolite" in info.value.message and "upgrade" in info.value.message
    assert _snapshot(data) == before


def test_full_disk_gives_1104_and_changes_nothing(tmp_path: Path) -> None:
    engine = Engine(str(tmp_path / "data"))
    client = ArangoClient(hosts="http://x.invalid", http_client=InProcessHTTPClient(engine=engine))
    coll = client.db("_system").create_collection("c")
    coll.insert({"_key": "a"})
    assert engine.store is not None
    conn = engine.store._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count={pages}")  # the disk is full from now on
    with pytest.raises(DocumentInsertError) as info:
        coll.insert_many([{"blob": "x" * 100_000}], raise_on_document_error=True)
    assert info.value.error_code == 1104 and "full" in info.value.error_message
    with pytest.raises(DocumentInsertError):
        coll.insert({"_key": "b", "blob": "x" * 100_000})
    assert coll.count() == 1 and not coll.has("b")
    conn.execute("PRAGMA max_page_count=1073741823")
    coll.insert({"_key": "b", "blob": "x" * 100_000})
    engine.close()
    reopened = Engine(str(tmp_path / "data"))
    assert sorted(
        d["_key"] for d in reopened.database("_system").collections["c"].state.scan()
    ) == ["a", "b"]
    reopened.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only directories anyway")
def test_read_only_directory_is_refused_untouched(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _make(data)
    before = _snapshot(data)
    os.chmod(data, 0o555)
    try:
        with pytest.raises(ArangoError) as info:
            Engine(str(data))
        assert info.value.error_num in (1201, 1004)
    finally:
        os.chmod(data, 0o755)
    assert _snapshot(data) == before
