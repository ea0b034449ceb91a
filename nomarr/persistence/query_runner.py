"""Run queries on one database handle, translating failures and retrying transient ones.

A :class:`QueryRunner` wraps either the plain database handle (each query is its own implicit
transaction; transient failures are retried) or a stream transaction's handle (queries join the
transaction; nothing is retried; the runner refuses work once its unit of work has ended).

Operations pass the runner a small function that calls ``db.aql.execute(NAMED_QUERY,
bind_vars={...})`` on the handle it is given. The query constant and its bind variables thus
stay visible at the call site (and to the layer lint), while error translation, retry and the
transaction binding live here once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from arango.cursor import Cursor
from arango.database import Database as ArangoDatabase

from nomarr.helpers.errors import TransactionError
from nomarr.persistence.error_mapping import translate
from nomarr.persistence.retry import NO_RETRY, RetryPolicy, call_with_retry

__all__ = ["Execute", "QueryRunner"]

Execute = Callable[[ArangoDatabase], Any]
"""A function that runs one query on the handle it receives and returns the cursor."""


class QueryRunner:
    """Executes queries for Operations classes.

    Args:
        db: a python-arango ``StandardDatabase`` or ``TransactionDatabase``.
        retry: backoff for transient failures; ignored in a transaction.
        in_transaction: True when ``db`` is a stream transaction's handle.
    """

    def __init__(self, db: ArangoDatabase, retry: RetryPolicy, *, in_transaction: bool = False):
        self.db = db
        self.in_transaction = in_transaction
        self._retry = NO_RETRY if in_transaction else retry
        self._ended = False

    def end(self) -> None:
        """Refuse further queries (called when the owning unit of work ends)."""
        self._ended = True

    def rows(
        self, execute: Execute, *, context: str, idempotent: bool, conflict_safe: bool = False
    ) -> list[Any]:
        """Run ``execute`` on the handle and return every result row.

        Args:
            execute: runs one named query with its bind variables and returns the cursor.
            context: names the operation in error messages, e.g. ``"queue.claim_next"``.
            idempotent: running it twice has the effect of running it once, so any transient
                failure may be retried.
            conflict_safe: a write-write conflict may be retried even though the operation is
                not idempotent (it wrote nothing, e.g. a single-document claim).
        """
        self._check_open(context)
        return call_with_retry(
            lambda: self._all_rows(execute, context),
            self._retry,
            idempotent,
            conflict_safe=conflict_safe,
            sleep=self._sleep,
        )

    def _sleep(self, seconds: float) -> None:
        """Wait between retries (the async runner waits on its event loop instead)."""
        time.sleep(seconds)

    def stream(self, execute: Execute, *, context: str) -> Iterator[Any]:
        """Yield rows batch by batch (not retried: a half-read stream cannot resume)."""
        self._check_open(context)
        try:
            yield from self._cursor(execute)
        except Exception as exc:
            raise translate(exc, context) from exc

    def _all_rows(self, execute: Execute, context: str) -> list[Any]:
        try:
            return list(self._cursor(execute))
        except Exception as exc:
            raise translate(exc, context) from exc

    def _cursor(self, execute: Execute) -> Cursor:
        cursor = execute(self.db)
        if not isinstance(cursor, Cursor):  # async/batch handles are not used by nomarr
            raise TransactionError(f"expected a cursor, got {type(cursor).__name__}")
        return cursor

    def _check_open(self, context: str) -> None:
        if self._ended:
            raise TransactionError(f"{context}: the unit of work has already ended")
