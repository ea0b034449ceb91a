"""Reading one document without the engine lock (issues 8 and 10).

The engine lock serialises requests; a point read served under it waits for whatever request
holds it, a long query included. :func:`read_document` reads one committed document without it:

- **On disk**: in a snapshot of its own (:mod:`arangolite.storage.readers`): the collection is
  looked up by name in that snapshot, then the document; the document cache serves it only when
  the cache holds that same snapshot (its tag). The snapshot holds whole commits of this process
  and of others, so no catch-up is needed: it is never older than what the lock holders read.
- **In memory** (``Engine(None)``): under ``engine.applying``, which a commit holds while it
  applies its documents, so a read sees all of a commit or none of it.

It answers ``(False, None)`` ("read it under the lock") when it cannot tell: the database or
collection is not known in memory under that name (another process may have created it: the
locked path catches up first), the collection is not the one of that name in the snapshot (a
rename or drop not caught up yet), the collection has a TTL index and holds a document already
expired (in the reader's snapshot on disk, in memory under ``engine.applying``: an expired document
must disappear before the next read, which the locked path's maintenance ensures; until one
expires, a lock-free read reads what a locked one would, see ``SnapshotRead.check_expiry``), the
engine is closed, or it is an in-memory engine of a data directory (``on_disk=False``: other processes'
commits are applied only by the catch-up under the lock).

:func:`read_batch` reads several documents of one collection the same way, all in one snapshot
(``PUT /_api/document/{collection}?onlyget=true``): on disk in a :class:`SnapshotRead` (one read
transaction for the whole batch), in memory under ``engine.applying`` for the whole batch, with the
same fallbacks.

Callers read outside any transaction: a stream transaction's reads keep the locked path, so
they see its snapshot and its own writes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from arangolite.storage import readers
from arangolite.storage.memory_read import MemorySnapshotRead
from arangolite.storage.snapshot_read import NeedsLock, SnapshotRead

if TYPE_CHECKING:
    import threading

    from arangolite.storage.collection import Collection
    from arangolite.storage.database import Database
    from arangolite.storage.durability import Store
    from arangolite.storage.ondisk import DiskBacking

__all__ = ["Host", "Reader", "open_snapshot", "read_batch", "read_document", "reads_memory_indexes"]

Document = dict[str, Any]
_LOCKED: tuple[bool, Any] = (False, None)
T = TypeVar("T")


class Host(Protocol):
    """What these reads look at of the engine (``storage.engine.Engine``, which calls them)."""

    disk: DiskBacking | None  # the on-disk store's readers and cache (None: in memory)
    store: Store | None  # the data directory's store (None: no directory)
    applying: threading.RLock  # held by a commit applying to the in-memory state
    databases: dict[str, Database]
    ttl_lazy: bool

    @property
    def closed(self) -> bool: ...


class Reader(Protocol):
    """What :func:`read_batch` hands its callback: the committed documents of one snapshot."""

    def get(self, key: str) -> Document | None: ...


def read_document(engine: Host, db_name: str, coll_name: str, key: str) -> tuple[bool, Any]:
    """``(True, document or None)``, or ``(False, None)``: read it under the engine lock."""
    if engine.closed:
        return _LOCKED
    disk = engine.disk
    if disk is None:
        if engine.store is not None:
            return _LOCKED
        with engine.applying:
            coll = _collection(engine, db_name, coll_name)
            return _LOCKED if coll is None else (True, coll.state.get(key))
    coll = _collection(engine, db_name, coll_name)
    if coll is None:
        return _LOCKED
    now = time.time() if engine.ttl_lazy else None  # TTL: see snapshot_read.check_expiry
    found = readers.read_document(disk.readers, disk.cache, db_name, coll_name, key, now)
    if found is None or found[0] != coll.cid:
        return _LOCKED
    return True, found[1]


def read_batch(
    engine: Host, db: Database, coll_name: str, read: Callable[[Reader], T]
) -> tuple[bool, T | None]:
    """``(True, read(reader))`` with ``reader`` the documents of ``coll_name`` in one snapshot,
    or ``(False, None)``: run the request under the engine lock (as :func:`read_document`)."""
    if engine.closed:
        return _LOCKED
    if engine.disk is None:
        if engine.store is not None:
            return _LOCKED
        with engine.applying:  # no commit applies while the batch reads: one snapshot
            coll = _collection(engine, db.name, coll_name)
            return _LOCKED if coll is None else (True, read(coll.state))
    snap = open_snapshot(engine, db)  # which checks the collection (and its indexes) itself
    if snap is None:
        return _LOCKED
    try:
        return True, read(snap.collection(coll_name))
    except NeedsLock:
        return _LOCKED
    finally:
        snap.close()


def _collection(engine: Host, db_name: str, coll_name: str) -> Collection | None:
    """The collection the locked path would read, when this module may read it (in memory
    called under ``engine.applying``: a TTL collection holding an expired document is refused
    there; on disk the reader's snapshot decides)."""
    db = engine.databases.get(db_name)
    coll = None if db is None else db.collections.get(coll_name)
    if coll is None or coll.dropped:
        return None
    ttl = coll.ttl_index() if engine.disk is None and engine.ttl_lazy else None
    if ttl is not None:
        first = ttl.next_expiry()
        if first is not None and first <= time.time():
            return None  # not swept yet: the locked path sweeps it first
    return coll


def reads_memory_indexes(engine: Host) -> bool:
    """Whether :func:`open_snapshot`'s snapshots read geo and fulltext indexes: in memory yes
    (``memory_read``: the live index under ``engine.applying``, corrected by the snapshot's
    ``undo``, ``storage.index_view``); on disk no (those indexes follow the engine's pinned
    snapshot, not the query's: ``snapshot_read._MemoryIndex`` sends such a read to the lock)."""
    return engine.disk is None


def open_snapshot(engine: Host, db: Database) -> SnapshotRead | MemorySnapshotRead | None:
    """A read-only transaction on a snapshot of its own (for a read-only AQL query run without
    the engine lock: on disk :mod:`arangolite.storage.snapshot_read`, in memory
    :mod:`arangolite.storage.memory_read`), or None: run it under the lock (a closed engine, or
    the in-memory store of a data directory, ``on_disk=False``)."""
    disk = engine.disk
    if engine.closed:
        return None
    if disk is None:
        if engine.store is not None:
            return None
        return MemorySnapshotRead(db, engine.applying, sweeps=engine.ttl_lazy)
    return SnapshotRead(db, disk.readers, disk.cache, sweeps=engine.ttl_lazy)
