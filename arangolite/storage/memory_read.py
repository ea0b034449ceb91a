"""A read-only transaction of an in-memory engine that runs without the engine lock (issue 10).

An in-memory read-only AQL query reads the live dicts and sorted lists of each collection,
corrected by the ``undo`` that commits hand it (``storage.snapshots``): the versions, as of the
query's start, of the keys committed since. Under the engine lock every read step sees the state
between two commits. Without it, :class:`MemorySnapshotRead` keeps that property with
``engine.applying``, which a commit of an in-memory engine holds while it hands over its replaced
versions *and* applies its writes (``Transaction.commit``):

- it registers in ``engine.snapshots`` under ``applying``, so no commit is between handing over
  and applying when it starts: every commit it does not see as applied hands it its versions;
- every read step (a document, a count, a scan's copy, one step of a lazy index read, an edge
  lookup, the runs of an index ``COLLECT``) runs under ``applying``, reading the committed state
  and the ``undo`` in the same hold: each commit is then either wholly applied and handed over,
  or not begun;
- lazy reads keep no list positions across steps (``ordered_scan`` re-finds its place by entry;
  ``value_counts``, whose runs keep positions, is read whole in one hold);
- a geo or fulltext index read (``storage.index_view``) reads the live index, the committed
  documents and the ``undo`` in one hold and corrects the index's answer with the ``undo``.

It raises :class:`~arangolite.storage.snapshot_read.NeedsLock` (run under the lock instead) for
a collection not known (or dropped), a TTL collection holding a document expired when the query
began, and any write.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

from arangolite.errors import ArangoError
from arangolite.storage.handle import TrxCollection
from arangolite.storage.keys import split_id
from arangolite.storage.overlay import Overlay
from arangolite.storage.snapshot_read import NeedsLock, ReadOnly

if TYPE_CHECKING:
    from arangolite.storage.collection import Collection
    from arangolite.storage.database import Database

__all__ = ["MemorySnapshotRead"]

Document = dict[str, Any]
_ids = itertools.count(1)
_PASS = frozenset({"name", "is_edge", "coll"})
_EAGER = 16  # documents of a lazy read taken at once (a LIMIT rarely stops one before that)


def _stepped(items: Iterable[Document], applying: threading.RLock) -> Iterable[Document]:
    """``items`` with each step (a lazy index read's chunk and its corrections) under
    ``applying``. The first ``_EAGER`` are read in one hold (most lookups end there: one lock
    taken instead of one per document, which many threads contend for)."""
    it = iter(items)
    with applying:
        head = list(itertools.islice(it, _EAGER))
    if len(head) < _EAGER:
        return head
    return itertools.chain(head, _rest(it, applying))


def _rest(it: Iterator[Document], applying: threading.RLock) -> Iterator[Document]:
    while True:
        with applying:
            try:
                doc = next(it)
            except StopIteration:
                return
        yield doc


class _AppliedHandle:
    """A collection handle whose every read step runs under ``engine.applying``."""

    def __init__(self, inner: TrxCollection, applying: threading.RLock) -> None:
        self._h = inner
        self._applying = applying

    def __getattr__(self, name: str) -> Any:
        if name in _PASS:
            return getattr(self._h, name)
        raise NeedsLock(f"a lock-free in-memory read has no '{name}'")

    def get(self, key: str) -> Document | None:
        with self._applying:
            return self._h.get(key)

    def count(self) -> int:
        with self._applying:
            return self._h.count()

    def all(self, where: Any = (), first: int | None = None) -> Iterator[Document]:
        # taken in one hold and iterated after it, uncopied: the state's scan list is never
        # changed (a write makes the next scan a new one) and the corrections are frozen
        with self._applying:
            return self._h.all(where, first)

    def lookup(self, *args: Any, **kwargs: Any) -> Iterable[Document] | None:
        with self._applying:
            found = self._h.lookup(*args, **kwargs)
        return None if found is None else _stepped(found, self._applying)

    def range(self, *args: Any, **kwargs: Any) -> Iterable[Document] | None:
        with self._applying:
            found = self._h.range(*args, **kwargs)
        return None if found is None else _stepped(found, self._applying)

    def match_count(self, *args: Any) -> int | None:
        with self._applying:
            return self._h.match_count(*args)

    def value_counts(self, *args: Any) -> Iterator[tuple[Any, int]] | None:
        with self._applying:  # the runs keep list positions: read them in one hold
            found = self._h.value_counts(*args)
            return None if found is None else iter(list(found))

    def edges(self, vertex_id: str, direction: Any) -> list[Document]:
        with self._applying:
            return self._h.edges(vertex_id, direction)

    def index_view(self, kind: str) -> Any:
        with self._applying:
            view = self._h.index_view(kind)
        # its reads (the live index, the committed documents and the undo) in one hold
        return None if view is None else dataclasses.replace(view, hold=self._hold)

    def _hold(self) -> threading.RLock:
        return self._applying


class MemorySnapshotRead(ReadOnly):
    """A read-only ``storage.api.Transaction`` of an in-memory engine (see the module)."""

    def __init__(self, db: Database, applying: threading.RLock, *, sweeps: bool = True) -> None:
        self.db = db
        self.id = f"snapshot-{next(_ids)}"
        self.status = "running"
        self.undo: dict[Collection, dict[str, Document | None]] = {}
        self._applying = applying
        self._handles: dict[str, _AppliedHandle] = {}
        with applying:  # no commit is between handing over and applying now
            self.started = time.time()
            db.engine.snapshots.add(self)
            # TTL collections whose snapshot holds a document expired now (the locked path
            # would sweep it first); a sweep after this moment hands its versions over, so the
            # check must be made now, on the state as of the start
            self._expired = {
                coll for coll in list(db.collections.values())
                if sweeps and (ttl := coll.ttl_index()) is not None
                and (first := ttl.next_expiry()) is not None and first <= self.started
            }

    def undo_for(self, coll: Any) -> dict[str, Document | None]:
        return self.undo.setdefault(coll, {})

    def collection(self, name: str) -> Any:
        if self.status != "running":
            raise NeedsLock("the snapshot has ended")
        found = self._handles.get(name)
        if found is not None:
            return found
        coll = self.db.collections.get(name)
        if coll is None or coll.dropped:
            raise NeedsLock(f"collection '{name}' is not known here")
        if coll in self._expired:
            raise NeedsLock(f"collection '{name}' held expired documents when the query began")
        handle = TrxCollection(cast(Any, self), Overlay(coll))
        found = self._handles[name] = _AppliedHandle(handle, self._applying)
        return found

    def document(self, doc_id: str) -> Document | None:
        try:
            coll_name, key = split_id(doc_id)
        except ArangoError:  # an invalid id is no document, as on the locked path
            return None
        if coll_name not in self.db.collections:
            raise NeedsLock(f"collection '{coll_name}' is not known here")
        return cast(Document | None, self.collection(coll_name).get(key))

    def graph(self, name: str) -> Document:
        return self.db.graph(name)

    def close(self) -> None:
        """End the snapshot (commits stop handing it versions); idempotent."""
        if self.status == "running":
            self.status = "ended"
            self.db.engine.snapshots.discard(self)
            self.undo = {}
