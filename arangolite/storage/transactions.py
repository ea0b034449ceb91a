"""Transactions: snapshots, write overlays, key locks, commit (durable, then visible) and abort.

Reads see one snapshot for the transaction's whole life (as ArangoDB's RocksDB engine does): the
committed state as of ``begin``, plus the transaction's own writes. A committing transaction hands
every running one the version it is about to replace (``undo``), so snapshots cost nothing until
someone writes. Writes follow RocksDB's rules: a key changed by a transaction that committed since
this one began, or locked by a running one, gives 1200 (write-write conflict) at the write, so no
update is ever lost; with ``lock_timeout`` a locked key is waited for instead (and gives 1200 only
if the holder committed a change to it). ``commit`` re-checks unique indexes against what others
committed meanwhile, writes everything in one SQLite transaction and then applies it in memory.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from arangolite import gc_pause
from arangolite.errors import (
    CONFLICT,
    DATA_SOURCE_NOT_FOUND,
    SHUTTING_DOWN,
    TRANSACTION_ABORTED,
    TRANSACTION_DISALLOWED_OPERATION,
    TRANSACTION_UNREGISTERED_COLLECTION,
    ArangoError,
)
from arangolite.storage import waits
from arangolite.storage.collection import Collection, unique_violation
from arangolite.storage.durability import dumps
from arangolite.storage.handle import TrxCollection
from arangolite.storage.keys import split_id
from arangolite.storage.overlay import Overlay
from arangolite.storage.savepoint import Savepoint

if TYPE_CHECKING:
    from arangolite.storage.contracts import DatabaseContext

__all__ = ["PREPARE_AHEAD", "Transaction"]

# writes from which a commit prepares its rows with the engine lock let go (``commit``)
PREPARE_AHEAD = 1000

Document = dict[str, Any]


class Transaction:
    """One transaction on one database (implements ``storage.api.Transaction``)."""

    def __init__(
        self,
        db: DatabaseContext,
        tid: str,
        *,
        read: Iterable[str] = (),
        write: Iterable[str] = (),
        exclusive: Iterable[str] = (),
        stream: bool = False,
        allow_implicit: bool = True,
        lock_timeout: float | None = None,
    ) -> None:
        self.db = db
        self.id = tid
        self.status = "running"
        self.stream = stream
        self.allow_implicit = allow_implicit
        self.exclusive = set(exclusive)
        self.writable = set(write) | self.exclusive
        self.readable = set(read) | self.writable
        self.overlays: dict[Collection, Overlay] = {}
        self.last_used = time.monotonic()
        self.wait_for_sync = False
        self.lock_timeout = lock_timeout or 0.0
        # a stream transaction whose request holds its lease alone (``storage.stream_lease``):
        # its queries may hand the engine lock over between rows (``aql.turns``)
        self.held_alone = False
        self.undo: dict[Collection, dict[str, Document | None]] = {}
        self._claimed: list[tuple[Collection, str]] = []
        # the running statement's savepoint (a query inside a stream transaction)
        self.savepoint: Savepoint | None = None
        self._claim_exclusive()
        db.engine.snapshots.add(self)

    def _claim_exclusive(self) -> None:
        deadline = time.monotonic() + self.lock_timeout
        for name in self.exclusive:
            coll = self.db.get_collection(name)
            while coll.exclusive not in (None, self.id) or any(
                owner != self.id for owner in coll.locks.values()
            ):
                if not self._wait(deadline):
                    self._release()
                    raise ArangoError(
                        CONFLICT, message=f"collection '{name}' is locked by another transaction"
                    )
            coll.exclusive = self.id

    def _wait(self, deadline: float) -> bool:
        """Wait until some transaction ends, ``deadline`` or a short slice (the callers look
        again); False when the time is up. A query waiting here is not interrupted in the
        middle of the wait; its kill takes effect after the slice (``storage.waits``)."""
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        released = self.db.engine.released
        with waits.guarded(), released:
            released.wait(min(left, waits.SLICE))
        return True

    def undo_for(self, coll: Collection) -> dict[str, Document | None]:
        """Snapshot versions of ``coll``'s keys changed by others since this transaction began."""
        undo = self.undo.get(coll)
        if undo is None:
            undo = self.undo[coll] = {}
        return undo

    def claim(self, coll: Collection, key: str) -> None:
        """Lock ``key`` for writing; 1200 when another transaction changed or holds it."""
        undo = self.undo.get(coll)
        if (undo is None or key not in undo) and coll.exclusive in (None, self.id):
            owner = coll.locks.get(key)  # the common case: free, or held by this transaction
            if owner is None:  # noted before it is taken: an interrupt between leaves no lock
                self._claimed.append((coll, key))  # that ``_release`` would not find
                coll.locks[key] = self.id
                return
            if owner == self.id:
                return
        deadline = time.monotonic() + self.lock_timeout
        while True:
            if key in self.undo_for(coll):
                raise ArangoError(CONFLICT, message=f"write-write conflict on key '{key}'")
            owner = coll.locks.get(key)
            if (owner is None or owner == self.id) and coll.exclusive in (None, self.id):
                break
            if not self._wait(deadline):
                raise ArangoError(CONFLICT, message=f"write-write conflict on key '{key}'")
        if owner is None:
            self._claimed.append((coll, key))
            coll.locks[key] = self.id

    # -- statements (a query inside a stream transaction: all or nothing) ------------------------

    def begin_statement(self) -> Savepoint:
        """Note the state before a statement (``storage.savepoint``)."""
        saved = self.savepoint = Savepoint(len(self._claimed))
        return saved

    def end_statement(self, saved: Savepoint, *, keep: bool) -> None:
        """End the statement of ``saved``: keep its writes, or roll them back and give back the
        key locks it took (the transaction keeps running either way)."""
        self.savepoint = None
        if keep or self.status != "running":
            return
        with self.db.engine.lock:
            saved.restore()
            for coll, key in self._claimed[saved.claimed:]:
                if coll.locks.get(key) == self.id:  # free before the statement
                    del coll.locks[key]
            del self._claimed[saved.claimed:]
            released = self.db.engine.released
            with released:
                released.notify_all()

    # -- access ----------------------------------------------------------------------------------

    def ensure_running(self) -> None:
        if self.status != "running":
            raise ArangoError(
                TRANSACTION_ABORTED, message=f"transaction {self.id} is {self.status}"
            )

    def _overlay(self, coll: Collection) -> Overlay:
        overlay = self.overlays.get(coll)
        if overlay is None:
            overlay = self.overlays[coll] = Overlay(coll)
        elif overlay.renames != coll.renames:  # renamed meanwhile: its own reads see the name
            overlay.follow_name()
        return overlay

    def collection(self, name: str) -> TrxCollection:
        """Handle on a collection; 1203 when missing, 1652 for undeclared ones (strict streams)."""
        self.ensure_running()
        coll = self.db.get_collection(name)
        if self.stream and not self.allow_implicit and coll.name not in self.readable:
            raise ArangoError(TRANSACTION_UNREGISTERED_COLLECTION, self.id, coll.name)
        return TrxCollection(self, self._overlay(coll))

    def check_write(self, name: str) -> None:
        """1652 when a stream transaction writes to an undeclared collection."""
        if self.stream and name not in self.writable:
            raise ArangoError(TRANSACTION_UNREGISTERED_COLLECTION, self.id, name)

    def document(self, doc_id: str) -> Document | None:
        try:
            coll_name, key = split_id(doc_id)
        except ArangoError:
            return None
        if coll_name not in self.db.collections:
            return None
        return self.collection(coll_name).get(key)

    def graph(self, name: str) -> Document:
        return self.db.graph(name)

    def next_rev(self) -> str:
        return self.db.engine.clock.next_rev()

    # -- ending ----------------------------------------------------------------------------------

    def commit(self) -> None:
        """Make the writes durable and visible (1210 when a unique index now collides).

        A big commit (:data:`PREPARE_AHEAD` writes or more) first works out what depends only
        on its own writes (the documents' JSON text, the index rows of new versions:
        ``EnginePersistence.prepare``) with the engine lock let go, if its thread holds it, so
        that other requests run meanwhile; the rest (conflicts, the versions replaced, the
        write itself) runs under the lock. Its keys stay locked by it throughout."""
        if self.status == "committed":
            return
        if self.status != "running":
            raise ArangoError(
                TRANSACTION_DISALLOWED_OPERATION, message=f"transaction was already {self.status}"
            )
        written = 0
        for overlay in self.overlays.values():  # (a plain loop: every query's commit runs it)
            written += len(overlay.writes)
        if written >= PREPARE_AHEAD and self.db.engine.prepares:
            with gc_pause.paused():  # (it allocates rows by the thousand, none in a cycle)
                self._commit(self._prepare())
        else:
            self._commit(None)

    def _commit(self, prepared: dict[Overlay, Any] | None) -> None:
        engine = self.db.engine
        with engine.lock:
            if prepared is not None:  # the lock was let go: what ended meanwhile stops it
                self._after_prepare()
            live = self._live()
            if live and engine.wait_for_store():  # let go again, for a commit writing apart
                self._after_prepare()
                live = self._live()
            if live:  # (none for a read-only query; renamed meanwhile: stored under the new name)
                self._persist(live, prepared)
            self._release()
            self.status = "committed"

    def _live(self) -> list[Overlay]:
        """The overlays with writes (1203, the transaction aborted, when a written collection
        was dropped)."""
        live: list[Overlay] = []
        for overlay in self.overlays.values():
            if overlay.writes:
                if overlay.coll.dropped:
                    self._fail_dropped(overlay.coll.name)
                live.append(overlay)
        return live

    def _prepare(self) -> dict[Overlay, Any]:
        live = [o for o in self.overlays.values() if o.writes and not o.coll.dropped]
        with self.db.engine.lock.released():
            prepared: dict[Overlay, Any] = self.db.engine.prepare(live)
        return prepared

    def _after_prepare(self) -> None:
        """The engine closed or this transaction aborted (its database dropped) while the
        commit let the lock go: the commit fails with ArangoDB's error for it, nothing stored."""
        if self.db.engine.lock.closed:
            raise ArangoError(SHUTTING_DOWN)
        if self.status != "running":
            raise ArangoError(TRANSACTION_ABORTED, message=f"transaction {self.id} is {self.status}")

    def _fail_dropped(self, name: str) -> None:
        """A collection this transaction wrote was dropped before it committed (by another
        request, in a gap of a long query, or while a big commit prepared): the commit fails
        whole with 1203 and the transaction is aborted. Its writes there were acknowledged by
        nobody yet, and the rest alone is not what it did; committing the rest (as small
        commits did before) answered success for documents that were never stored."""
        self._release()
        self.status = "aborted"
        raise ArangoError(DATA_SOURCE_NOT_FOUND, name)

    def _persist(self, live: list[Overlay], prepared: dict[Overlay, Any] | None = None) -> None:
        """Write ``live`` durably, then tell the running transactions and apply it.

        A big commit on disk (``prepared``) writes its rows with the engine lock let go, other
        requests running meanwhile (a writer among them waits for the store): the commit is made
        visible once stored (:meth:`_visible`), by this transaction when it has the lock back or
        by a request that catches up or writes first; until then every reader sees the state
        before it, and its keys stay locked by it."""
        engine = self.db.engine
        apart = prepared is not None and engine.writes_apart
        try:
            engine.persist(
                live, sync=self.wait_for_sync, check=lambda: self._check(live), prepared=prepared,
                publish=functools.partial(self._visible, live) if apart else None,
            )
        except BaseException:
            self.abort()
            raise
        if apart:
            engine.after_apart()  # (made visible here unless a request did meanwhile)
        else:
            self._apply(live)

    def _apply(self, live: list[Overlay], *, trim: bool = True) -> None:
        """Make a stored commit visible: the running transactions get the versions it replaces
        before the snapshot moves (in memory, readers without the engine lock,
        ``storage.memory_read``, must find it handed over and applied or neither: both under
        ``applying``)."""
        engine = self.db.engine
        with engine.applying:
            for overlay in live:
                engine.snapshots.hand_over(overlay.coll, overlay.writes, self)
            engine.committed(live, trim=trim)

    def _visible(self, live: list[Overlay]) -> None:
        """Make a commit stored with the engine lock let go visible (holding the lock; maybe in
        another request's thread, inside its own write transaction: the log is not trimmed
        there), then give its key locks back."""
        try:
            self._apply(live, trim=False)
        finally:
            self._release()
            self.status = "committed"

    def _check(self, live: list[Overlay]) -> None:
        """Refuse the commit (1200) when another process committed a key written here since
        this transaction began, or (1210) when a unique index now collides."""
        for overlay in live:
            undo = self.undo.get(overlay.coll)
            if undo:
                for key in overlay.writes:
                    if key in undo:
                        raise ArangoError(CONFLICT, message=f"write-write conflict on key '{key}'")
            _recheck_unique(overlay)

    def abort(self) -> None:
        """Discard the writes (no-op when already ended)."""
        if self.status == "running":
            with self.db.engine.lock:
                self._release()
                self.status = "aborted"

    def _release(self) -> None:
        held = bool(self._claimed or self.exclusive)  # what a waiting transaction may wait for
        for claimed, key in self._claimed:
            if claimed.locks.get(key) == self.id:
                del claimed.locks[key]
        self._claimed = []
        for name in self.exclusive:
            coll = self.db.collections.get(name)
            if coll is not None and coll.exclusive == self.id:
                coll.exclusive = None
        self.overlays = {}
        self.undo = {}
        self.db.engine.snapshots.discard(self)
        if held:  # waiters wait for key and collection locks (``_wait``): none held, none freed
            released = self.db.engine.released
            with released:
                released.notify_all()

    def collections_info(self) -> dict[str, list[str]]:
        """Declared collections, for diagnostics."""
        return {"read": sorted(self.readable), "write": sorted(self.writable)}


def _recheck_unique(overlay: Overlay) -> None:
    """1210 when a new version collides, in a unique index, with a document another
    transaction committed meanwhile, or with another of this transaction's own (two written
    before the index was created while it ran: their writes were not checked against it)."""
    uniques = overlay.unique_indexes()
    if not uniques:
        return
    writes = overlay.writes
    for index in uniques:
        mine: dict[tuple[Any, ...], str] = {}
        for key, new in writes.items():
            if new is None:
                continue
            for vals in index.values_of(new):
                if mine.setdefault(vals, key) != key:
                    raise unique_violation(index, mine[vals])
                for other in index.entries.prefix_keys(vals):
                    if other != key and other not in writes:
                        raise unique_violation(index, other)


def serialize(overlays: list[Overlay]) -> tuple[list[tuple[int, str, str]], list[tuple[int, str]]]:
    """Rows for the durable store: ``(cid, key, json)`` upserts and ``(cid, key)`` deletes."""
    upserts: list[tuple[int, str, str]] = []
    deletes: list[tuple[int, str]] = []
    for overlay in overlays:
        cid = overlay.coll.cid
        for key, new in overlay.writes.items():
            if new is None:
                deletes.append((cid, key))
            else:
                upserts.append((cid, key, dumps(new)))
    return upserts, deletes


def missing(name: str) -> ArangoError:
    """1203 for a collection name."""
    return ArangoError(DATA_SOURCE_NOT_FOUND, name)
