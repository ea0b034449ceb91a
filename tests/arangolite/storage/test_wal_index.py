"""The write-ahead log's length read from the log file's headers (``storage.wal_index``),
checked against SQLite's own frame count (``PRAGMA wal_checkpoint`` answers it) while the log
file is kept allocated across restarts of the log."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from arangolite.storage.wal_index import log_bytes


def _frames(conn: sqlite3.Connection) -> int:
    """Frames in the log as SQLite counts them (a passive checkpoint reports them)."""
    _, frames, _ = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return int(frames)


@pytest.mark.parametrize("page", [1024, 4096, 65536])
def test_the_length_is_sqlites_frame_count_and_drops_when_the_log_starts_over(
    tmp_path: Path, page: int
) -> None:
    db_file = str(tmp_path / "x.sqlite")
    conn = sqlite3.connect(db_file, isolation_level=None)
    try:
        conn.execute(f"PRAGMA page_size={page}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute("PRAGMA journal_size_limit=-1")  # the file is never cut back
        conn.execute("CREATE TABLE t (v BLOB)")
        for _ in range(20):
            conn.execute("INSERT INTO t VALUES (randomblob(3000))")
        found = log_bytes(db_file)
        frames = _frames(conn)  # (copies them too: the next commit starts the log over)
        assert frames > 20
        assert found == 32 + frames * (page + 24) == os.path.getsize(db_file + "-wal")
        conn.execute("INSERT INTO t VALUES (1)")
        assert log_bytes(db_file) == 32 + _frames(conn) * (page + 24)
        assert log_bytes(db_file) < os.path.getsize(db_file + "-wal")  # the file stays as it was
    finally:
        conn.close()


def test_no_answer_without_a_log(tmp_path: Path) -> None:
    db_file = str(tmp_path / "x.sqlite")
    assert log_bytes(db_file) is None  # no log file
    (tmp_path / "x.sqlite-wal").write_bytes(b"")
    assert log_bytes(db_file) == 0  # an empty one
    (tmp_path / "x.sqlite-wal").write_bytes(b"\x00" * 5000)
    assert log_bytes(db_file) is None  # not a log


_HOLDER = """
import sqlite3, sys
from arangolite.storage.wal_index import log_bytes
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO t VALUES (2)")
print(log_bytes(sys.argv[1]) is not None, flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


def test_reading_the_length_leaves_sqlites_locks_alone(tmp_path: Path) -> None:
    """A process that holds SQLite's write lock and reads the log's length still holds it:
    another process cannot begin writing. (Closing a descriptor drops every POSIX lock the
    process holds on that file: a reader of the ``-shm`` wal-index, where SQLite keeps its
    locks, let two processes write at once.)"""
    db_file = str(tmp_path / "x.sqlite")
    setup = sqlite3.connect(db_file, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (v)")
    setup.execute("INSERT INTO t VALUES (1)")
    setup.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, db_file],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    other = sqlite3.connect(db_file, isolation_level=None, timeout=0)
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "True"
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.wait(timeout=30) == 0
    finally:
        other.close()
        if holder.poll() is None:
            holder.kill()
