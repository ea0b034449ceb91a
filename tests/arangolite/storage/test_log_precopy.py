"""After a commit that leaves the write-ahead log past its limit, the on-disk engine copies the
log into the database file on a thread of its own (``storage.precopy``): the commit is
acknowledged first, the next commit waits for the copy and then starts the log over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from arango import ArangoClient

from arangolite.client import InProcessHTTPClient
from arangolite.storage import ondisk, precopy
from arangolite.storage.engine import Engine


def test_an_import_is_acknowledged_before_its_log_is_copied_and_the_next_one_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = 256 << 10
    monkeypatch.setattr(ondisk, "_WAL_LIMIT", limit)
    began, gate = threading.Event(), threading.Event()
    copiers: list[int] = []
    copy = precopy.LogPrecopy._copy

    def held(conn: object) -> None:  # the real copy, once the test lets it go
        began.set()
        gate.wait()
        copiers.append(threading.get_ident())
        copy(conn)  # type: ignore[arg-type]

    monkeypatch.setattr(precopy.LogPrecopy, "_copy", staticmethod(held))
    engine = Engine(str(tmp_path / "d"))
    wal = tmp_path / "d" / "arangolite.sqlite-wal"
    try:
        db = ArangoClient(
            hosts="http://precopy.invalid", http_client=InProcessHTTPClient(engine=engine)
        ).db("_system")
        coll = db.create_collection("c")
        coll.add_index({"type": "persistent", "fields": ["n"]})
        batches = 0
        while not began.is_set() and batches < 50:  # about 120 KB of log each
            docs = [{"_key": f"k{batches}_{i}", "n": i, "pad": "x" * 500} for i in range(200)]
            assert coll.import_bulk(docs)["created"] == 200
            batches += 1
        assert began.is_set(), "no commit left the copy of the log to a thread"
        # that import was acknowledged while its copy is held; reads go on meanwhile
        assert copiers == []
        assert engine.store is not None
        assert engine.store.wal_bytes() >= limit
        assert coll.count() == 200 * batches
        assert len(list(db.aql.execute("FOR d IN c FILTER d.n == 7 RETURN d._key"))) == batches
        gate.set()
        # the next import waits for the copy, copies what is left and starts the log over
        assert coll.import_bulk([{"_key": "last", "n": 7}])["created"] == 1
        assert copiers and copiers[0] != threading.get_ident()
        assert engine.store.wal_bytes() < limit
        assert os.path.getsize(wal) >= limit  # the file kept for the next commits to overwrite
    finally:
        gate.set()
        engine.close()
    engine = Engine(str(tmp_path / "d"))
    try:
        db = ArangoClient(
            hosts="http://precopy.invalid", http_client=InProcessHTTPClient(engine=engine)
        ).db("_system")
        assert db.collection("c").count() == 200 * batches + 1
        query = "FOR d IN c FILTER d.n == 7 RETURN d._key"
        assert len(list(db.aql.execute(query))) == batches + 1
    finally:
        engine.close()


_IMPORTER = """
import sys

from arangolite.storage import ondisk

ondisk._WAL_LIMIT = 256 << 10  # a copy every few imports
import arangolite
from arangolite.storage.engine import Engine

engine = Engine(sys.argv[1])
coll = arangolite.connect(engine=engine).create_collection("c")
coll.add_index({"type": "persistent", "fields": ["n"]})
batch = 0
while True:
    docs = [{"_key": f"k{batch}_{i}", "n": i, "pad": "x" * 500} for i in range(200)]
    assert coll.import_bulk(docs)["created"] == 200
    batch += 1
    print("ACK", batch * 200, engine.disk.precopy.running(), flush=True)
"""


def test_kill_9_while_the_log_is_copied_on_its_thread_keeps_every_acknowledged_import(
    tmp_path: Path,
) -> None:
    """A process killed while it imports, copies left to the thread after some of its commits,
    loses no acknowledged import and leaves the index in step with the documents."""
    data = tmp_path / "data"
    script = tmp_path / "importer.py"
    script.write_text(_IMPORTER)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(data)], stdout=subprocess.PIPE, text=True
    )
    acknowledged, left_to_thread = 0, 0
    try:
        assert proc.stdout is not None
        while left_to_thread < 5:
            line = proc.stdout.readline()
            assert line.startswith("ACK"), line
            _, count, running = line.split()
            acknowledged = int(count)
            left_to_thread += running == "True"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    engine = Engine(str(data))
    try:
        db = ArangoClient(
            hosts="http://precopy.invalid", http_client=InProcessHTTPClient(engine=engine)
        ).db("_system")
        count = db.collection("c").count()
        assert count >= acknowledged and count % 200 == 0
        query = "FOR d IN c FILTER d.n == 7 RETURN d._key"
        assert len(list(db.aql.execute(query))) == count // 200
    finally:
        engine.close()
