"""An index build's rows, worked out on a snapshot of its own with the engine lock let go.

Building a persistent or TTL index on disk reads every document of its collection: seconds at a
million documents, during which no other request of the process could run while the build held
the engine lock. :class:`IndexBuild` begins a read snapshot of its own (a SQLite read
transaction on a connection nobody else uses) under the lock; :meth:`IndexBuild.run` then reads
it and makes the rows without the lock, while other requests read and write, this collection
included. The index is stored under the lock again, in the store's write transaction, which
reads the keys committed after the snapshot again (``EnginePersistence.store_index``): the
writes made during the build, by this process or another, are in the index it stores.
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

__all__ = ["IndexBuild"]


class IndexBuild:
    """The rows of a new tabled ``index`` of ``coll`` on a snapshot begun now (call
    :meth:`run` with the engine lock let go, :meth:`close` holding it)."""

    def __init__(self, pins: Pins, coll: Collection, index: Any) -> None:
        self._pins = pins
        self._pin = pins.begin()
        self.coll = coll
        self.index = index
        self.since = self._pin.seq  # the last change row the snapshot holds
        self.rows: list[tuple[bytes, str]] = []

    def run(self) -> None:
        """Read the snapshot and make the rows (1210 when a unique index would hold a value
        twice in it: the build stops there, as one made at the snapshot's moment would)."""
        state: DiskState = self.coll.state  # type: ignore[assignment]
        with gc_pause.paused():  # a million rows, none in a cycle
            self.rows = build_rows(self.index, state.scan_on(self._pin))
            self.rows.sort()  # SQLite then appends to the table's tree, instead of inserting
            if getattr(self.index, "unique", False):
                dup = duplicate_key(self.rows)
                if dup is not None:
                    raise unique_violation(self.index, dup)

    def close(self) -> None:
        """End the snapshot (holding the engine lock, as every change of ``Pins``)."""
        self._pins.drop(self._pin)
