"""The engine: databases in memory, the durable store, clocks, TTL sweeping, stream transactions.

``Engine(path)`` opens (or creates) a data directory; ``Engine(None)`` is purely in memory.
One re-entrant lock serialises every operation. :func:`open_engine` shares one engine per real
path within a process. Several processes may open one directory: each catches up on the others'
commits before serving a request, starting a transaction or committing (see ``storage.sync``).
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from arangolite.errors import (
    CONFLICT,
    DATABASE_NAME_INVALID,
    DATABASE_NOT_FOUND,
    DUPLICATE_NAME,
    FORBIDDEN,
    ArangoError,
)
from arangolite.storage.cache import default_cache_bytes
from arangolite.storage.collection import Collection, unique_violation
from arangolite.storage.database import Database
from arangolite.storage.datadir import DB_FILE
from arangolite.storage.disk_state import index_table
from arangolite.storage.durability import Statement, Store, dumps
from arangolite.storage.index_rows import commit_rows, create_table, duplicate_key, has_table
from arangolite.storage.keys import RevisionClock, is_valid_database_name
from arangolite.storage.ondisk import DiskBacking
from arangolite.storage.overlay import Overlay
from arangolite.storage.snapshots import Snapshots
from arangolite.storage.streams import StreamRegistry
from arangolite.storage.sync import catch_up, catch_up_documents, load_into
from arangolite.storage.transactions import serialize

__all__ = ["Engine", "open_engine"]

_log = logging.getLogger("arangolite.storage")
_REGISTRY: dict[str, Engine] = {}
_REGISTRY_LOCK = threading.Lock()


class Engine:
    """All databases of one data directory (or of memory when ``path`` is None).

    Args:
        path: data directory; None for an in-memory engine.
        ttl_interval: seconds between background TTL sweeps (ArangoDB's default is 30).
        ttl_lazy: also sweep expired documents before serving each request.
        stream_idle_timeout: seconds after which an idle stream transaction is aborted.
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
        cache_mb: float | None = None,
        on_disk: bool = True,
    ) -> None:
        self.path = None if path is None else os.path.realpath(path)
        self.lock = threading.RLock()
        self.released = threading.Condition(self.lock)  # notified when a transaction ends
        self.snapshots = Snapshots()  # running transactions, told before documents change
        self.clock = RevisionClock()
        self.databases: dict[str, Database] = {}
        self.streams = StreamRegistry(stream_idle_timeout)
        self.ttl_lazy = ttl_lazy
        self._ticks = itertools.count(101)
        self._tick_limit = 1 << 62  # in memory: no reservation needed
        self._tick_lock = threading.Lock()
        self.seq = 0  # last change row of the store applied in memory
        self.catalog_version = 0
        self.data_version = -1
        self._closed = False
        self.store = None if self.path is None else Store(self.path)
        self.disk: DiskBacking | None = None
        try:
            if self.store is not None and self.path is not None and on_disk:
                self.disk = DiskBacking(
                    os.path.join(self.path, DB_FILE), 30.0, default_cache_bytes(cache_mb)
                )
            if self.store is not None:
                self._tick_limit = 0
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

    def tick(self) -> int:
        """An engine-wide increasing number (ids, traditional keys); thread-safe, and unique among
        the processes sharing the data directory (each reserves blocks of ticks in the store)."""
        with self._tick_lock:
            value = next(self._ticks)
            if value >= self._tick_limit:
                assert self.store is not None
                low, self._tick_limit = self.store.reserve_ticks(value)
                self._ticks = itertools.count(low + 1)
                value = low
            return value

    def catch_up(self) -> None:
        """Apply what other processes committed since this one last looked."""
        with self.lock:
            catch_up(self)

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
                statements.extend(_drop_collection_sql(coll))
            statements.append(("DELETE FROM graphs WHERE db=?", (name,)))
            statements.append(("DELETE FROM databases WHERE name=?", (name,)))
            self._catalog(statements)  # first: when it fails (disk full) nothing changed
            self.streams.drop_database(db)
            for coll in db.collections.values():
                coll.dropped = True
            del self.databases[name]

    # -- catalogue persistence -------------------------------------------------------------------

    def _catalog(
        self, statements: list[tuple[str, tuple[Any, ...]]], many: list[Statement] | None = None
    ) -> None:
        if self.store is not None:
            version = self.store.execute(statements, self.clock.last, many)
            if version == self.catalog_version + 1:  # else another process changed it too
                self.catalog_version = version
            if self.disk is not None:  # read what was just written (new tables, documents)
                self.disk.refresh(self._by_cid(), self.snapshots)

    def _by_cid(self) -> dict[int, Collection]:
        return {c.cid: c for db in self.databases.values() for c in db.collections.values()}

    def attach_new(self, coll: Collection) -> None:
        """Give a newly created collection the engine's kind of committed state."""
        if self.disk is not None:
            self.disk.attach(coll)

    def store_collection(
        self, db: Database, coll: Collection, *, rewrite_documents: bool = False
    ) -> None:
        """Persist a collection's catalogue entry (and, after a rename, its documents' ``_id``)."""
        props = dumps(coll.stored_props())
        statements: list[tuple[str, tuple[Any, ...]]] = [
            (
                "INSERT OR REPLACE INTO collections VALUES (?, ?, ?, ?)",
                (coll.cid, db.name, coll.name, props),
            )
        ]
        if rewrite_documents:
            statements.extend(
                (
                    "UPDATE documents SET doc=? WHERE cid=? AND key=?",
                    (dumps({**d, "_id": f"{coll.name}/{d['_key']}"}), coll.cid, d["_key"]),
                )
                for d in list(coll.state.scan())
            )
        self._catalog(statements)
        if rewrite_documents and self.disk is not None:
            self.disk.cache.clear()  # the scan above cached the documents with their old _id

    def forget_collection(self, coll: Collection) -> None:
        self._catalog(_drop_collection_sql(coll))

    def store_index(self, coll: Collection, index: Any, spec: dict[str, Any]) -> None:
        """Build ``index`` over the committed documents and persist it (1210 on duplicates)."""
        docs = list(coll.state.scan())
        tabled = self.store is not None and has_table(index)
        if self.disk is None or not has_table(index):
            index.bulk_load(docs)
        many = create_table(coll.cid, index, docs) if tabled else []
        if getattr(index, "unique", False):
            dup = duplicate_key(many[1][1]) if tabled else index.entries.duplicate()
            if dup is not None:
                raise unique_violation(index, dup)
        row = ("INSERT INTO indexes VALUES (?, ?, ?)", (coll.cid, spec["id"], dumps(spec)))
        self._catalog([row], many)
        if self.disk is not None and tabled:
            self.disk.attach_index(coll, index)

    def forget_index(self, coll: Collection, iid: str) -> None:
        self._catalog(
            [
                ("DELETE FROM indexes WHERE cid=? AND iid=?", (coll.cid, iid)),
                (f"DROP TABLE IF EXISTS {index_table(coll.cid, iid)}", ()),
            ]
        )

    def store_graph(self, db: Database, doc: dict[str, Any]) -> None:
        self._catalog(
            [("INSERT OR REPLACE INTO graphs VALUES (?, ?, ?)", (db.name, doc["_key"], dumps(doc)))]
        )

    def forget_graph(self, db: Database, name: str) -> None:
        self._catalog([("DELETE FROM graphs WHERE db=? AND name=?", (db.name, name))])

    def persist(
        self, overlays: list[Overlay], *, sync: bool = False, check: Callable[[], None]
    ) -> None:
        """Durably write a committing transaction's changes (in memory: only ``check``).

        Inside the store's write transaction, first catch up on other processes' commits, then
        run ``check`` (which raises to refuse the commit). ``sync`` (or a written collection with
        ``waitForSync``) also fsyncs the log.
        """
        store = self.store
        if store is None or not overlays:
            check()
            return

        def before() -> list[Statement]:
            catch_up_documents(self)
            check()
            return self._index_rows(overlays)

        upserts, deletes = serialize(overlays)
        props = [(dumps(o.coll.stored_props()), o.coll.cid) for o in overlays]
        sync = sync or any(o.coll.props.get("waitForSync") for o in overlays)
        try:
            seq = store.commit(upserts, deletes, props, self.clock.last, sync=sync, before=before)
        except BaseException:
            if self.disk is not None:
                self.disk.known = {}
            raise
        if self.disk is not None:
            self.disk.known_seq = seq
        else:
            self.seq = seq

    def _index_rows(self, overlays: list[Overlay]) -> list[Statement]:
        """Index and edge rows a commit writes beside the documents (and, on disk, what it
        replaces, for the catch-up after it)."""
        out: list[Statement] = []
        for overlay in overlays:
            coll, writes = overlay.coll, overlay.writes
            if self.disk is None and not coll.is_edge and not coll.indexes:
                continue
            olds = coll.state.get_many(list(writes))
            if self.disk is not None:
                for key, new in writes.items():
                    self.disk.remember(coll.cid, key, olds.get(key), new)
            out.extend(commit_rows(coll.cid, coll.indexes, coll.is_edge, writes, olds))
        return out

    def committed(self, overlays: list[Overlay]) -> None:
        """Make a durable commit visible (after running transactions were told)."""
        if self.disk is None:
            for overlay in overlays:
                apply = overlay.coll.apply
                for key, new in overlay.writes.items():
                    apply(key, new)
        elif overlays:
            self.disk.refresh(self._by_cid(), self.snapshots)
            self.seq = self.disk.pins.current.seq
            assert self.store is not None
            self.disk.trim_log(self.store)

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
            self._stop.set()
            for trx in list(self.streams.running.values()):
                trx.abort()
            if self.disk is not None:
                self.disk.close()
            if self.store is not None:
                self.store.close()
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


def _drop_collection_sql(coll: Collection) -> list[tuple[str, tuple[Any, ...]]]:
    cid = coll.cid
    return [
        ("DELETE FROM documents WHERE cid=?", (cid,)),
        ("DELETE FROM edges WHERE cid=?", (cid,)),
        ("DELETE FROM indexes WHERE cid=?", (cid,)),
        ("DELETE FROM collections WHERE cid=?", (cid,)),
        *((f"DROP TABLE IF EXISTS {index_table(cid, i.id)}", ()) for i in coll.indexes),
    ]


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
