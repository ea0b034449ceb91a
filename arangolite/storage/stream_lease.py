"""The lease of a stream transaction: at most one request uses it at a time, as in ArangoDB.

ArangoDB's transaction manager (``transaction::Manager::leaseManagedTrx``) gives each request that
carries ``x-arango-trx-id`` a lease on the transaction for the request's length. A request that
writes (document writes, every AQL cursor) needs it alone: it tries every 10 ms for up to
``--transaction.streaming-lock-timeout`` seconds (8 by default) and then fails with 28
(``TRI_ERROR_LOCKED``, HTTP 500) ``cannot write-lock, transaction <id> is already in use``. A request
that only reads (document reads, batch reads) shares it with other readers and fails with 28 at
once, ``cannot read-lock, transaction <id> is already in use``, when a writer holds it. Commit and
abort need it alone too and retry for up to 9 s (``statusChangeWithTimeout``), then fail with 28
``updating transaction status on commit failed. transaction <id> is in use``.

arangolite served every request of a stream transaction under the engine lock, so two never ran
at once and no lease was needed. A query that hands the engine lock over between rows
(``aql.turns``) lets other requests run in its gaps; the lease is what keeps the requests of its
own transaction out of them. A request waits for the lease *before* it takes the engine lock (and
with the engine lock let go, should its thread hold it): the holder may need the engine lock back
after a hand-over, so waiting for the lease while holding it would deadlock.
"""

from __future__ import annotations

import threading
import time

from arangolite.errors import LOCKED, ArangoError

__all__ = ["COMMIT_WAIT", "LOCK_TIMEOUT", "Lease", "default_lock_timeout", "set_default_lock_timeout"]

# ArangoDB's ``--transaction.streaming-lock-timeout`` default (seconds)
LOCK_TIMEOUT = 8.0
_default = [LOCK_TIMEOUT]  # what engines opened from now on use (``arangolite serve`` sets it)
# how long commit and abort wait for a transaction in use (ArangoDB's statusChangeWithTimeout)
COMMIT_WAIT = 9.0


def set_default_lock_timeout(seconds: float) -> None:
    """``--transaction.streaming-lock-timeout``: the lease wait of engines opened after this
    (worker processes forked after it inherit it)."""
    if seconds < 0:
        raise ValueError("--transaction.streaming-lock-timeout must not be negative")
    _default[0] = float(seconds)


def default_lock_timeout() -> float:
    """The lease wait a new engine gets (:func:`set_default_lock_timeout`)."""
    return _default[0]


class Lease:
    """Who uses one stream transaction now: one writer, or any number of readers."""

    def __init__(self, tid: str, db: str = "") -> None:
        self.tid = tid
        self.db = db  # the name of the transaction's database
        self._free = threading.Condition(threading.Lock())  # ``with`` takes its lock only
        self.writer = False
        self.readers = 0
        self.waiting = 0  # requests waiting to hold it alone
        self.last_returned = time.monotonic()

    @property
    def busy(self) -> bool:
        """Whether a request holds the lease (its transaction must not expire meanwhile)."""
        return self.writer or self.readers > 0

    def read(self) -> None:
        """Share the lease with other readers; 28 at once when a writer holds it."""
        with self._free:
            if self.writer:
                raise ArangoError(
                    LOCKED,
                    message=f"cannot read-lock, transaction {self.tid} is already in use",
                )
            self.readers += 1

    def try_write(self) -> bool:
        """Take the lease alone if nobody holds it (never waits)."""
        with self._free:
            if self.writer or self.readers:
                return False
            self.writer = True
            return True

    def write(self, timeout: float, *, ending: str = "") -> None:
        """Take the lease alone, waiting up to ``timeout`` seconds; 28 when it stays in use
        (``ending``: ``commit`` or ``abort``, with ArangoDB's message for those)."""
        deadline = time.monotonic() + timeout
        with self._free:
            self.waiting += 1
            try:
                while self.writer or self.readers:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise ArangoError(LOCKED, message=self._in_use(ending))
                    self._free.wait(left)
            finally:
                self.waiting -= 1
            self.writer = True

    def _in_use(self, ending: str) -> str:
        if ending:
            return (
                f"updating transaction status on {ending} failed. "
                f"transaction {self.tid} is in use"
            )
        return f"cannot write-lock, transaction {self.tid} is already in use"

    def give_back(self, *, write: bool) -> None:
        """End this request's use of the lease."""
        with self._free:
            if write:
                self.writer = False
            else:
                self.readers -= 1
            self.last_returned = time.monotonic()
            if self.waiting:
                self._free.notify_all()
