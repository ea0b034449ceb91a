"""The durable store: one SQLite database (WAL mode) in the data directory, shared by processes.

Tables: ``meta`` (format marker, clock, catalogue version, reserved ticks), ``databases``,
``collections`` (by numeric id, with their properties as JSON), ``indexes``, ``graphs``,
``documents`` (``cid``, ``key``, JSON text) and ``changes`` (``seq``, ``cid``, ``key``: one row
per document a commit wrote). Documents are written with ``INSERT OR REPLACE`` so ``rowid`` order
is last-write order, the order a collection scan returns after a restart. Every commit is one
SQLite transaction; SQLite's write lock orders the commits of several processes, and each process
catches up on the others' through ``changes`` (see :mod:`arangolite.storage.sync`).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from arangolite.errors import DATADIR_INVALID, ArangoError
from arangolite.io_errors import sqlite_failure
from arangolite.storage.bulk_sql import run_many
from arangolite.storage.datadir import (
    DB_FILE,
    FORMAT,
    check_existing,
    migrate_alone,
    opening,
    prepare,
)
from arangolite.storage.log_sync import LogSync
from arangolite.storage.wal_index import log_bytes

__all__ = [
    "DB_FILE", "FORMAT", "LOG_FILE_KEPT", "SYNC_INTERVAL", "Apart", "Snapshot", "Store", "dumps",
]

Row = tuple[Any, ...]
Statement = tuple[str, Iterable[Row]]  # SQL and its rows (executemany)
_KEEP_CHANGES = 200_000  # change rows kept for processes that fall behind (then: full reload)
_PRUNE_EVERY = 4096
_TICK_BLOCK = 1 << 16  # ticks reserved at a time, so two processes never hand out the same one
_BUSY_TIMEOUT_S = 30.0
# The log is fsynced at most this long after an acknowledged commit (by the next commit that
# comes this long after the last sync, else by a timer: log_sync.py), so a power loss or an OS
# crash loses at most about this much (kill -9 loses none: every commit is whole in the log)
SYNC_INTERVAL = 0.1
_WRITER_CACHE_KB = 32 * 1024  # the writing connection's page cache (grows only as used)
# When the log starts over, SQLite cuts its file back to this size: a commit then overwrites
# blocks the file already has instead of appending to a file cut back to nothing (at a million
# documents a 10k-document import commit writes some 23 MB of log). Twice the on-disk engine's
# checkpoint limit (ondisk._WAL_LIMIT, 64 MB), so the file is not cut back in a bulk import.
LOG_FILE_KEPT = 128 << 20


@dataclass
class Snapshot:
    """The catalogue as stored (documents are streamed separately)."""

    meta: dict[str, str] = field(default_factory=dict)
    databases: list[Row] = field(default_factory=list)
    collections: list[Row] = field(default_factory=list)
    indexes: list[Row] = field(default_factory=list)
    graphs: list[Row] = field(default_factory=list)


class Apart(Protocol):
    """How a commit writes its rows with the engine lock let go (``Store.commit``)."""

    def gap(self) -> contextlib.AbstractContextManager[Any]:
        """The span with the engine lock let go (entered after ``before``)."""

    def done(self, seq: int) -> None:
        """The commit is stored, up to change row ``seq`` (a catalogue change: its version;
        called before the gate is given back: whoever takes it next finds the commit to make
        visible)."""

    def failed(self) -> None:
        """Nothing was stored (called in the gap, before the gate is given back)."""


class Store:
    """The SQLite store of one data directory (other processes may have it open too)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.synced_at = time.monotonic()  # the last commit whose log was fsynced
        check_existing(path)
        with opening(path):
            migrate_alone(path)  # before this store's own connection: the migration is alone
            try:
                self._conn = sqlite3.connect(
                    os.path.join(path, DB_FILE),
                    isolation_level=None,
                    check_same_thread=False,
                    timeout=_BUSY_TIMEOUT_S,
                )
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=NORMAL")
                # When the log starts over, cut the file back to LOG_FILE_KEPT (it never
                # shrinks otherwise); how long the log is comes from its headers (wal_bytes).
                self._conn.execute(f"PRAGMA journal_size_limit={LOG_FILE_KEPT}")
                # SQLite's default page cache (2 MB) is smaller than what a 10k-document commit
                # touches once the collection and its indexes grow past a few MB.
                self._conn.execute(f"PRAGMA cache_size=-{_WRITER_CACHE_KB}")
                # a replaced document's row is deleted by its REPLACE: the counts' delete
                # trigger must see it (``migrate.COUNTS_SQL``)
                self._conn.execute("PRAGMA recursive_triggers=ON")
                prepare(self._conn, path)
            except sqlite3.Error as exc:
                with contextlib.suppress(Exception):
                    self._conn.close()
                raise ArangoError(
                    DATADIR_INVALID, f"{path}: cannot open the store ({exc})"
                ) from None

        self.log_sync = LogSync(
            os.path.join(path, DB_FILE + "-wal"), SYNC_INTERVAL, self._synced_from
        )
        # held by whoever uses the connection for a write transaction (or a checkpoint): a
        # commit whose rows are written with the engine lock let go (:meth:`commit`, ``apart``)
        # holds it from ``BEGIN`` to ``COMMIT`` while other requests run
        self.gate = threading.RLock()

    def _synced_from(self, began: float) -> None:
        """The log timer's fsync that began at ``began`` is done."""
        self.synced_at = max(self.synced_at, began)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        """One SQLite write transaction: all or nothing, SQLite failures as ArangoDB errors."""
        with self.gate:
            cur = self._begin()
            try:
                yield cur
                cur.execute("COMMIT")
            except BaseException as exc:
                self._rolled_back(cur, exc)
                raise

    def _begin(self) -> sqlite3.Cursor:
        cur = self._conn.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._failure(exc) from None
        return cur

    def _rolled_back(self, cur: sqlite3.Cursor, exc: BaseException) -> None:
        """Roll back after ``exc``; raise a SQLite failure as the ArangoDB error for it."""
        with contextlib.suppress(sqlite3.Error):
            cur.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise self._failure(exc) from None

    def _failure(self, exc: sqlite3.Error) -> ArangoError:
        """What a failed write means for the user (nothing of it was stored)."""
        return sqlite_failure(exc, self.path, _BUSY_TIMEOUT_S)

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """One consistent read snapshot for several reads."""
        self._conn.execute("BEGIN")
        try:
            yield
        finally:
            self._conn.execute("COMMIT")

    # -- reads -----------------------------------------------------------------------------------

    def load(self, conn: sqlite3.Connection | None = None) -> Snapshot:
        """The catalogue: meta, databases, collections, indexes, graphs (read on ``conn``,
        a pinned snapshot, when given)."""
        q = (conn or self._conn).execute
        return Snapshot(
            meta=dict(q("SELECT key, value FROM meta").fetchall()),
            databases=q("SELECT name, id, props FROM databases ORDER BY rowid").fetchall(),
            collections=q("SELECT cid, db, name, props FROM collections ORDER BY cid").fetchall(),
            indexes=q("SELECT cid, iid, spec FROM indexes ORDER BY rowid").fetchall(),
            graphs=q("SELECT db, name, doc FROM graphs ORDER BY rowid").fetchall(),
        )

    def documents(self, cid: int | None = None) -> Iterator[Row]:
        """``(cid, key, json)`` for every document (of ``cid``), in last-write order."""
        if cid is None:
            yield from self._conn.execute("SELECT cid, key, doc FROM documents ORDER BY rowid")
        else:
            yield from self._conn.execute(
                "SELECT cid, key, doc FROM documents WHERE cid=? ORDER BY rowid", (cid,)
            )

    def wal_bytes(self) -> int:
        """Bytes of the write-ahead log (its frames, read from the log's headers; the file is kept
        allocated when the log starts over, so its size is only the fallback)."""
        found = log_bytes(os.path.join(self.path, DB_FILE))
        if found is not None:
            return found
        try:
            return os.path.getsize(os.path.join(self.path, DB_FILE + "-wal"))
        except OSError:
            return 0

    def checkpoint_by_hand(self) -> None:
        """Stop SQLite's automatic checkpoints on this process's commits (an on-disk engine,
        whose pinned snapshot keeps the log from starting over, checkpoints in
        :meth:`DiskBacking.trim_log` instead). Automatic ones ran after every commit once the log
        passed 1,000 pages, each with two ``fsync`` calls in the commit; durability is SQLite's
        either way: every commit is one transaction in the log, which a checkpoint only copies."""
        self._conn.execute("PRAGMA wal_autocheckpoint=0")

    def checkpoint(self) -> bool:
        """Copy the log into the database file; True when all of it is copied now."""
        try:
            busy, frames, done = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error:
            return False
        return bool(busy == 0 and frames == done)

    def meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def data_version(self) -> int:
        """Changes whenever another connection (process) committed."""
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def last_seq(self) -> int:
        row = self._conn.execute("SELECT MAX(seq) FROM changes").fetchone()
        return int(row[0] or 0)

    def keys_changed_since(self, cid: int, seq: int) -> list[str] | None:
        """Keys of collection ``cid`` committed after change row ``seq`` (None when change rows
        after ``seq`` were already pruned: the caller reads everything again)."""
        first = self._conn.execute("SELECT MIN(seq) FROM changes").fetchone()[0]
        if first is not None and first > seq + 1:
            return None
        rows = self._conn.execute(
            "SELECT DISTINCT key FROM changes WHERE seq > ? AND cid = ?", (seq, cid)
        ).fetchall()
        return [r[0] for r in rows]

    def changed_since(self, seq: int) -> tuple[list[Row], int, bool]:
        """``(cid, key, json or None)`` of documents committed after ``seq``, the newest seq, and
        False when change rows after ``seq`` were already pruned (the caller reloads)."""
        last = self.last_seq()
        if last <= seq:
            return [], last, True
        first = self._conn.execute("SELECT MIN(seq) FROM changes").fetchone()[0]
        if first is not None and first > seq + 1:
            return [], last, False
        rows = self._conn.execute(
            "SELECT c.cid, c.key, d.doc FROM (SELECT DISTINCT cid, key FROM changes WHERE seq > ?)"
            " AS c LEFT JOIN documents AS d ON d.cid = c.cid AND d.key = c.key",
            (seq,),
        ).fetchall()
        return rows, last, True

    def collection_props(self, cids: list[int]) -> list[Row]:
        marks = ",".join("?" * len(cids))
        sql = f"SELECT cid, props FROM collections WHERE cid IN ({marks})"
        return self._conn.execute(sql, cids).fetchall()

    # -- writes ----------------------------------------------------------------------------------

    def commit(
        self,
        upserts: list[tuple[int, str, str]],
        deletes: list[tuple[int, str]],
        collections: list[tuple[str, int]],
        clock: int,
        *,
        sync: bool = False,
        before: Callable[[], Sequence[Statement]] | None = None,
        apart: Apart | None = None,
    ) -> int:
        """Write one transaction's documents, collection properties and clock atomically; return
        the sequence number of its last change row.

        ``before`` runs first inside the SQLite write transaction (no other process can commit
        meanwhile): it catches up, may raise to refuse the commit, may fill ``collections`` (the
        written collections' properties, as they are after the catch-up), and returns more
        statements (index and edge rows) to run after the documents are written. Every commit survives a
        crash of the process (WAL, ``synchronous=NORMAL``); ``sync`` (``waitForSync``) also fsyncs
        the WAL so it survives a power loss, and so does the first commit after
        :data:`SYNC_INTERVAL` without one; a commit left unsynced is synced by the log timer
        (:class:`~arangolite.storage.log_sync.LogSync`) one interval later at the latest: a power
        loss or an OS crash loses at most about the commits of the last interval (ArangoDB's
        RocksDB syncs its log every 100 ms by default, ``--rocksdb.sync-interval``).

        ``apart``: the statements and ``COMMIT`` run with the engine lock let go (:class:`Apart`);
        the :attr:`gate` is held from ``BEGIN`` to ``COMMIT`` and given back before the lock is
        taken again.
        """
        now = time.monotonic()
        sync = sync or now - self.synced_at >= SYNC_INTERVAL

        def write(cur: sqlite3.Cursor, extra: Sequence[Statement]) -> int:
            return self._write(cur, upserts, deletes, extra, collections, clock)

        return self._written(write, before, apart, sync, now)

    def _written(
        self, write: Callable[[sqlite3.Cursor, Sequence[Statement]], int],
        before: Callable[[], Sequence[Statement]] | None, apart: Apart | None = None,
        sync: bool = False, now: float = 0.0,
    ) -> int:
        """One write transaction holding the :attr:`gate`: ``before`` (under the engine lock),
        then ``write`` given the statements ``before`` returned (it returns what :meth:`commit`
        or :meth:`execute` returns), then ``COMMIT``. ``apart``: ``write`` and ``COMMIT`` run in
        ``apart.gap()``, the gate given back after ``apart.done(result)`` and before the gap
        ends (which takes the engine lock back: a request holding that lock may be waiting for
        the gate). ``sync``: fsync the log at ``COMMIT`` (else the log timer does it later)."""
        gap = apart.gap() if apart is not None else contextlib.nullcontext()
        let_go = False
        self.gate.acquire()
        try:
            if sync:
                self._conn.execute("PRAGMA synchronous=FULL")
            try:
                cur = self._begin()
                try:
                    extra = before() if before is not None else []
                    gap.__enter__()
                    let_go = True
                    result = write(cur, extra)
                    cur.execute("COMMIT")
                except BaseException as exc:
                    try:
                        self._rolled_back(cur, exc)
                    finally:  # (after the rollback: the connection is free again)
                        if let_go and apart is not None:
                            apart.failed()
                    raise
            finally:
                if sync:
                    with contextlib.suppress(sqlite3.Error):
                        self._conn.execute("PRAGMA synchronous=NORMAL")
            if sync:
                self.synced_at = now
            else:
                self.log_sync.pending()
            if apart is not None:
                apart.done(result)
            return result
        finally:
            self.gate.release()
            if let_go:
                gap.__exit__(None, None, None)

    def _write(
        self, cur: sqlite3.Cursor, upserts: list[tuple[int, str, str]],
        deletes: list[tuple[int, str]], extra: Sequence[Statement],
        collections: list[tuple[str, int]], clock: int,
    ) -> int:
        if deletes:
            cur.executemany("DELETE FROM documents WHERE cid=? AND key=?", deletes)
        if upserts:
            run_many(cur, "INSERT OR REPLACE INTO documents VALUES (?, ?, ?)", upserts)
        for sql, rows in extra:
            run_many(cur, sql, rows)
        run_many(
            cur,
            "INSERT INTO changes (cid, key) VALUES (?, ?)",
            [(cid, key) for cid, key, _ in upserts] + deletes,
        )
        if collections:
            cur.executemany("UPDATE collections SET props=? WHERE cid=?", collections)
        _raise_clock(cur, clock)
        seq = int(cur.execute("SELECT MAX(seq) FROM changes").fetchone()[0] or 0)
        if seq // _PRUNE_EVERY != (seq - len(upserts) - len(deletes)) // _PRUNE_EVERY:
            cur.execute("DELETE FROM changes WHERE seq <= ?", (seq - _KEEP_CHANGES,))
        return seq

    def execute(
        self, statements: list[tuple[str, Row]], clock: int, many: Sequence[Statement] | None = None,
        *, before: Callable[[], list[Statement]] | None = None, apart: Apart | None = None,
    ) -> int:
        """Run catalogue statements (then ``many``: each SQL with its rows) in one transaction;
        return the new catalogue version. ``before`` runs first inside the transaction (no other
        process commits meanwhile; as :meth:`commit`'s) and returns more of ``many``;
        ``apart``: as :meth:`commit`'s (``done`` gets the version)."""

        def write(cur: sqlite3.Cursor, more: Sequence[Statement]) -> int:
            for sql, params in statements:
                cur.execute(sql, params)
            for sql, rows in (*(many or ()), *more):
                run_many(cur, sql, rows)
            _raise_clock(cur, clock)
            row = cur.execute("SELECT value FROM meta WHERE key='catalog'").fetchone()
            version = int(row[0]) + 1 if row else 1
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('catalog', ?)", (str(version),))
            return version

        return self._written(write, before, apart)

    def reserve_ticks(self, at_least: int, wait: bool = True) -> tuple[int, int] | None:
        """A block ``[low, high)`` of ticks no other process hands out, ``low >= at_least``
        (see ``storage.ticks``). ``wait`` false (a block reserved ahead): None at once when the
        store is busy (another thread's write, or this thread's own open write transaction),
        and None when the write fails (a full disk: the reservation at the block's end, which
        waits, reports it)."""
        if not wait:
            if not self.gate.acquire(blocking=False):
                return None
            try:
                if self._conn.in_transaction:
                    return None
                return self.reserve_ticks(at_least)
            except ArangoError:
                return None
            finally:
                self.gate.release()
        with self.transaction() as cur:
            row = cur.execute("SELECT value FROM meta WHERE key='tick'").fetchone()
            low = max(int(row[0]) if row else 0, at_least)
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('tick', ?)", (str(low + _TICK_BLOCK),))
            return low, low + _TICK_BLOCK

    def close(self) -> None:
        """Stop the log timer (syncing what is left) and close the connection."""
        self.log_sync.close()
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()


def _raise_clock(cur: sqlite3.Cursor, clock: int) -> None:
    row = cur.execute("SELECT value FROM meta WHERE key='clock'").fetchone()
    if row is None or int(row[0]) < clock:
        cur.execute("INSERT OR REPLACE INTO meta VALUES ('clock', ?)", (str(clock),))


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)


def _one_shot_encoder() -> Callable[[Any, int], Sequence[str]] | None:
    """The C encoder ``_ENCODER.encode`` builds on every call, built once (None when the C
    accelerator is missing or takes other arguments: then ``_ENCODER.encode``)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return None
    try:
        built: Callable[[Any, int], Sequence[str]] = make(
            None, _ENCODER.default, json.encoder.encode_basestring, None,
            _ENCODER.key_separator, _ENCODER.item_separator, _ENCODER.sort_keys,
            _ENCODER.skipkeys, _ENCODER.allow_nan,
        )
        return built if "".join(built({"a": [1.5, None, "é"]}, 0)) == '{"a":[1.5,null,"é"]}' else None
    except TypeError:
        return None


_C_ENCODE = _one_shot_encoder()


def dumps(value: Any) -> str:
    """Compact JSON as stored (what ``_ENCODER.encode`` gives, without its per-call setup)."""
    if _C_ENCODE is None or type(value) is str:
        return _ENCODER.encode(value)
    return "".join(_C_ENCODE(value, 0))
