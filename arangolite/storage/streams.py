"""Stream transactions: the registry behind ``/_api/transaction`` and ``x-arango-trx-id``.

Running transactions are kept by id; ended ones leave a tombstone with their final status (as
ArangoDB's transaction manager does) so status queries and repeated commits/aborts answer the way
ArangoDB answers. A transaction idle for longer than the idle timeout is aborted; one that a
request holds (its lease, ``storage.stream_lease``) is not idle.

Each running transaction has a :class:`~arangolite.storage.stream_lease.Lease`. The leases are
kept apart from the rest, under a small lock of their own, because a request takes its lease
before it takes the engine lock (:meth:`StreamRegistry.take`).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING

from arangolite.errors import (
    TRANSACTION_ABORTED,
    TRANSACTION_DISALLOWED_OPERATION,
    TRANSACTION_NOT_FOUND,
    ArangoError,
)
from arangolite.storage.stream_lease import COMMIT_WAIT, Lease, default_lock_timeout
from arangolite.storage.transactions import Transaction

if TYPE_CHECKING:
    from arangolite.storage.database import Database

__all__ = ["StreamRegistry"]

_MAX_TOMBSTONES = 10_000


class StreamRegistry:
    """Stream transactions of one engine (callers hold the engine lock, except for
    :meth:`take` and :meth:`give_back`)."""

    def __init__(self, idle_timeout: float, lock_timeout: float | None = None) -> None:
        self.idle_timeout = idle_timeout
        # ``--transaction.streaming-lock-timeout`` (seconds)
        self.lock_timeout = default_lock_timeout() if lock_timeout is None else lock_timeout
        self.commit_wait = COMMIT_WAIT  # how long commit and abort wait for a leased one
        self.running: dict[str, Transaction] = {}
        self._ended: OrderedDict[str, tuple[str, str]] = OrderedDict()  # id -> (db, status)
        self._leases: dict[str, Lease] = {}
        self._leases_lock = threading.Lock()

    def begin(
        self,
        db: Database,
        read: Iterable[str],
        write: Iterable[str],
        exclusive: Iterable[str],
        *,
        allow_implicit: bool = True,
        lock_timeout: float | None = None,
    ) -> Transaction:
        self.expire_idle()
        trx = db.begin(
            read,
            write,
            exclusive,
            stream=True,
            allow_implicit=allow_implicit,
            lock_timeout=lock_timeout,
        )
        with self._leases_lock:
            self._leases[trx.id] = Lease(trx.id, db.name)
        self.running[trx.id] = trx
        return trx

    # -- leases (taken and given back without the engine lock) -----------------------------------

    def take(
        self, tid: str, db: str, *, write: bool, ending: str = "",
        waiting: Callable[[], AbstractContextManager[object]] = nullcontext,
    ) -> Lease | None:
        """Take the lease of transaction ``tid`` for one request to database ``db``
        (``write``: alone, waiting up to :attr:`lock_timeout`, or :attr:`commit_wait` when
        ``ending`` it; else shared with other readers); 28 when it stays in use. None when no
        such transaction runs in ``db`` (the request then gets ArangoDB's answer for that under
        the engine lock: a transaction of another database is not found, 1655, whether or not
        it is in use). A wait runs inside ``waiting()`` (the engine lock let go:
        ``EngineLock.released``)."""
        with self._leases_lock:
            lease = self._leases.get(tid)
        if lease is None or lease.db != db:
            return None
        if not write:
            lease.read()
        elif not lease.try_write():
            with waiting():
                lease.write(self.commit_wait if ending else self.lock_timeout, ending=ending)
        return lease

    def lease_of(self, tid: str) -> Lease | None:
        """The lease of running transaction ``tid`` (to look at: who holds it, who waits)."""
        with self._leases_lock:
            return self._leases.get(tid)

    def give_back(self, lease: Lease, *, write: bool) -> None:
        """End a request's use of ``lease``; its transaction's idle time starts again."""
        lease.give_back(write=write)

    def _busy(self, trx: Transaction) -> bool:
        lease = self._leases.get(trx.id)
        return lease is not None and lease.busy

    def _end(self, trx: Transaction) -> None:
        self.running.pop(trx.id, None)
        with self._leases_lock:
            self._leases.pop(trx.id, None)
        self._ended[trx.id] = (trx.db.name, trx.status)
        while len(self._ended) > _MAX_TOMBSTONES:
            self._ended.popitem(last=False)

    def expire_idle(self, now: float | None = None) -> None:
        """Abort transactions idle for longer than the timeout (a transaction a request holds
        is in use, not idle: its query may be between two rows, ``aql.turns``)."""
        now = time.monotonic() if now is None else now
        for trx in list(self.running.values()):
            if self._idle(trx, now) and not self._busy(trx):
                trx.abort()
                self._end(trx)

    def _idle(self, trx: Transaction, now: float) -> bool:
        """Whether ``trx`` was not used for longer than the timeout (since its last request
        began or, for the one it leased last, ended)."""
        if now - trx.last_used <= self.idle_timeout:
            return False
        lease = self._leases.get(trx.id)
        return lease is None or now - lease.last_returned > self.idle_timeout

    def lease(self, db: Database, tid: str) -> Transaction:
        """The running transaction ``tid`` of ``db``, for a request carrying its id. Otherwise
        ArangoDB's answers (``transaction::Manager::leaseManagedTrx``): one that ended in
        ``db`` gives 1654 (410) when aborted or expired, 1653 (400) when committed; one that
        expired just now (before the sweep) 1655 ``... has already expired``; an unknown one,
        or one of another database, 1655."""
        now = time.monotonic()
        self.expire_idle(now)
        trx = self.running.get(tid)
        if trx is not None and trx.db is db and self._idle(trx, now):
            trx.abort()  # expired before this request (which holds its lease, so
            self._end(trx)  # ``expire_idle`` passed it over)
            raise ArangoError(
                TRANSACTION_NOT_FOUND, message=f"transaction {tid} has already expired"
            )
        if trx is not None and trx.db is db:
            trx.last_used = now
            return trx
        ended = self._ended.get(tid)
        if trx is None and ended is not None and ended[0] == db.name:
            if ended[1] == "committed":
                raise ArangoError(
                    TRANSACTION_DISALLOWED_OPERATION,
                    message=f"transaction {tid} has already been committed",
                )
            raise ArangoError(
                TRANSACTION_ABORTED, message=f"transaction {tid} has already been aborted"
            )
        raise ArangoError(TRANSACTION_NOT_FOUND, tid)

    def status(self, db: Database, tid: str) -> str:
        self.expire_idle()
        trx = self.running.get(tid)
        if trx is not None and trx.db is db:
            return trx.status
        ended = self._ended.get(tid)
        if ended is None or ended[0] != db.name:
            raise ArangoError(TRANSACTION_NOT_FOUND, tid)
        return ended[1]

    def finish(self, db: Database, tid: str, *, commit: bool) -> str:
        """Commit or abort; repeating the same ending is fine, the other one gives 1653."""
        wanted = "committed" if commit else "aborted"
        status = self.status(db, tid)
        if status != "running":
            if status != wanted:
                operation = "commit" if commit else "abort"
                raise ArangoError(  # ArangoDB's message (``Manager::updateTransaction``)
                    TRANSACTION_DISALLOWED_OPERATION,
                    message=f"while trying to {operation} transaction {tid}: "
                    f"transaction was already {status}",
                )
            return status
        trx = self.running[tid]
        try:
            if commit:
                trx.commit()
            else:
                trx.abort()
        finally:
            if trx.status != "running":
                self._end(trx)
        return trx.status

    def listing(self, db: Database) -> list[dict[str, str]]:
        self.expire_idle()
        return [{"id": t.id, "state": t.status} for t in self.running.values() if t.db is db]

    def drop_database(self, db: Database) -> None:
        for trx in [t for t in self.running.values() if t.db is db]:
            trx.abort()
            self._end(trx)
