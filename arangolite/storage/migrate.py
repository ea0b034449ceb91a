"""Migrating a data directory to format ``arangolite-3`` (indexes and edges as SQLite tables).

Formats 1 and 2 kept only the documents; every index was built in memory at open. Format 3 adds
the ``documents_scan`` index (a collection's documents in write order), the ``edges`` table and
one table per persistent or TTL index (see :mod:`arangolite.storage.index_rows`). The migration
runs inside the caller's SQLite transaction: it decodes each indexed collection's documents once.
"""

from __future__ import annotations

import json
import sqlite3

from arangolite.storage.index_rows import create_table, has_table
from arangolite.storage.index_specs import build_index

__all__ = ["FORMAT3_SQL", "to_format3"]

FORMAT3_SQL = (
    "CREATE INDEX documents_scan ON documents (cid)",
    "CREATE TABLE edges (cid INTEGER NOT NULL, dir INTEGER NOT NULL, vertex TEXT NOT NULL,"
    " key TEXT NOT NULL, PRIMARY KEY (cid, dir, vertex, key)) WITHOUT ROWID",
)


def to_format3(conn: sqlite3.Connection) -> None:
    """Add format 3's tables to a format-2 store and fill them (inside a transaction)."""
    for sql in FORMAT3_SQL:
        conn.execute(sql)
    for cid, props in conn.execute("SELECT cid, props FROM collections").fetchall():
        if json.loads(props).get("type") == 3:
            for direction, attr in ((0, "_from"), (1, "_to")):
                conn.execute(
                    "INSERT OR IGNORE INTO edges SELECT cid, ?, json_extract(doc, ?), key"
                    " FROM documents WHERE cid=?",
                    (direction, f"$.{attr}", cid),
                )
    for cid, iid, spec_json in conn.execute("SELECT cid, iid, spec FROM indexes").fetchall():
        spec = json.loads(spec_json)
        index = build_index(iid, spec["name"], spec)
        if not has_table(index):
            continue
        docs = (
            json.loads(text)
            for (text,) in conn.execute("SELECT doc FROM documents WHERE cid=?", (cid,))
        )
        for sql, rows in create_table(cid, index, docs):
            conn.executemany(sql, rows)
