"""An index build's work done on a snapshot of its own, with the engine lock let go.

Building an index reads every document of its collection: seconds at a million documents,
during which no other request of the process could run while the build held the engine lock. A
build here starts under the lock, on a snapshot taken then; :meth:`IndexBuild.run` reads it and
makes the index without the lock, while other requests read and write, this collection
included; the index is stored under the lock again, and brought up to date there with what was
committed meanwhile (``EnginePersistence.store_index``):

- :class:`TableBuild`, on disk (a persistent or TTL index, a SQLite table): the snapshot is a
  SQLite read transaction on a connection nobody else uses; the rows are made from it, and the
  store transaction that writes them reads again the keys committed after it, by this process
  or another (their ``changes`` rows).
- :class:`MemoryBuild`, in memory: the snapshot is the collection's list of documents (which no
  commit changes: ``MemoryState``); the build registers as a reader of the running snapshots
  (``storage.snapshots``), so every commit meanwhile hands it the versions it replaces, and the
  index takes the current versions of those keys under the lock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from arangolite import gc_pause
from arangolite.storage.collection import unique_violation
from arangolite.storage.index_rows import build_rows, duplicate_key

if TYPE_CHECKING:
    from arangolite.storage.collection import Collection
    from arangolite.storage.disk_state import DiskState
    from arangolite.storage.pins import Pins
    from arangolite.storage.snapshots import Snapshots

__all__ = ["IndexBuild", "MemoryBuild", "TableBuild", "fill"]

Document = dict[str, Any]


def fill(index: Any, docs: list[Document]) -> None:
    """Load ``docs`` into an in-memory ``index`` nobody reads yet."""
    index.bulk_load(docs)


class IndexBuild:
    """A new ``index`` of ``coll`` made on a snapshot begun now, under the engine lock: call
    :meth:`run` with the lock let go, :meth:`close` holding it."""

    def __init__(self, coll: Collection, index: Any) -> None:
        self.coll = coll
        self.index = index

    def run(self) -> None:
        """Make the index from the snapshot (1210 when a unique index would hold a value twice
        in it: the build stops there, as one made at the snapshot's moment would)."""
        with gc_pause.paused():  # a million entries, none in a cycle
            self._make()

    def _make(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """End the snapshot (holding the engine lock)."""


class TableBuild(IndexBuild):
    """The rows of a new tabled index on disk (:attr:`rows`) and the last change row of their
    snapshot (:attr:`since`)."""

    def __init__(self, pins: Pins, coll: Collection, index: Any) -> None:
        super().__init__(coll, index)
        self._pins = pins
        self._pin = pins.begin()
        self.since = self._pin.seq
        self.rows: list[tuple[bytes, str]] = []

    def _make(self) -> None:
        state: DiskState = self.coll.state  # type: ignore[assignment]
        # (not sorted, though SQLite would then append them to the table: the sort, one C call,
        # holds the GIL about twice as long as it saves of the write under the lock)
        self.rows = build_rows(self.index, state.scan_on(self._pin))
        if getattr(self.index, "unique", False):
            dup = duplicate_key(self.rows)
            if dup is not None:
                raise unique_violation(self.index, dup)

    def close(self) -> None:
        self._pins.drop(self._pin)


class MemoryBuild(IndexBuild):
    """A new index of an in-memory collection, loaded from the documents committed when it
    began; a running reader of the snapshots until :meth:`close`, so :meth:`caught_up` knows
    every key committed since. On the in-memory store of a data directory (``on_disk=False``)
    the build also makes the rows a tabled index stores (:attr:`rows`), and :attr:`since` is the
    last change row applied when it began."""

    def __init__(self, snapshots: Snapshots, coll: Collection, index: Any, since: int = 0) -> None:
        super().__init__(coll, index)
        self._snapshots = snapshots
        self._docs = list(coll.state.scan())
        self.since = since
        self.rows: list[tuple[bytes, str]] | None = None  # (made by ``run`` when asked for)
        self.status = "running"  # (a ``SnapshotReader``)
        self._undo: dict[str, Document | None] = {}
        snapshots.add(self)

    def undo_for(self, coll: Any) -> dict[str, Document | None]:
        """The versions of ``coll``'s keys as they were when the build began (commits since
        hand them over); only the indexed collection's matter."""
        return self._undo if coll is self.coll else {}

    def _make(self) -> None:
        docs, self._docs = self._docs, []
        fill(self.index, docs)
        if self.rows is not None:
            self.rows = build_rows(self.index, docs)
        entries = getattr(self.index, "entries", None)
        if getattr(self.index, "unique", False) and entries is not None:
            dup = entries.duplicate()
            if dup is not None:
                raise unique_violation(self.index, dup)

    def caught_up(self) -> bool:
        """Give the index the current versions of the keys committed since the build began
        (under the engine lock; again after each catch-up: only the keys not taken yet);
        whether there were any."""
        index, state = self.index, self.coll.state
        undo, self._undo = self._undo, {}
        for key, old in undo.items():
            if old is not None:
                index.remove(old)
            new = state.get(key)
            if new is not None:
                index.insert(new)
        return bool(undo)

    def close(self) -> None:
        self.status = "done"
        self._snapshots.discard(self)
