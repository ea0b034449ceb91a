"""Running transactions' snapshots: who must be told before a committed document changes.

Every running transaction reads the committed state as of its start. Before a commit (of this
process or, seen on catch-up, of another one) replaces a document, :meth:`Snapshots.hand_over`
gives each running transaction the version being replaced, unless it already holds an older one;
the transaction reads that version from then on (its ``undo``), and a write to such a key is a
write-write conflict. Snapshots therefore cost nothing until someone writes.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from typing import Any, Protocol

__all__ = ["SnapshotReader", "Snapshots"]

Document = dict[str, Any]


class SnapshotReader(Protocol):
    """What a running transaction offers the registry."""

    status: str

    def undo_for(self, coll: Any) -> dict[str, Document | None]:
        """Its snapshot versions of ``coll``'s changed keys (filled in by the registry)."""


class Snapshots:
    """The running transactions of one engine (held weakly: a forgotten one just goes away)."""

    def __init__(self) -> None:
        self._running: weakref.WeakSet[Any] = weakref.WeakSet()
        # lock-free in-memory queries (``storage.memory_read``) join and leave without the
        # engine lock, while a commit lists the readers under it
        self._guard = threading.Lock()

    def add(self, reader: SnapshotReader) -> None:
        with self._guard:
            self._running.add(reader)

    def discard(self, reader: SnapshotReader) -> None:
        with self._guard:
            self._running.discard(reader)

    def hand_over(self, coll: Any, keys: Iterable[str], source: object = None) -> None:
        """Before ``keys`` of ``coll`` change: give every running reader but ``source`` their
        current committed versions (None for a key not stored yet)."""
        with self._guard:
            running = list(self._running)
        readers = [r for r in running if r is not source and r.status == "running"]
        if not readers:
            return
        keys = list(keys)
        current = coll.state.get_many(keys)
        for reader in readers:
            undo = reader.undo_for(coll)
            for key in keys:
                if key not in undo:
                    undo[key] = current.get(key)
