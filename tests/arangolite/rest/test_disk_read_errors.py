"""Reads that hit a failing store get ArangoDB's storage errors, and change nothing on disk.

Two real failures under a running server (a child process), made without root:

- the write-ahead log cut back to its header while the server's committed documents live in it:
  every read of them is a short read, SQLite's ``SQLITE_IOERR_SHORT_READ`` (a real I/O error of
  the read path, as a disk losing the end of a file gives); ArangoDB answers its storage engine's
  I/O errors with 1305 ``storage engine I/O error``;
- pages of the documents table overwritten in the database file: SQLite finds them damaged
  (``SQLITE_CORRUPT``); ArangoDB answers a corruption its engine detects with 1100
  ``corrupted datafile``.

Each read is made through python-arango and must answer that error (HTTP 500, as ArangoDB),
saying what failed where and that nothing was written: never a 500 ``internal error``, never a
wrong answer. The store's files are byte for byte the same afterwards (the ``-shm`` index is left
out: readers mark their place in it), and the server still answers.
"""

from __future__ import annotations

import contextlib
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from arango import ArangoClient
from arango.database import StandardDatabase
from arango.exceptions import ArangoServerError
from arango.http import DefaultHTTPClient
from requests import Session
from requests.adapters import HTTPAdapter

from arangolite.client import InProcessHTTPClient
from arangolite.storage.engine import Engine
from tests.arangolite.store_files import DB_FILE, store_files

_DOCS = 1200


class _NoRetry(DefaultHTTPClient):  # type: ignore[misc]
    """python-arango's client without its retries: it retries a GET answered 500 three times and
    then shows urllib3's "too many 500 error responses" instead of the answer (with ArangoDB
    too), which would hide the error under test."""

    def create_session(self, host: str) -> Session:
        session: Session = super().create_session(host)
        session.mount("http://", HTTPAdapter(max_retries=0))
        return session


@contextlib.contextmanager
def _served(data: Path) -> Iterator[StandardDatabase]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "arangolite.server", "--port", "0", "--data", str(data)],
        stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stderr is not None
        port = int(re.search(r":(\d+)", proc.stderr.readline()).group(1))  # type: ignore[union-attr]
        client = ArangoClient(hosts=f"http://127.0.0.1:{port}", http_client=_NoRetry())
        yield client.db("_system", username="root", password="")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def _fill(db: StandardDatabase) -> None:
    coll = db.create_collection("c")
    coll.add_index({"type": "persistent", "fields": ["n"]})
    for start in range(0, _DOCS, 400):
        coll.insert_many(
            [{"_key": f"k{i}", "n": i, "pad": "x" * 300} for i in range(start, start + 400)]
        )


def _reads(db: StandardDatabase) -> dict[str, Callable[[], Any]]:
    coll = db.collection("c")
    last = f"k{_DOCS - 1}"
    return {
        "scan": lambda: list(db.aql.execute("FOR d IN c RETURN d._key")),
        "index": lambda: list(db.aql.execute("FOR d IN c FILTER d.n >= @n RETURN d", bind_vars={"n": _DOCS - 5})),
        "sort": lambda: list(db.aql.execute("FOR d IN c SORT d.pad DESC, d.n RETURN d.n")),
        "get": lambda: coll.get(last),
        "get_many": lambda: coll.get_many([f"k{i}" for i in range(0, _DOCS, 3)]),
        "export": lambda: list(coll.all()),
    }


def _failure(read: Callable[[], Any]) -> ArangoServerError:
    try:
        answer = read()
    except ArangoServerError as exc:
        return exc
    raise AssertionError(f"a read of a failing store answered {str(answer)[:200]}")


def _check(exc: ArangoServerError, num: int, *words: str) -> None:
    assert (exc.http_code, exc.error_code) == (500, num), exc
    assert "internal error" not in exc.error_message and "Traceback" not in exc.error_message
    for word in (*words, "nothing was written"):
        assert word in exc.error_message, exc.error_message


def test_short_read_of_the_log_under_a_running_server(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with _served(data) as db:
        _fill(db)
        log = data / f"{DB_FILE}-wal"
        assert log.stat().st_size > 100_000  # the documents are in the log, not yet copied
        with open(log, "r+b") as out:
            out.truncate(32)  # the log's header stays; every frame after it is gone
        before = store_files(data)
        for name, read in _reads(db).items():
            exc = _failure(read)
            _check(exc, 1305, "storage engine I/O error", "reading", str(data), "SQLITE_IOERR_SHORT_READ")
            assert store_files(data) == before, name
        assert db.version()  # the server still answers


def _damage_last_document_pages(data: Path) -> None:
    """Overwrite the page headers of the last third of the documents table's leaves."""
    path = data / DB_FILE
    conn = sqlite3.connect(path)
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        leaves = [row[0] for row in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'documents' AND pagetype = 'leaf' ORDER BY pageno"
        )]
    finally:
        conn.close()
    assert len(leaves) > 30
    with open(path, "r+b") as out:
        for page in leaves[-len(leaves) // 3 :]:
            out.seek((page - 1) * size)
            out.write(b"\xff" * 16)


def test_damaged_pages_found_by_reads_under_a_running_server(tmp_path: Path) -> None:
    data = tmp_path / "data"
    engine = Engine(str(data))
    try:
        client = ArangoClient(hosts="http://fill.invalid", http_client=InProcessHTTPClient(engine=engine))
        _fill(client.db("_system", username="root", password=""))
    finally:
        engine.close()  # the log is copied into the database file
    with _served(data) as db:
        assert db.collection("c").get("k0")["n"] == 0
        _damage_last_document_pages(data)
        before = store_files(data)
        for name, read in _reads(db).items():
            _check(_failure(read), 1100, "corrupted datafile", str(data), "SQLITE_CORRUPT")
            assert store_files(data) == before, name
        cursor = db.aql.execute("FOR d IN c RETURN d.n", batch_size=100, stream=True)
        assert [cursor.pop() for _ in range(100)] == list(range(100))  # an undamaged first batch
        _check(_failure(lambda: list(cursor)), 1100, "corrupted datafile")
        assert db.collection("c").get("k1")["n"] == 1  # undamaged pages still read
        assert store_files(data) == before
