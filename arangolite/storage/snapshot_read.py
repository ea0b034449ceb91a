"""A read-only transaction on a snapshot of its own, for AQL queries run without the engine lock.

A read-only AQL query of an on-disk engine (issues 8 and 10) need not hold the engine lock: it
reads everything through one read connection of its own (:class:`~arangolite.storage.readers.
ReadPool`), whose SQLite read transaction is one snapshot of whole commits for the query's whole
life, however long it runs and however many batches a streaming cursor spreads it over. A
:class:`SnapshotRead` implements ``storage.api.Transaction`` for it: each collection it reads is
a read-only view bound to that connection (documents, counts, persistent-index tables and edges
all read there; the document cache used only when it holds that same snapshot), so nothing the
query reads comes from the engine's shared pinned snapshot, and commits (which move that pinned
snapshot and tell running transactions what they change) neither reach nor wait for it.

It raises :class:`NeedsLock` when it cannot serve a read exactly as the locked path would:

- the collection is not known in memory under that name, or the snapshot has another collection
  under it (created, renamed or dropped by another process or after the snapshot began: the
  locked path catches up first and gives ArangoDB's errors);
- the query reads a geo or fulltext index (built in memory and moved with the engine's pinned
  snapshot, so not necessarily the query's snapshot); scans and persistent-index reads of such a
  collection are served;
- the collection has a TTL index and the snapshot holds a document that had expired when the
  query began (the locked path's maintenance removes it first; see :meth:`SnapshotRead.
  check_expiry`), or the TTL index is not in the snapshot;
- the query would write (it never should: the caller runs only queries without data modification).

Indexes are those of the collection in memory that the snapshot also has (an index created after
the snapshot began is not used; its table is not in the snapshot). Named graphs' definitions come
from memory, their collections from the snapshot.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
import time
from typing import TYPE_CHECKING, Any, cast

from arangolite.errors import ArangoError
from arangolite.storage.cache import DocCache, Tag
from arangolite.storage.disk_state import DiskEdgeIndex, DiskState, SqliteEntries, index_table
from arangolite.storage.handle import TrxCollection
from arangolite.storage.indexes import PersistentIndex
from arangolite.storage.keys import split_id
from arangolite.storage.overlay import Overlay
from arangolite.storage.readers import ReadPool, snapshot_tag

if TYPE_CHECKING:
    from arangolite.storage.collection import Collection
    from arangolite.storage.database import Database

__all__ = ["MEMORY_INDEXES", "NeedsLock", "ReadOnly", "SnapshotRead"]

Document = dict[str, Any]
MEMORY_INDEXES = ("geo", "fulltext")  # built in memory (at first read), moved with the pinned snapshot
_ids = itertools.count(1)
_CATALOG_ENTRIES = 256  # (catalogue version, database, collection) answers kept per directory


class NeedsLock(Exception):  # a signal ("run this under the lock"), not an error
    """This read cannot be served on the snapshot: run the request under the engine lock."""


class _Pin:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn


class _FixedPins:
    """The ``Pins`` face of one connection: every read goes to the query's snapshot."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.current = _Pin(conn)

    def acquire(self) -> _Pin:
        return self.current

    def release(self, pin: _Pin) -> None:
        pass


class _TaggedCache:
    """The document cache as a reader of snapshot ``tag`` may use it."""

    def __init__(self, cache: DocCache, tag: Tag) -> None:
        self._cache = cache
        self._tag = tag

    def get(self, cid: int, key: str) -> Any:
        return self._cache.get_at(self._tag, cid, key)

    def get_many(self, cid: int, keys: list[str]) -> list[Any]:
        return self._cache.get_many(cid, keys, self._tag)

    def get_present(self, cid: int, keys: list[str]) -> list[Any] | None:
        return self._cache.get_present(cid, keys, self._tag)

    def put(self, cid: int, key: str, doc: Any, size: int) -> None:
        self._cache.put_at(self._tag, cid, key, doc, size)

    def put_many(self, cid: int, items: list[tuple[str, Any, int]]) -> None:
        self._cache.put_many(cid, items, self._tag)

    def current(self) -> contextlib.AbstractContextManager[bool]:
        """Whether the engine's pinned snapshot (its cache and counts) is this one, and stays
        so for the ``with`` block."""
        return self._cache.holding(self._tag)

    @property
    def generation(self) -> int:
        return 0  # put_scan checks the tag instead

    def fits_scan(self, size: int) -> bool:
        return self._cache.fits_scan(size)

    @property
    def scan_hints(self) -> dict[int, int]:
        return self._cache.scan_hints

    def get_scan(self, cid: int) -> list[Any] | None:
        return self._cache.get_scan_at(self._tag, cid)

    def put_scan(self, cid: int, docs: list[Any], size: int, generation: int) -> None:
        self._cache.put_scan_at(self._tag, cid, docs, size)

    def discard(self, cid: int, key: str) -> None:
        raise NeedsLock("a snapshot view never changes")

    def discard_many(self, cid: int, keys: list[str]) -> None:
        if keys:
            raise NeedsLock("a snapshot view never changes")

    def clear(self) -> None:
        raise NeedsLock("a snapshot view never changes")


class _SnapState(DiskState):
    """A collection's documents in the snapshot; its count shared with the engine's state when
    the engine's pinned snapshot is this one (counting a large collection reads all of it)."""

    def __init__(self, coll: Collection, pins: _FixedPins, cache: _TaggedCache) -> None:
        super().__init__(coll.cid, cast(Any, pins), cast(Any, cache))
        self._tagged = cache
        self._shared = coll.state if isinstance(coll.state, DiskState) else None

    def count(self) -> int:
        shared = self._shared
        if self._count is None and shared is not None:
            with self._tagged.current() as current:
                if current:
                    self._count = shared.known_count()
        if self._count is None:
            counted = super().count()
            if shared is not None:
                with self._tagged.current() as current:
                    if current and shared.known_count() is None:
                        shared.seed_count(counted)
        return super().count()


class _MemoryIndex:
    """A geo or fulltext index in a snapshot view: built in memory and moved with the engine's
    pinned snapshot, so it may describe another snapshot than the query's; a query that reads
    it (``TrxCollection.index_view``: the geo functions and filters, ``FULLTEXT``) runs under
    the lock. Queries that only scan or use persistent indexes never touch it."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise NeedsLock(f"a {self.kind} index is in memory, not in the snapshot")


class _SnapCollection:
    """A collection as the snapshot has it (what ``TrxCollection`` reads, nothing it writes)."""

    def __init__(self, coll: Collection, read: SnapshotRead, iids: frozenset[str]):
        pins = read._pins
        self.name = coll.name
        self.cid = coll.cid
        self.is_edge = coll.is_edge
        self.dropped = False
        self.renames = coll.renames  # (read by its ``Overlay``, which holds no writes)
        self.state = _SnapState(coll, pins, read._cache)
        self.edge_index = DiskEdgeIndex(coll.cid, cast(Any, pins)) if coll.is_edge else None
        self.indexes: list[Any] = []
        for index in list(coll.indexes):
            if index.kind in MEMORY_INDEXES:
                self.indexes.append(_MemoryIndex(index.kind))
                continue
            if index.kind == "ttl":
                read.check_expiry(coll, str(index.id) in iids, index_table(coll.cid, index.id))
                continue  # no query reads a TTL index (handle.py picks persistent ones)
            if index.kind != "persistent":
                raise NeedsLock(f"collection '{coll.name}' has a {index.kind} index")
            if str(index.id) not in iids:
                continue  # created after the snapshot began
            # a shallow copy reading this snapshot's table (without copy.copy's generic protocol)
            view: PersistentIndex = object.__new__(type(cast(PersistentIndex, index)))
            view.__dict__.update(index.__dict__)
            view.entries = SqliteEntries(cast(Any, pins), index_table(coll.cid, index.id))
            self.indexes.append(view)

    def __getattr__(self, name: str) -> Any:  # keygen, write rules, locks...: writes only
        raise NeedsLock(f"a snapshot view has no '{name}'")


class ReadOnly:
    """What a read-only snapshot transaction answers to writes (never made: the caller runs only
    read-only queries) and to its end; the class provides ``close``."""

    held_alone = False  # not a stream transaction: holds no engine lock to hand over

    def close(self) -> None:
        raise NotImplementedError

    def check_write(self, name: str) -> None:
        raise NeedsLock("a snapshot read does not write")

    def claim(self, coll: Any, key: str) -> None:
        raise NeedsLock("a snapshot read does not write")

    def next_rev(self) -> str:
        raise NeedsLock("a snapshot read does not write")

    def commit(self) -> None:
        self.close()

    def abort(self) -> None:
        self.close()


class SnapshotRead(ReadOnly):
    """A read-only ``storage.api.Transaction`` on a snapshot of its own (see the module)."""

    def __init__(
        self, db: Database, pool: ReadPool, cache: DocCache, *, sweeps: bool = True
    ) -> None:
        self.db = db
        self.id = f"snapshot-{next(_ids)}"
        self.status = "running"
        self._sweeps = sweeps
        self._scope = pool.snapshot()
        self._conn = self._scope.__enter__()
        try:
            self.tag = snapshot_tag(self._conn)  # the first read: the snapshot starts here
        except BaseException:
            self.close()
            raise
        self.started = time.time()  # the moment the query reads "now" as, for TTL expiry
        self._pins = _FixedPins(self._conn)
        self._cache = _TaggedCache(cache, self.tag)
        self._colls: dict[str, _SnapCollection] = {}
        self._known = pool.catalog

    # -- reads -----------------------------------------------------------------------------------

    def _snapshot_cid(self, name: str) -> int | None:
        return self._catalog(name)[0]

    def _catalog(self, name: str) -> tuple[int | None, frozenset[str]]:
        """``(cid, index ids)`` of collection ``name`` in this snapshot (None: not there).

        Every catalogue change raises the catalogue version in its own commit, so one version
        (the snapshot tag's second part) has one answer: it is kept per data directory
        (:attr:`ReadPool.catalog`) and read from SQLite once per version, not once per query.
        """
        ident = (self.tag[1], self.db.name, name)
        known = self._known.get(ident)
        if known is not None:
            return known
        row = self._conn.execute(
            "SELECT cid FROM collections WHERE db=? AND name=?", (self.db.name, name)
        ).fetchone()
        cid = None if row is None else int(row[0])
        iids: frozenset[str] = frozenset()
        if cid is not None:
            rows = self._conn.execute("SELECT iid FROM indexes WHERE cid=?", (cid,))
            iids = frozenset(str(r[0]) for r in rows)
        if len(self._known) >= _CATALOG_ENTRIES:
            self._known.clear()
        self._known[ident] = (cid, iids)
        return cid, iids

    def _resolve(self, name: str) -> _SnapCollection:
        found = self._colls.get(name)
        if found is not None:
            return found
        coll = self.db.collections.get(name)
        cid, iids = self._catalog(name)
        if coll is None or coll.dropped or cid != coll.cid:
            raise NeedsLock(f"collection '{name}' is not the one of the snapshot")
        found = self._colls[name] = _SnapCollection(coll, self, iids)
        return found

    def check_expiry(self, coll: Collection, in_snapshot: bool, table: str) -> None:
        """Raise NeedsLock unless the snapshot holds no document of ``coll`` (which has a TTL
        index stored in ``table``) that had expired when the query began.

        Under the lock an expired document is removed before any request reads (the
        maintenance sweeps whatever expired by then, when the engine sweeps lazily), so a
        locked query begun at ``started`` reads no document expired at ``started``, and one
        that expires while it runs stays visible in its snapshot. When this snapshot holds no
        such document either, the query reads what that locked query would have read; when it
        does (no sweep since the first expiry passed), the locked path sweeps it first. An
        engine that sweeps only on its timer (``ttl_lazy=False``) serves expired documents
        under the lock too until the sweep, so there any snapshot will do.
        """
        if not self._sweeps:
            return
        if not in_snapshot:
            raise NeedsLock(f"the TTL index of '{coll.name}' is not in the snapshot")
        first = SqliteEntries(cast(Any, self._pins), table).min_number()
        if first is not None and first <= self.started:
            raise NeedsLock(f"collection '{coll.name}' holds expired documents")

    def collection(self, name: str) -> TrxCollection:
        if self.status != "running":
            raise NeedsLock("the snapshot has ended")
        return TrxCollection(cast(Any, self), Overlay(cast(Any, self._resolve(name))))

    def document(self, doc_id: str) -> Document | None:
        try:
            coll_name, key = split_id(doc_id)
        except ArangoError:  # an invalid id is no document, as on the locked path
            return None
        if coll_name not in self.db.collections and self._snapshot_cid(coll_name) is None:
            return None
        return self.collection(coll_name).get(key)

    def graph(self, name: str) -> Document:
        return self.db.graph(name)

    def undo_for(self, coll: Any) -> dict[str, Document | None]:
        return {}  # nothing changes in the snapshot

    def close(self) -> None:
        """End the snapshot (its connection goes back to the pool); idempotent."""
        if self.status == "running":
            self.status = "ended"
            with contextlib.suppress(sqlite3.Error):
                self._scope.__exit__(None, None, None)
