"""What a durable 10k-document commit of a bulk import writes, by collection size (a script).

    python bench/bench_bulk_log.py [--at 100000,1000000]

Counts, not times (they do not swing with the machine's load). Two parts:

- **The engine**: ``import_bulk`` of ``bench_storage``'s documents (two persistent indexes,
  ``status`` and ``size``) through python-arango into a fresh data directory, in 10k batches;
  for the batch that ends at each ``--at`` size, the write-ahead log bytes that commit added.
- **Per table**: the same rows replayed in raw SQLite with the store's tables and statements
  (``datadir.SCHEMA``, ``migrate.FORMAT3_SQL``, ``index_rows.table_sql``, ``bulk_sql.run_many``,
  the index keys of ``keycodec.scalar_bytes``), each table's rows of a batch in a transaction of
  their own, so the log frames each adds are that table's pages: the documents (their table,
  the ``(cid, key)`` key index and ``documents_scan``), each index table and ``changes``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_storage import _BATCH, _client, make_docs

from arangolite.storage.bulk_sql import run_many
from arangolite.storage.datadir import DB_FILE, SCHEMA
from arangolite.storage.index_rows import table_sql
from arangolite.storage.keycodec import scalar_bytes
from arangolite.storage.migrate import FORMAT3_SQL
from arangolite.storage.wal_index import log_bytes

_FRAME = 24  # a log frame's header; the rest is one page


def log_frames(wal: str, before: int, page: int) -> int:
    """Frames a commit added to the log (which starts over after a checkpoint)."""
    after = log_length(wal)
    added = after - before if after > before else after - 32
    return max(0, added) // (page + _FRAME)


def log_length(wal: str) -> int:
    """Bytes of the log: from its headers (``wal_index.log_bytes``; the engine keeps the file allocated when the log
    starts over, so the file's size is how far it once grew), else the file's size."""
    found = log_bytes(wal[: -len("-wal")])
    if found is not None:
        return found
    return os.path.getsize(wal) if os.path.exists(wal) else 0


def engine_part(docs: list[dict[str, Any]], at: list[int], root: str) -> None:
    path = os.path.join(root, "arangolite")
    coll = _client(path).db("_system").create_collection("files")
    coll.add_index({"type": "persistent", "fields": ["status"]})
    coll.add_index({"type": "persistent", "fields": ["size"]})
    wal = os.path.join(path, DB_FILE + "-wal")
    for i in range(0, max(at), _BATCH):
        before = log_length(wal)
        coll.import_bulk(docs[i : i + _BATCH])
        if i + _BATCH in at:
            frames = log_frames(wal, before, 4096)
            print(
                f"engine   commit of docs {i:>9,}-{i + _BATCH:>9,}: {frames:>6,} pages"
                f" ({frames * 4096 / 1e6:5.1f} MB of log)",
                flush=True,
            )


def table_part(docs: list[dict[str, Any]], at: list[int], root: str) -> None:
    path = os.path.join(root, "replay.sqlite")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")  # counts only
    conn.execute("PRAGMA cache_size=-32768")
    for statement in [*SCHEMA.strip().split(";"), *FORMAT3_SQL]:
        if statement.strip():
            conn.execute(statement)
    conn.execute(table_sql(1, "1"))
    conn.execute(table_sql(1, "2"))
    page = int(conn.execute("PRAGMA page_size").fetchone()[0])
    wal = path + "-wal"
    for i in range(0, max(at), _BATCH):
        batch = docs[i : i + _BATCH]
        parts = [
            (
                "documents",
                "INSERT OR REPLACE INTO documents VALUES (?, ?, ?)",
                [(1, d["_key"], json.dumps(d)) for d in batch],
            ),
            (
                "status index",
                "INSERT OR IGNORE INTO ix_1_1 (k, key) VALUES (?, ?)",
                [(scalar_bytes(d["status"]), d["_key"]) for d in batch],
            ),
            (
                "size index",
                "INSERT OR IGNORE INTO ix_1_2 (k, key) VALUES (?, ?)",
                [(scalar_bytes(d["size"]), d["_key"]) for d in batch],
            ),
            (
                "changes",
                "INSERT INTO changes (cid, key) VALUES (?, ?)",
                [(1, d["_key"]) for d in batch],
            ),
        ]
        counts = []
        for name, sql, rows in parts:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("BEGIN")
            run_many(conn.cursor(), sql, rows)
            conn.execute("COMMIT")
            counts.append((name, log_frames(wal, 0, page)))
        if i + _BATCH in at:
            total = sum(n for _, n in counts)
            shares = ", ".join(f"{name} {n:,}" for name, n in counts)
            print(
                f"replay   docs {i:>9,}-{i + _BATCH:>9,}: {total:>6,} pages ({shares})", flush=True
            )
    sizes = conn.execute("SELECT name, COUNT(*) FROM dbstat GROUP BY name ORDER BY 2 DESC")
    print("replay   pages of each B-tree at the end:", dict(sizes.fetchall()))
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at", default="100000,1000000")
    args = parser.parse_args()
    at = sorted(int(s) for s in args.at.split(","))
    docs = make_docs(max(at))
    root = tempfile.mkdtemp(prefix="bench-bulk-log-")
    try:
        engine_part(docs, at, root)
        table_part(docs, at, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
