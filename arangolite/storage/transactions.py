"""Transactions: write overlays, key locks, commit (durable, then visible) and abort.

A transaction collects its writes per collection in an :class:`Overlay`; each written key is
locked by it until it ends, so a second writer gets 1200 at once. ``commit`` re-checks unique
indexes against what others committed meanwhile, writes everything in one SQLite transaction and
then applies it to the in-memory state; ``abort`` drops the overlays. Reads are read-committed:
committed state as of the read, plus the transaction's own writes.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from arangolite.errors import (
    CONFLICT,
    DATA_SOURCE_NOT_FOUND,
    TRANSACTION_ABORTED,
    TRANSACTION_DISALLOWED_OPERATION,
    TRANSACTION_UNREGISTERED_COLLECTION,
    ArangoError,
)
from arangolite.storage.collection import Collection, unique_violation
from arangolite.storage.durability import dumps
from arangolite.storage.handle import TrxCollection
from arangolite.storage.keys import split_id
from arangolite.storage.overlay import Overlay

if TYPE_CHECKING:
    from arangolite.storage.database import Database

__all__ = ["Transaction"]

Document = dict[str, Any]


class Transaction:
    """One transaction on one database (implements ``storage.api.Transaction``)."""

    def __init__(
        self,
        db: Database,
        tid: str,
        *,
        read: Iterable[str] = (),
        write: Iterable[str] = (),
        exclusive: Iterable[str] = (),
        stream: bool = False,
        allow_implicit: bool = True,
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
        self._claim_exclusive()

    def _claim_exclusive(self) -> None:
        for name in self.exclusive:
            coll = self.db.get_collection(name)
            if coll.exclusive not in (None, self.id) or any(
                owner != self.id for owner in coll.locks.values()
            ):
                self._release()
                raise ArangoError(
                    CONFLICT, message=f"collection '{name}' is locked by another transaction"
                )
            coll.exclusive = self.id

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
        """Make the writes durable and visible (1210 when a unique index now collides)."""
        if self.status == "committed":
            return
        if self.status != "running":
            raise ArangoError(
                TRANSACTION_DISALLOWED_OPERATION, message=f"transaction was already {self.status}"
            )
        with self.db.engine.lock:
            live = [o for o in self.overlays.values() if o.writes and not o.coll.dropped]
            try:
                for overlay in live:
                    _recheck_unique(overlay)
                self.db.engine.persist(live, sync=self.wait_for_sync)
            except BaseException:
                self.abort()
                raise
            for overlay in live:
                apply = overlay.coll.apply
                for key, new in overlay.writes.items():
                    apply(key, new)
            self._release()
            self.status = "committed"

    def abort(self) -> None:
        """Discard the writes (no-op when already ended)."""
        if self.status == "running":
            with self.db.engine.lock:
                self._release()
                self.status = "aborted"

    def _release(self) -> None:
        for overlay in self.overlays.values():
            locks = overlay.coll.locks
            for key in overlay.writes:
                if locks.get(key) == self.id:
                    del locks[key]
        for name in self.exclusive:
            coll = self.db.collections.get(name)
            if coll is not None and coll.exclusive == self.id:
                coll.exclusive = None
        self.overlays = {}

    def collections_info(self) -> dict[str, list[str]]:
        """Declared collections, for diagnostics."""
        return {"read": sorted(self.readable), "write": sorted(self.writable)}


def _recheck_unique(overlay: Overlay) -> None:
    uniques = overlay.unique_indexes()
    if not uniques:
        return
    writes = overlay.writes
    for key, new in writes.items():
        if new is None:
            continue
        for index in uniques:
            for vals in index.values_of(new):
                for _, _, other in index.entries.prefix(vals):
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
