"""Read connections of their own, for reads that do not take the engine lock.

A request that only reads one document of an on-disk engine need not wait for the request that
holds the engine lock (a long query, a big import): it takes a connection from the
:class:`ReadPool`, begins a read transaction (SQLite's WAL gives it a snapshot of whole commits,
this process's and others'), resolves the collection and reads the document in that snapshot,
and ends it. :func:`snapshot_tag` names a snapshot the way the document cache does, so the read
can use the cache exactly when the cache holds that snapshot (see :mod:`arangolite.storage.cache`).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator

from arangolite.storage.cache import MISSING, DocCache, Tag, cost
from arangolite.storage.keycodec import number_at

__all__ = ["ReadPool", "first_expiry", "read_document", "snapshot_tag"]

_SPARE = 8
Document = dict[str, object]


def snapshot_tag(conn: sqlite3.Connection) -> Tag:
    """``(last change row, catalogue version)`` of the snapshot ``conn`` reads."""
    row = conn.execute(
        "SELECT (SELECT MAX(seq) FROM changes), (SELECT value FROM meta WHERE key='catalog')"
    ).fetchone()
    return int(row[0] or 0), int(row[1] or 0)


class ReadPool:
    """Read-only connections to one data directory's database file, reused."""

    def __init__(self, db_file: str, timeout: float) -> None:
        self._db_file = db_file
        self._timeout = timeout
        self._spare: list[sqlite3.Connection] = []
        # (catalogue version, database, collection) -> (cid or None, index ids) in snapshots of
        # that version (see snapshot_read.SnapshotRead._catalog)
        self.catalog: dict[tuple[int, str, str], tuple[int | None, frozenset[str]]] = {}
        self._lock = threading.Lock()
        self._closed = False

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A connection inside a read transaction (its snapshot starts at the first read)."""
        with self._lock:
            conn = self._spare.pop() if self._spare else None
        if conn is None:
            conn = sqlite3.connect(
                self._db_file, isolation_level=None, check_same_thread=False,
                timeout=self._timeout,
            )
            conn.execute("PRAGMA query_only=1")
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            keep = False
            with contextlib.suppress(sqlite3.Error):
                conn.execute("COMMIT")
                keep = True
            with self._lock:
                if keep and not self._closed and len(self._spare) < _SPARE:
                    self._spare.append(conn)
                    conn = None
            if conn is not None:
                conn.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            spare, self._spare = self._spare, []
        for conn in spare:
            with contextlib.suppress(sqlite3.Error):
                conn.close()


_COLLECTION_SQL = (
    "SELECT cid, (SELECT iid FROM indexes AS i WHERE i.cid = c.cid"
    " AND json_extract(i.spec, '$.type') = 'ttl') FROM collections AS c WHERE db=? AND name=?"
)


def first_expiry(conn: sqlite3.Connection, cid: int, iid: object) -> float | None:
    """The earliest expiry time in TTL index ``iid`` of collection ``cid`` (in ``conn``'s
    snapshot), None when no document expires."""
    row = conn.execute(f"SELECT k FROM ix_{cid}_{int(str(iid))} ORDER BY k LIMIT 1").fetchone()
    return None if row is None else number_at(row[0])


def read_document(
    pool: ReadPool, cache: DocCache, db_name: str, coll_name: str, key: str,
    now: float | None = None,
) -> tuple[int, Document | None] | None:
    """``(cid, document or None)`` of ``coll_name/key`` in one snapshot of what is committed
    now; None when the collection is not in that snapshot under that name, or has a TTL index
    and, ``now`` given, the snapshot holds a document expired at ``now`` (which the caller must
    not serve: the locked path sweeps it first)."""
    with pool.snapshot() as conn:
        row = conn.execute(_COLLECTION_SQL, (db_name, coll_name)).fetchone()
        if row is None:
            return None
        cid = int(row[0])
        if row[1] is not None and now is not None:
            first = first_expiry(conn, cid, row[1])
            if first is not None and first <= now:
                return None
        tag = snapshot_tag(conn)
        doc = cache.get_at(tag, cid, key)
        if doc is not MISSING:
            return cid, doc
        found = conn.execute(
            "SELECT doc FROM documents WHERE cid=? AND key=?", (cid, key)
        ).fetchone()
    if found is None:
        cache.put_at(tag, cid, key, None, 0)
        return cid, None
    doc = json.loads(found[0])
    cache.put_at(tag, cid, key, doc, cost(len(found[0])))
    return cid, doc
