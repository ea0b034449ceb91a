"""The SQL a full scan of one collection reads its documents with, page after page, in write
order (``rowid``): through the ``documents_scan`` index, or as a walk of the table's rowids.

Each page is ``rowid, doc`` of the rows after the last one read, in ``rowid`` order, at most a
page's length (``doc``, or a JSON object of the attributes a query reads: :func:`projection`).
Two ways to find them, returning the same rows in the same order:

- **through the index** (``documents_scan``, on ``cid``: its entries are ``(cid, rowid)``):
  one index step and one seek into the table per row of the collection;
- **a rowid walk** (``NOT INDEXED``): the table's rows from the collection's first to its last
  rowid, in the table's own order, every row checked for ``cid``. Rows of other collections
  between the two (written interleaved with this one's) are read and passed over; deleted
  rows cost nothing (they are gone from the table, whatever gap they leave in the rowids). It
  is chosen when the other collections' rows in that range (counted through the index in one
  statement, stopping past the budget) are at most :data:`OTHERS` times the collection's count
  (figures in docs/storage.md, "Committed state").

The bounds are read in the same read transaction as the pages, so every row of the collection
in that snapshot lies within them.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from arangolite.storage.prefilter_match import ARROW

__all__ = ["OTHERS", "ScanSql", "projection", "scan_sql"]

OTHERS = 1 / 3  # other collections' rows a walk may pass over, per row of the collection

_INDEXED = (
    "SELECT rowid, {column} FROM documents INDEXED BY documents_scan"
    " WHERE cid=? AND rowid>?{extra} ORDER BY rowid LIMIT ?"
)
_WALK = (
    "SELECT rowid, {column} FROM documents NOT INDEXED"
    " WHERE rowid>? AND rowid<=? AND cid=?{extra} ORDER BY rowid LIMIT ?"
)
_FIRST = "SELECT rowid FROM documents INDEXED BY documents_scan WHERE cid=? ORDER BY rowid LIMIT 1"
_LAST = (
    "SELECT rowid FROM documents INDEXED BY documents_scan WHERE cid=? ORDER BY rowid DESC LIMIT 1"
)
# A row of another collection (the other cids: two key ranges of collections) in a rowid range
# past the first ``OFFSET`` of them: a seek into documents_scan per other cid, stopping there.
_OTHERS_BEYOND = (
    "SELECT rowid FROM documents INDEXED BY documents_scan"
    " WHERE cid IN (SELECT cid FROM collections WHERE cid < ? OR cid > ?)"
    " AND rowid BETWEEN ? AND ? LIMIT 1 OFFSET ?"
)


class ScanSql:
    """One scan's page query: :meth:`params` gives its parameters after a ``rowid``."""

    def __init__(
        self, sql: str, head: tuple[Any, ...], tail: tuple[Any, ...], *, walk: bool
    ) -> None:
        self.sql = sql
        self._head = head
        self._tail = tail
        self.walk = walk  # a rowid walk (else through the index)

    def params(self, after: int, page: int) -> tuple[Any, ...]:
        """The parameters of the page of at most ``page`` rows after ``rowid`` ``after``."""
        return (*self._head, after, *self._tail, page)


def _bounds(conn: sqlite3.Connection, cid: int) -> tuple[int, int] | None:
    first = conn.execute(_FIRST, (cid,)).fetchone()
    if first is None:
        return None
    last = conn.execute(_LAST, (cid,)).fetchone()
    return int(first[0]), int(last[0])


def _others_within(
    conn: sqlite3.Connection, cid: int, first: int, last: int, budget: int
) -> bool:
    """Whether other collections hold at most ``budget`` rows between ``first`` and ``last``
    (one statement: is there one past the first ``budget``?)."""
    if budget < 0:
        return False
    return conn.execute(_OTHERS_BEYOND, (cid, cid, first, last, budget)).fetchone() is None


def projection(fields: tuple[str, ...] | None) -> tuple[str, list[Any]]:
    """The column a page reads of each row: the document's JSON text, or with ``fields`` (plain
    attribute names, SQLite 3.38+) a JSON object of ``_key`` and those attributes only, each
    as stored (``doc -> '$.name'``: its JSON text; a missing one is null, which AQL's
    ``v.name`` reads the same)."""
    if not fields or not ARROW:
        return "doc", []
    names = [name for name in fields if name != "_key"]
    pairs = "".join(", ?, doc -> ?" for _ in names)
    return f"json_object('_key', key{pairs})", [p for n in names for p in (n, "$." + n)]


def scan_sql(
    conn: sqlite3.Connection, cid: int, count: int | None, extra: str, params: list[Any],
    fields: tuple[str, ...] | None = None,
) -> tuple[ScanSql, int]:
    """The page query of a scan of collection ``cid`` on ``conn`` (``extra``: more ``AND``
    conditions, with ``params``; ``fields``: see :func:`projection`) and the ``rowid`` to read
    after first. ``count``: the collection's count, if known (unknown: through the index)."""
    column, head = projection(fields)
    if count:
        bounds = _bounds(conn, cid)
        if bounds is not None and _others_within(conn, cid, *bounds, int(count * OTHERS)):
            first, last = bounds
            sql = _WALK.format(column=column, extra=extra)
            return ScanSql(sql, tuple(head), (last, cid, *params), walk=True), first - 1
    sql = _INDEXED.format(column=column, extra=extra)
    return ScanSql(sql, (*head, cid), tuple(params), walk=False), -1
