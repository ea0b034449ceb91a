"""Shared by the tests that look at the store's files: hashed (a read changed nothing), its kept
counts against its documents, and set back to an older format."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

DB_FILE = "arangolite.sqlite"


def store_files(data: Path) -> dict[str, str]:
    """SHA-256 of the database file and its write-ahead log (not the shared-memory index,
    which readers write by design)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in data.iterdir()
        if p.name.startswith(DB_FILE) and not p.name.endswith("-shm")
    }


def kept_and_counted(data: Path) -> tuple[dict[int, int], dict[int, int], dict[str, int]]:
    """The store's kept counts (format 6's ``counts``, nonzero rows), every collection's rows
    counted in ``documents``, and the collections' ids by name, read-only."""
    conn = sqlite3.connect(f"file:{data / DB_FILE}?mode=ro", uri=True)
    try:
        kept = dict(conn.execute("SELECT cid, n FROM counts WHERE n != 0"))
        counted = dict(conn.execute("SELECT cid, COUNT(*) FROM documents GROUP BY cid"))
        return kept, counted, dict(conn.execute("SELECT name, cid FROM collections"))
    finally:
        conn.close()


def set_format(path: Path, marker: str, *, drop_changes: bool = False) -> None:
    """Make the store of ``path`` look written by an older (or newer) arangolite: ``marker``
    and the tables that format lacked."""
    conn = sqlite3.connect(path / DB_FILE)
    if marker[11:].isdigit() and int(marker[11:]) < 6:  # no counts before format 6
        conn.execute("DROP TRIGGER documents_counted_in")
        conn.execute("DROP TRIGGER documents_counted_out")
        conn.execute("DROP TABLE counts")
    if marker in ("arangolite-1", "arangolite-2"):  # no index or edge tables before format 3
        tables = conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'ix\\_%' ESCAPE '\\'")
        for (table,) in tables.fetchall():
            conn.execute(f"DROP TABLE {table}")
        conn.execute("DROP TABLE edges")
        conn.execute("DROP INDEX documents_scan")
    if drop_changes:
        conn.execute("DROP TABLE changes")
    conn.execute("UPDATE meta SET value=? WHERE key='format'", (marker,))
    conn.commit()
    conn.close()


def stored_format(path: Path) -> str:
    """The format marker of the store of ``path``, read-only."""
    conn = sqlite3.connect(f"file:{path / DB_FILE}?mode=ro", uri=True)
    try:
        return str(conn.execute("SELECT value FROM meta WHERE key='format'").fetchone()[0])
    finally:
        conn.close()
