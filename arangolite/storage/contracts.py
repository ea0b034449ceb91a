"""What each storage layer needs from the one above it, as protocols, so imports point one way.

The layers, bottom up: the store (``datadir``, ``durability``), committed state (``indexes``,
``collection``, ``scan``, ``snapshots``), transactions (``overlay``, ``handle``,
``transactions``, ``streams``), databases (``database``, ``sync``) and the engine facade
(``engine``). A lower layer holds a reference to an object of a higher one (a handle to its
transaction, a transaction to its database, a database to its engine) but knows it only through
these protocols.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from arangolite.storage.collection import Collection
    from arangolite.storage.index_build import IndexBuild
    from arangolite.storage.keys import RevisionClock
    from arangolite.storage.overlay import Overlay
    from arangolite.storage.rules import RuleBook
    from arangolite.storage.savepoint import Savepoint
    from arangolite.storage.snapshots import Snapshots

__all__ = ["DatabaseContext", "EngineContext", "TransactionContext"]

Document = dict[str, Any]


class TransactionContext(Protocol):
    """What a collection handle needs from its transaction."""

    id: str
    savepoint: Savepoint | None  # the running statement's, where one is kept

    def check_write(self, name: str) -> None:
        """1652 when writing to an undeclared collection."""

    def claim(self, coll: Collection, key: str) -> None:
        """Lock ``key`` for writing (1200 on a conflict)."""

    def undo_for(self, coll: Collection) -> dict[str, Document | None]:
        """Snapshot versions of keys changed by others since the transaction began."""

    def next_rev(self) -> str:
        """A new revision."""


class EngineContext(Protocol):
    """What databases and transactions need from the engine."""

    rules: RuleBook  # what collections enforce on writes
    lock: Any
    released: Any
    applying: Any  # in memory: held while committed documents change (see storage.lockfree)
    snapshots: Snapshots
    clock: RevisionClock

    def tick(self) -> int:
        """A new engine-wide number."""

    def catch_up(self) -> None:
        """Apply other processes' commits."""

    @property
    def prepares(self) -> bool:
        """Whether a commit has rows to work out before the engine lock."""

    def prepare(self, overlays: list[Overlay]) -> dict[Overlay, Any]:
        """What a commit of ``overlays`` works out before the engine lock."""

    @property
    def writes_apart(self) -> bool:
        """Whether a big commit writes its rows with the engine lock let go (``persist``'s
        ``publish``)."""

    def persist(
        self, overlays: list[Overlay], *, sync: bool = False, check: Callable[[], None],
        prepared: dict[Overlay, Any] | None = None, publish: Callable[[], None] | None = None,
    ) -> None:
        """Durably write a committing transaction's changes (``publish``: with the engine lock
        let go while it writes; ``publish`` makes it visible once stored)."""

    def after_apart(self) -> None:
        """After a commit written with the lock let go, holding it again: make it visible if no
        request did meanwhile, and keep the log short."""

    def wait_for_store(self) -> bool:
        """Holding the engine lock, before a commit: while another commit writes with the lock
        let go, wait for it with the lock let go too; True when the lock was let go."""

    def store_collection(
        self, db: Any, coll: Collection, *, rewrite_documents: bool = False
    ) -> None:
        """Persist a collection's catalogue entry."""

    def store_properties(self, coll: Collection, names: Iterable[str]) -> None:
        """Persist some of a collection's properties over its stored entry."""

    def forget_collection(self, coll: Collection) -> None:
        """Remove a collection from the catalogue."""

    def index_build(self, coll: Collection, index: Any) -> IndexBuild | None:
        """A build of an index's rows to run with the engine lock let go, or None."""

    def store_index(
        self, coll: Collection, index: Any, spec: dict[str, Any], build: IndexBuild | None = None,
        *, still_new: Callable[[], None] | None = None,
    ) -> None:
        """Build an index over the committed documents (or take ``build``'s rows), persist it
        (1210 on duplicates) and add it to ``coll``."""

    def attach_new(self, coll: Collection) -> None:
        """Give a new collection the engine's kind of committed state."""

    def committed(self, overlays: list[Overlay], *, trim: bool = True) -> None:
        """Make a durable commit visible (``trim``: keep the log short too)."""

    def forget_index(self, coll: Collection, iid: str) -> None:
        """Remove an index definition."""

    def store_graph(self, db: Any, doc: Document) -> None:
        """Persist a named graph."""

    def forget_graph(self, db: Any, name: str) -> None:
        """Remove a named graph."""


class DatabaseContext(Protocol):
    """What a transaction needs from its database."""

    name: str
    engine: EngineContext
    collections: dict[str, Collection]

    def get_collection(self, name: str) -> Collection:
        """A collection by name or id (1203 when missing)."""

    def graph(self, name: str) -> Document:
        """A named graph's definition (1924 when missing)."""
