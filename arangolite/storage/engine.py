"""The engine: databases in memory, the durable store, clocks, TTL sweeping, stream transactions.

``Engine(path)`` opens (or creates) a data directory; ``Engine(None)`` is purely in memory.
One re-entrant lock serialises every operation but the reads of one document that
:meth:`Engine.read_document` serves without it and, on disk, the read-only queries that run on
:meth:`Engine.open_snapshot` (see ``storage.lockfree``). The REST layer holds it around each
request, and so must any code that calls the engine from several threads (a query run without
it beside another thread's commit can see half of that commit); long steps let it go inside
(``aql.turns``, index builds and a new index's SQLite write, a big commit's SQLite write:
``Store.commit``), and so does a commit that waits for such a write (``wait_for_store``): code
that holds the lock across a commit must not count on nothing else running meanwhile (a
transaction's own conflict checks run after). :func:`open_engine` shares one engine
per real path within a process. Several processes may open one directory: each catches up on the
others' commits before serving a request, starting a transaction (one a request begins under the
lock: at the request's start, :meth:`Engine.serving`) or committing (see ``storage.sync``).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import weakref
from typing import Any

from arangolite.errors import (
    CONFLICT,
    DATABASE_NAME_INVALID,
    DATABASE_NOT_FOUND,
    DUPLICATE_NAME,
    FORBIDDEN,
    ArangoError,
)
from arangolite.storage import lockfree
from arangolite.storage.cache import default_cache_bytes
from arangolite.storage.collection import Collection
from arangolite.storage.database import Database
from arangolite.storage.datadir import DB_FILE
from arangolite.storage.durability import Store
from arangolite.storage.engine_lock import EngineLock
from arangolite.storage.keys import RevisionClock, is_valid_database_name
from arangolite.storage.ondisk import DiskBacking
from arangolite.storage.persistence import EnginePersistence, drop_collection_sql
from arangolite.storage.rules import RuleBook
from arangolite.storage.snapshots import Snapshots
from arangolite.storage.streams import StreamRegistry
from arangolite.storage.sync import catch_up, load_into
from arangolite.storage.ticks import Ticks
from arangolite.validation import RULES

__all__ = ["Engine", "open_engine"]

_log = logging.getLogger("arangolite.storage")
_REGISTRY: dict[str, Engine] = {}
_REGISTRY_LOCK = threading.Lock()


class Engine(EnginePersistence):
    """All databases of one data directory (or of memory when ``path`` is None).

    Args:
        path: data directory; None for an in-memory engine.
        ttl_interval: seconds between background TTL sweeps (ArangoDB's default is 30).
        ttl_lazy: also sweep expired documents before serving each request.
        stream_idle_timeout: seconds after which an idle stream transaction is aborted.
        stream_lock_timeout: seconds a request waits for a stream transaction another request
            uses (``--transaction.streaming-lock-timeout``; default 8 as in ArangoDB, or what
            ``stream_lease.set_default_lock_timeout`` set; see ``storage.stream_lease``).
        cache_mb: budget of the decoded-document cache of a data directory read on demand
            (default: ``$ARANGOLITE_CACHE_MB``, else 128).
        on_disk: read a data directory's documents and indexes from disk on demand (default);
            False loads every document into memory at open (the previous behaviour).
    """

    def __init__(
        self,
        path: str | None = None,
        *,
        ttl_interval: float = 30.0,
        ttl_lazy: bool = True,
        stream_idle_timeout: float = 60.0,
        stream_lock_timeout: float | None = None,
        cache_mb: float | None = None,
        on_disk: bool = True,
        rules: RuleBook = RULES,
    ) -> None:
        self.path = None if path is None else os.path.realpath(path)
        self.rules = rules  # what collections enforce on writes (``storage.rules``)
        self.lock = EngineLock()  # re-entrant; a long query hands it to waiters between rows
        # notified when a transaction ends (EngineLock has what Condition uses of a lock)
        self.released = threading.Condition(self.lock)  # type: ignore[arg-type]
        # in memory, held (inside ``lock``) while committed documents change: reads without
        # ``lock`` (``read_document``) take it for the instant they read
        self.applying = threading.RLock()
        self.snapshots = Snapshots()  # running transactions, told before documents change
        self.clock = RevisionClock()
        self.databases: dict[str, Database] = {}
        self.streams = StreamRegistry(stream_idle_timeout, stream_lock_timeout)
        self.ttl_lazy = ttl_lazy
        self.seq = 0  # last change row of the store applied in memory
        self.catalog_version = 0
        self.data_version = -1
        # the thread serving a request under the lock that caught up at its start (see serving)
        self._caught_up_by: int | None = None
        self._closed = False
        self.store = None if self.path is None else Store(self.path)
        self._ticks = Ticks(None if self.store is None else self.store.reserve_ticks)
        self.disk: DiskBacking | None = None
        try:
            if self.store is not None and self.path is not None and on_disk:
                self.disk = DiskBacking(
                    os.path.join(self.path, DB_FILE), 30.0, default_cache_bytes(cache_mb)
                )
                self.store.checkpoint_by_hand()  # DiskBacking.trim_log checkpoints
            if self.store is not None:
                load_into(self, self.store)
                self.data_version = self.store.data_version()
            if "_system" not in self.databases:
                self.create_database("_system")
        except BaseException:
            if self.disk is not None:
                self.disk.close()
            if self.store is not None:
                self.store.close()
            raise
        self._stop = threading.Event()
        self._sweeper = threading.Thread(
            target=_sweep_loop,
            args=(weakref.ref(self), self._stop, ttl_interval),
            name="arangolite-ttl",
            daemon=True,
        )
        self._sweeper.start()

    # -- clocks ----------------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has begun."""
        return self._closed

    def tick(self) -> int:
        """An engine-wide increasing number (ids, traditional keys); thread-safe, and unique among
        the processes sharing the data directory (each reserves blocks of ticks in the store, the
        next one ahead while the store is free: ``storage.ticks``)."""
        return self._ticks()

    def catch_up(self) -> None:
        """Apply what other processes committed since this one last looked (nothing to do in a
        request that caught up at its start and still holds the lock, see :meth:`serving`)."""
        with self.lock:
            if self._caught_up_by != threading.get_ident():
                catch_up(self)

    def serving(self) -> _Serving:
        """``with engine.serving():`` around one request served under the engine lock (held by
        the caller): catch up on other processes' commits once, at its start; until the block
        ends the request's further catch-ups (a transaction it begins, a cache lookup) are
        skipped. A request reads what was committed when it began, as one under a single
        snapshot would; its commits still check for conflicts against whatever others committed
        meanwhile (``persist`` catches up inside the store's write transaction)."""
        return _Serving(self)

    def open_snapshot(self, db: Database) -> Any:
        """A read-only transaction on a snapshot of its own, or None (see ``storage.lockfree``)."""
        return lockfree.open_snapshot(self, db)

    def read_document(self, db_name: str, coll_name: str, key: str) -> tuple[bool, Any]:
        """``(True, document or None)`` of ``coll_name/key`` read without the engine lock, or
        ``(False, None)`` when it must be read under the lock (see ``storage.lockfree``)."""
        return lockfree.read_document(self, db_name, coll_name, key)

    def read_batch(self, db: Database, coll_name: str, read: Any) -> tuple[bool, Any]:
        """``(True, read(reader))`` over one snapshot of ``coll_name`` without the engine lock, or
        ``(False, None)``: run it under the lock (see ``storage.lockfree``)."""
        return lockfree.read_batch(self, db, coll_name, read)

    # -- databases -------------------------------------------------------------------------------

    def database(self, name: str) -> Database:
        db = self.databases.get(name)
        if db is None:
            raise ArangoError(DATABASE_NOT_FOUND, name)
        return db

    def create_database(self, name: Any) -> Database:
        if not is_valid_database_name(name):
            raise ArangoError(DATABASE_NAME_INVALID, message="database name invalid")
        with self.lock:
            if name in self.databases:
                raise ArangoError(DUPLICATE_NAME, message="duplicate database name")
            db = Database(self, name, str(1 if name == "_system" else self.tick()))
            self._catalog([("INSERT INTO databases VALUES (?, ?, ?)", (name, db.id, "{}"))])
            self.databases[name] = db
            return db

    def drop_database(self, name: str) -> None:
        with self.lock:
            if name == "_system":
                raise ArangoError(FORBIDDEN, message="forbidden: cannot drop _system")
            db = self.database(name)
            statements: list[tuple[str, tuple[Any, ...]]] = []
            for coll in db.collections.values():
                statements.extend(drop_collection_sql(coll))
            statements.append(("DELETE FROM graphs WHERE db=?", (name,)))
            statements.append(("DELETE FROM databases WHERE name=?", (name,)))
            self._catalog(statements)  # first: when it fails (disk full) nothing changed
            self.streams.drop_database(db)
            for coll in db.collections.values():
                coll.dropped = True
            del self.databases[name]

    # -- maintenance -----------------------------------------------------------------------------

    def maintenance(self) -> None:
        """Work done before serving a request: idle stream expiry and (lazy) TTL sweeping."""
        with self.lock:
            catch_up(self)
            self.streams.expire_idle()
            if self.ttl_lazy:
                self.sweep_ttl()

    def sweep_ttl(self, now: float | None = None) -> int:
        """Remove documents whose TTL expired; return how many were removed."""
        now = time.time() if now is None else now
        removed = 0
        with self.lock:
            catch_up(self)
            for db in list(self.databases.values()):
                for coll in list(db.collections.values()):
                    removed += _sweep_collection(db, coll, now)
        return removed

    def close(self) -> None:
        """Stop background work and release the data directory."""
        with self.lock:
            if self._closed:
                return
            self._closed = True
            self.lock.closed = True
            self._stop.set()
            if self.store is not None:  # a commit writing with the lock let go ends first
                self.store.gate.acquire()
            try:
                if self.disk is not None:
                    self.disk.publish_pending()  # (stored: its transaction is committed)
                for trx in list(self.streams.running.values()):
                    trx.abort()
                if self.disk is not None:
                    self.disk.close()
                if self.store is not None:
                    self.store.close()
            finally:
                if self.store is not None:
                    self.store.gate.release()
        with _REGISTRY_LOCK:
            if self.path is not None and _REGISTRY.get(self.path) is self:
                del _REGISTRY[self.path]


def _sweep_loop(ref: weakref.ref[Engine], stop: threading.Event, interval: float) -> None:
    """Background maintenance; holds the engine only weakly so an unused engine can go away."""
    while not stop.wait(interval):
        engine = ref()
        if engine is None:
            return
        try:
            with engine.lock:
                if engine._closed:
                    return
                engine.streams.expire_idle()
                engine.sweep_ttl()
        except Exception:  # the sweeper must survive and retry later
            _log.exception("background TTL sweep failed")
        del engine


def _sweep_collection(db: Database, coll: Collection, now: float) -> int:
    ttl = coll.ttl_index()
    if ttl is None:
        return 0
    first = ttl.next_expiry()
    if first is None or first > now:
        return 0
    keys = [k for k in ttl.expired(now) if k not in coll.locks]
    if not keys or coll.exclusive is not None:
        return 0
    trx = db.begin()
    handle = trx.collection(coll.name)
    try:
        for key in keys:
            if handle.get(key) is not None:
                handle.remove(key)
        trx.commit()
    except ArangoError as exc:  # another process removed or changed them first: next sweep
        trx.abort()
        if exc.code is not CONFLICT:
            raise
        return 0
    return len(keys)


class _Serving:
    """See :meth:`Engine.serving` (a class: a generator context costs a request a microsecond).
    The mark names the thread and is dropped by the block that set it; a request of another
    thread served meanwhile (this one waiting on ``released``) may overwrite it, after which
    this one catches up again as before (never less)."""

    __slots__ = ("_engine", "_nested")

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._nested = False

    def __enter__(self) -> None:
        engine, me = self._engine, threading.get_ident()
        catch_up(engine)
        self._nested = engine._caught_up_by == me
        engine._caught_up_by = me

    def __exit__(self, *exc: object) -> None:
        engine = self._engine
        if not self._nested and engine._caught_up_by == threading.get_ident():
            engine._caught_up_by = None


def open_engine(path: str | None = None, **options: Any) -> Engine:
    """The engine for ``path``, shared within this process (a new one for ``None``)."""
    if path is None:
        return Engine(None, **options)
    real = os.path.realpath(path)
    with _REGISTRY_LOCK:
        engine = _REGISTRY.get(real)
        if engine is None:
            engine = _REGISTRY[real] = Engine(real, **options)
        return engine


def parse_json(text: str) -> Any:
    """Decode catalogue JSON."""
    return json.loads(text)
