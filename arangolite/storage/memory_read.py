"""A read-only transaction of an in-memory engine, for AQL queries run without the engine lock.

In memory (``Engine(None)``: ``arangolite.connect()``, ``serve`` without ``--data``) committed
documents and index entries are Python dicts and lists that a commit changes in place. A read-only
query need not hold the engine lock for its whole run to read them consistently:

- it is a running transaction like any other (:class:`~arangolite.storage.snapshots.Snapshots`):
  before a commit replaces a document it hands the query the version being replaced (``undo``),
  and the query reads that version from then on;
- a commit holds ``engine.applying`` from handing versions over until it has applied its writes,
  and every read of the query holds it for the instant it reads (one ``get``, one ``count``, the
  copy of a collection's document list a scan starts with, one step of a lazy index scan), so a
  read sees a commit's documents, index entries and ``undo`` all before it or all after it;
- the query registers under ``engine.applying`` too, so it begins between two commits.

A lazy index scan re-finds its place by the last entry it yielded at every step (see
:mod:`arangolite.storage.scan`), which already keeps a streaming cursor correct when commits come
between its batches; here they may come between two of its steps.

:class:`NeedsLock` sends the query to the locked path, as the on-disk snapshot does, for what this
view cannot serve exactly as the locked path would: a collection the database does not have (the
locked path gives ArangoDB's error), a geo or fulltext index (their functions read the index
structures directly), a TTL index (expired documents must be gone, which the locked path's
maintenance ensures), and any write.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Literal

from arangolite.errors import ArangoError
from arangolite.storage.handle import TrxCollection
from arangolite.storage.keys import split_id
from arangolite.storage.overlay import Overlay
from arangolite.storage.snapshot_read import NeedsLock

if TYPE_CHECKING:
    from arangolite.storage.collection import Collection
    from arangolite.storage.database import Database

__all__ = ["MemorySnapshotRead"]

Document = dict[str, Any]
_ids = itertools.count(1)


def _stepped(items: Iterable[Any], lock: Any) -> Iterator[Any]:
    """``items`` advanced one step at a time under ``lock``."""
    found = iter(items)
    while True:
        with lock:
            item = next(found, _END)
        if item is _END:
            return
        yield item


_END: Any = object()


class _GuardedCollection:
    """A collection of the snapshot: ``TrxCollection``'s reads, each under ``engine.applying``."""

    def __init__(self, handle: TrxCollection, lock: Any) -> None:
        self._handle = handle
        self._lock = lock
        self.coll = handle.coll
        self.name = handle.name
        self.is_edge = handle.is_edge

    def all(self) -> Iterator[Document]:
        with self._lock:  # the list copied and the corrections frozen at one instant
            return self._handle.all()

    def count(self) -> int:
        with self._lock:
            return self._handle.count()

    def get(self, key: str) -> Document | None:
        with self._lock:
            return self._handle.get(key)

    def lookup(
        self,
        fields: Any,
        values: Any,
        *,
        sort_by: str | None = None,
        descending: bool = False,
    ) -> Iterable[Document] | None:
        with self._lock:
            found = self._handle.lookup(fields, values, sort_by=sort_by, descending=descending)
        return found if found is None or isinstance(found, list) else _stepped(found, self._lock)

    def range(self, field: str, *args: Any, **kwargs: Any) -> Iterable[Document] | None:
        with self._lock:
            found = self._handle.range(field, *args, **kwargs)
        return None if found is None else _stepped(found, self._lock)

    def match_count(self, fields: Any, values: Any, cap: int | None = None) -> int | None:
        with self._lock:
            return self._handle.match_count(fields, values, cap)

    def value_counts(
        self, field: str, fields: Any = (), values: Any = ()
    ) -> Iterator[tuple[Any, int]] | None:
        with self._lock:  # read whole: one run per distinct value, from the index alone
            found = self._handle.value_counts(field, fields, values)
            return None if found is None else iter(list(found))

    def edges(self, vertex_id: str, direction: Literal["out", "in"]) -> list[Document]:
        with self._lock:
            return self._handle.edges(vertex_id, direction)

    def index_view(self, kind: str) -> Any:
        raise NeedsLock(f"a {kind} index is read under the engine lock")

    def __getattr__(self, name: str) -> Any:  # insert, update, remove, truncate...: writes
        raise NeedsLock(f"a snapshot read has no '{name}'")


class MemorySnapshotRead:
    """A read-only ``storage.api.Transaction`` of an in-memory engine (see the module)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.id = f"snapshot-{next(_ids)}"
        self.status = "running"
        self.undo: dict[Collection, dict[str, Document | None]] = {}
        self._engine = db.engine
        self._colls: dict[str, _GuardedCollection] = {}
        with self._engine.applying:  # between two commits
            self._engine.snapshots.add(self)

    # -- reads -----------------------------------------------------------------------------------

    def undo_for(self, coll: Collection) -> dict[str, Document | None]:
        undo = self.undo.get(coll)
        if undo is None:
            undo = self.undo[coll] = {}
        return undo

    def collection(self, name: str) -> _GuardedCollection:
        if self.status != "running":
            raise NeedsLock("the snapshot has ended")
        found = self._colls.get(name)
        if found is not None:
            return found
        coll = self.db.collections.get(name)
        if coll is None or coll.dropped:
            raise NeedsLock(f"collection '{name}' is not known here")
        for index in list(coll.indexes):
            if index.kind != "persistent":
                raise NeedsLock(f"collection '{name}' has a {index.kind} index")
        handle = TrxCollection(self, Overlay(coll))
        found = self._colls[name] = _GuardedCollection(handle, self._engine.applying)
        return found

    def document(self, doc_id: str) -> Document | None:
        try:
            coll_name, key = split_id(doc_id)
        except ArangoError:  # an invalid id is no document, as on the locked path
            return None
        if coll_name not in self.db.collections:
            return None
        return self.collection(coll_name).get(key)

    def graph(self, name: str) -> Document:
        return self.db.graph(name)

    # -- writes (never: the caller runs read-only queries) ------------------------------------

    def check_write(self, name: str) -> None:
        raise NeedsLock("a snapshot read does not write")

    def claim(self, coll: Any, key: str) -> None:
        raise NeedsLock("a snapshot read does not write")

    def next_rev(self) -> str:
        raise NeedsLock("a snapshot read does not write")

    # -- ending ----------------------------------------------------------------------------------

    def commit(self) -> None:
        self.close()

    def abort(self) -> None:
        self.close()

    def close(self) -> None:
        """End the snapshot: commits stop handing it versions; idempotent."""
        if self.status == "running":
            self.status = "ended"
            self._engine.snapshots.discard(self)
            self.undo.clear()
