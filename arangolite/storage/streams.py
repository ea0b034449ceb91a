"""Stream transactions: the registry behind ``/_api/transaction`` and ``x-arango-trx-id``.

Running transactions are kept by id; ended ones leave a tombstone with their final status (as
ArangoDB's transaction manager does) so status queries and repeated commits/aborts answer the way
ArangoDB answers. A transaction idle for longer than the idle timeout is aborted.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from arangolite.errors import TRANSACTION_DISALLOWED_OPERATION, TRANSACTION_NOT_FOUND, ArangoError
from arangolite.storage.transactions import Transaction

if TYPE_CHECKING:
    from arangolite.storage.database import Database

__all__ = ["StreamRegistry"]

_MAX_TOMBSTONES = 10_000


class StreamRegistry:
    """Stream transactions of one engine (callers hold the engine lock)."""

    def __init__(self, idle_timeout: float) -> None:
        self.idle_timeout = idle_timeout
        self.running: dict[str, Transaction] = {}
        self._ended: OrderedDict[str, tuple[str, str]] = OrderedDict()  # id -> (db, status)

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
        self.running[trx.id] = trx
        return trx

    def _end(self, trx: Transaction) -> None:
        self.running.pop(trx.id, None)
        self._ended[trx.id] = (trx.db.name, trx.status)
        while len(self._ended) > _MAX_TOMBSTONES:
            self._ended.popitem(last=False)

    def expire_idle(self, now: float | None = None) -> None:
        """Abort transactions idle for longer than the timeout."""
        now = time.monotonic() if now is None else now
        for trx in list(self.running.values()):
            if now - trx.last_used > self.idle_timeout:
                trx.abort()
                self._end(trx)

    def lease(self, db: Database, tid: str) -> Transaction:
        """The running transaction ``tid`` of ``db``; 1655 otherwise."""
        self.expire_idle()
        trx = self.running.get(tid)
        if trx is None or trx.db is not db:
            raise ArangoError(TRANSACTION_NOT_FOUND, tid)
        trx.last_used = time.monotonic()
        return trx

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
                raise ArangoError(
                    TRANSACTION_DISALLOWED_OPERATION, message=f"transaction was already {status}"
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
