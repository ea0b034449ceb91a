"""Shared by the storage tests that look at the store's files: hashed (a read changed nothing),
and its kept counts against its documents."""

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
