"""Migrating a data directory to format ``arangolite-3`` (indexes and edges as SQLite tables),
``arangolite-4`` (index keys of integers beyond 2**53 kept apart), ``arangolite-5`` (index
keys of objects in ArangoDB's object order, see :mod:`arangolite.storage.keycodec`) and
``arangolite-6`` (each collection's count kept in the ``counts`` table by triggers).

Formats 1 and 2 kept only the documents; every index was built in memory at open. Format 3 adds
the ``documents_scan`` index (a collection's documents in write order), the ``edges`` table and
one table per persistent or TTL index (see :mod:`arangolite.storage.index_rows`). The migration
runs inside the caller's SQLite transaction: it decodes each indexed collection's documents once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from arangolite.storage.disk_state import index_table
from arangolite.storage.index_rows import create_table, has_table
from arangolite.storage.index_specs import build_index

__all__ = ["COUNTS_SQL", "FORMAT3_SQL", "to_format3", "to_format4", "to_format5", "to_format6"]

FORMAT3_SQL = (
    "CREATE INDEX documents_scan ON documents (cid)",
    "CREATE TABLE edges (cid INTEGER NOT NULL, dir INTEGER NOT NULL, vertex TEXT NOT NULL,"
    " key TEXT NOT NULL, PRIMARY KEY (cid, dir, vertex, key)) WITHOUT ROWID",
)


# Format 6: how many documents each collection holds, kept by SQLite itself in the transaction
# that changes them, so a count is one row read (ArangoDB keeps a collection's count too), not a
# pass over the collection's rows (28 ms at 1M). The store's writer turns recursive triggers on:
# a document replaced (``INSERT OR REPLACE``) is then one delete and one insert, -1 and +1.
COUNTS_SQL = (
    "CREATE TABLE counts (cid INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
    "CREATE TRIGGER documents_counted_in AFTER INSERT ON documents BEGIN"
    " INSERT INTO counts VALUES (NEW.cid, 1) ON CONFLICT (cid) DO UPDATE SET n = n + 1; END",
    "CREATE TRIGGER documents_counted_out AFTER DELETE ON documents BEGIN"
    " UPDATE counts SET n = n - 1 WHERE cid = OLD.cid; END",
)


def to_format6(conn: sqlite3.Connection) -> None:
    """Add format 6's ``counts`` table and its triggers to a format-5 store, and count each
    collection once (inside a transaction)."""
    for sql in COUNTS_SQL:
        conn.execute(sql)
    conn.execute("INSERT INTO counts SELECT cid, COUNT(*) FROM documents GROUP BY cid")


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
    _fill_index_tables(conn, lambda cid: True)


# A JSON integer of 16 digits or more: the only numbers whose key changed in format 4 (a
# document that has one, even inside a string, has its collection's index tables rebuilt).
_LONG_INTEGER = "*" + "[0-9]" * 16 + "*"


def to_format4(conn: sqlite3.Connection) -> None:
    """Rebuild the index tables of a format-3 store whose collections hold integers beyond 2**53
    (their keys were the nearest double's; inside a transaction). Other tables stay as they are."""

    def has_long_integers(cid: int) -> bool:
        sql = "SELECT 1 FROM documents WHERE cid=? AND doc GLOB ? LIMIT 1"
        return conn.execute(sql, (cid, _LONG_INTEGER)).fetchone() is not None

    _fill_index_tables(conn, has_long_integers, rebuild=True)


# A document holding an object below its top level (or a "{" inside a string): the only ones
# whose index keys may have changed in format 5.
_NESTED_OBJECT = "{*{*"


def to_format5(conn: sqlite3.Connection) -> None:
    """Rebuild the index tables of a format-4 store whose collections hold nested objects (format
    4 keyed an object by its names first, then its values; inside a transaction)."""

    def has_objects(cid: int) -> bool:
        sql = "SELECT 1 FROM documents WHERE cid=? AND doc GLOB ? LIMIT 1"
        return conn.execute(sql, (cid, _NESTED_OBJECT)).fetchone() is not None

    _fill_index_tables(conn, has_objects, rebuild=True)


def _fill_index_tables(
    conn: sqlite3.Connection, wanted: Callable[[int], bool], *, rebuild: bool = False
) -> None:
    for cid, iid, spec_json in conn.execute("SELECT cid, iid, spec FROM indexes").fetchall():
        spec = json.loads(spec_json)
        index = build_index(iid, spec["name"], spec)
        if not has_table(index) or not wanted(cid):
            continue
        if rebuild:
            conn.execute(f"DELETE FROM {index_table(cid, iid)}")
        docs = (
            json.loads(text)
            for (text,) in conn.execute("SELECT doc FROM documents WHERE cid=?", (cid,))
        )
        for sql, rows in create_table(cid, index, docs):
            conn.executemany(sql, rows)
