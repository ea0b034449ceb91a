"""The durable store: one SQLite database (WAL mode) in the data directory.

Tables: ``meta`` (format marker, clocks), ``databases``, ``collections`` (by numeric id, with
their properties as JSON), ``indexes``, ``graphs`` and ``documents`` (``cid``, ``key``, JSON
text). Documents are written with ``INSERT OR REPLACE`` so ``rowid`` order is last-write order,
the order a collection scan returns after a restart. Every commit is one SQLite transaction.
A directory that holds anything else is refused with 1201 and left untouched.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from arangolite.errors import DATADIR_INVALID, DATADIR_LOCKED, ArangoError

__all__ = ["DB_FILE", "FORMAT", "Snapshot", "Store"]

DB_FILE = "arangolite.sqlite"
LOCK_FILE = "LOCK"
FORMAT = "arangolite-1"
_OWN_FILES = {DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm", DB_FILE + "-journal", LOCK_FILE}
_TABLES = {"meta", "databases", "collections", "indexes", "graphs", "documents"}

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE databases (name TEXT PRIMARY KEY, id TEXT NOT NULL, props TEXT NOT NULL);
CREATE TABLE collections (cid INTEGER PRIMARY KEY, db TEXT NOT NULL, name TEXT NOT NULL,
                          props TEXT NOT NULL);
CREATE TABLE indexes (cid INTEGER NOT NULL, iid TEXT NOT NULL, spec TEXT NOT NULL,
                      PRIMARY KEY (cid, iid));
CREATE TABLE graphs (db TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL,
                     PRIMARY KEY (db, name));
CREATE TABLE documents (cid INTEGER NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL,
                        UNIQUE (cid, key));
"""

Row = tuple[Any, ...]


@dataclass
class Snapshot:
    """Everything stored, as loaded on open (documents are streamed separately)."""

    meta: dict[str, str] = field(default_factory=dict)
    databases: list[Row] = field(default_factory=list)
    collections: list[Row] = field(default_factory=list)
    indexes: list[Row] = field(default_factory=list)
    graphs: list[Row] = field(default_factory=list)


def _invalid(path: str, why: str) -> ArangoError:
    return ArangoError(DATADIR_INVALID, f"{path}: {why}")


def _check_existing(path: str) -> bool:
    """True when ``path`` already holds a store; raise 1201 when it holds something else."""
    if not os.path.exists(path):
        return False
    if not os.path.isdir(path):
        raise _invalid(path, "not a directory")
    names = set(os.listdir(path))
    if DB_FILE not in names:
        foreign = names - _OWN_FILES
        if foreign:
            raise _invalid(path, "not an arangolite data directory (unexpected files)")
        return False
    _check_schema(os.path.join(path, DB_FILE), path)
    return True


def _check_schema(db_file: str, path: str) -> None:
    try:
        conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            marker = (
                conn.execute("SELECT value FROM meta WHERE key='format'").fetchone()
                if ("meta" in tables)
                else None
            )
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _invalid(path, f"damaged store ({exc})") from None
    if not tables >= _TABLES or marker is None or marker[0] != FORMAT:
        raise _invalid(path, "wrong or missing schema")


class Store:
    """The SQLite store of one data directory, exclusively locked by this process."""

    def __init__(self, path: str) -> None:
        self.path = path
        existed = _check_existing(path)
        os.makedirs(path, exist_ok=True)
        self._lock_file = self._acquire_lock()
        try:
            self._conn = sqlite3.connect(
                os.path.join(path, DB_FILE), isolation_level=None, check_same_thread=False
            )
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            if not existed:
                self._create()
        except Exception:
            self._release_lock()
            raise

    def _acquire_lock(self) -> IO[str]:
        handle = open(os.path.join(self.path, LOCK_FILE), "a+")  # noqa: SIM115 - held open
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise ArangoError(DATADIR_LOCKED, f"{self.path} is in use by another process") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        return handle

    def _release_lock(self) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)
        self._lock_file.close()

    def _create(self) -> None:
        with self.transaction() as cur:
            for statement in _SCHEMA.strip().split(";"):
                if statement.strip():
                    cur.execute(statement)
            cur.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        """One SQLite write transaction (rolled back on error)."""
        cur = self._conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")

    def load(self) -> Snapshot:
        """The catalogue: meta, databases, collections, indexes, graphs."""
        q = self._conn.execute
        return Snapshot(
            meta=dict(q("SELECT key, value FROM meta").fetchall()),
            databases=q("SELECT name, id, props FROM databases ORDER BY rowid").fetchall(),
            collections=q("SELECT cid, db, name, props FROM collections ORDER BY cid").fetchall(),
            indexes=q("SELECT cid, iid, spec FROM indexes ORDER BY rowid").fetchall(),
            graphs=q("SELECT db, name, doc FROM graphs ORDER BY rowid").fetchall(),
        )

    def documents(self) -> Iterator[Row]:
        """``(cid, key, json)`` for every document, in last-write order."""
        yield from self._conn.execute("SELECT cid, key, doc FROM documents ORDER BY rowid")

    def commit(
        self,
        upserts: list[tuple[int, str, str]],
        deletes: list[tuple[int, str]],
        collections: list[tuple[str, int]],
        meta: dict[str, str],
        *,
        sync: bool = False,
    ) -> None:
        """Write one transaction's documents, collection properties and clocks atomically.

        Every commit survives a crash of the process (WAL, ``synchronous=NORMAL``); ``sync``
        (``waitForSync``) also fsyncs the WAL so it survives a power loss.
        """
        if sync:
            self._conn.execute("PRAGMA synchronous=FULL")
        try:
            self._write(upserts, deletes, collections, meta)
        finally:
            if sync:
                self._conn.execute("PRAGMA synchronous=NORMAL")

    def _write(
        self,
        upserts: list[tuple[int, str, str]],
        deletes: list[tuple[int, str]],
        collections: list[tuple[str, int]],
        meta: dict[str, str],
    ) -> None:
        with self.transaction() as cur:
            if deletes:
                cur.executemany("DELETE FROM documents WHERE cid=? AND key=?", deletes)
            if upserts:
                cur.executemany("INSERT OR REPLACE INTO documents VALUES (?, ?, ?)", upserts)
            if collections:
                cur.executemany("UPDATE collections SET props=? WHERE cid=?", collections)
            cur.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))

    def execute(self, statements: list[tuple[str, Row]]) -> None:
        """Run catalogue statements in one transaction."""
        with self.transaction() as cur:
            for sql, params in statements:
                cur.execute(sql, params)

    def close(self) -> None:
        """Close the connection and release the directory lock."""
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()
        self._release_lock()


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)


def dumps(value: Any) -> str:
    """Compact JSON as stored."""
    return _ENCODER.encode(value)
