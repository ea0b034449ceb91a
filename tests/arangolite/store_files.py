"""Shared by the storage tests that check a read changed nothing: the store's files, hashed."""

from __future__ import annotations

import hashlib
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
