"""The query runner of the async API: the sync runner's contract on python-arango-async.

:class:`AsyncQueryRunner` is a :class:`~nomarr.persistence.query_runner.QueryRunner` whose
handle is a python-arango-async database (or stream transaction). The Operations classes call
``runner.rows(...)``/``runner.stream(...)`` exactly as on the sync side, with their lambdas
``db.aql.execute(NAMED_QUERY, bind_vars=...)``; here that call returns a coroutine, which
:func:`~nomarr.persistence.aio.bridge.await_only` hands to the event loop. Error translation and
retries (with the same policy, waiting with :func:`asyncio.sleep`) are the sync runner's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

from arangoasync.exceptions import ArangoClientError, ArangoServerError

from nomarr.helpers.errors import BackendUnavailableError, NomarrError, QueryError
from nomarr.persistence.aio.bridge import await_only
from nomarr.persistence.error_mapping import from_server_error, is_connection_failure
from nomarr.persistence.query_runner import Execute, QueryRunner
from nomarr.persistence.retry import NO_RETRY, RetryPolicy

__all__ = ["AsyncQueryRunner", "translate_async"]


def translate_async(exc: BaseException, context: str) -> NomarrError:
    """Return the nomarr exception for a python-arango-async failure."""
    if isinstance(exc, NomarrError):
        return exc
    if isinstance(exc, ArangoServerError):
        return from_server_error(exc.error_code, exc.http_code, exc.error_message or exc.message, context)
    if is_connection_failure(exc) or isinstance(exc, (ConnectionError, ArangoClientError)):
        return BackendUnavailableError(f"{context}: {type(exc).__name__}: {exc}")
    return QueryError(f"{context}: {type(exc).__name__}: {exc}")


class AsyncQueryRunner(QueryRunner):
    """Executes the Operations' queries on a python-arango-async handle.

    Only usable inside :func:`~nomarr.persistence.aio.bridge.run_sync` (which every
    ``AsyncDatabase`` method does for you).

    Args:
        db: a python-arango-async ``StandardDatabase`` or ``TransactionDatabase``.
        retry: backoff for transient failures; ignored in a transaction.
        in_transaction: True when ``db`` is a stream transaction's handle.
    """

    def __init__(self, db: Any, retry: RetryPolicy = NO_RETRY, *, in_transaction: bool = False) -> None:
        super().__init__(db, retry, in_transaction=in_transaction)

    def stream(self, execute: Execute, *, context: str) -> Iterator[Any]:
        """Yield rows batch by batch, fetching the next batch when one is used up."""
        self._check_open(context)
        try:
            yield from self._batches(execute)
        except Exception as exc:
            raise translate_async(exc, context) from exc

    def _all_rows(self, execute: Execute, context: str) -> list[Any]:
        try:
            return list(self._batches(execute))
        except Exception as exc:
            raise translate_async(exc, context) from exc

    def _batches(self, execute: Execute) -> Iterator[Any]:
        """The cursor's rows, one batch in memory at a time (each fetch awaited on the loop)."""
        cursor = await_only(execute(self.db))
        while True:
            batch = list(cursor.batch)
            cursor.batch.clear()
            yield from batch
            if not cursor.has_more:
                return
            await_only(cursor.fetch())

    def _sleep(self, seconds: float) -> None:
        await_only(asyncio.sleep(seconds))
