"""Run queries on a python-arango-async database handle, translating failures.

The async twin of :class:`nomarr.persistence.query_runner.QueryRunner`: Operations pass a small
function that calls ``db.aql.execute(NAMED_QUERY, bind_vars=...)`` (the same constants as the
sync Operations) and gets back the awaitable cursor; the runner awaits it and reads every row.
Nothing is retried (an event loop caller decides its own retries).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from arangoasync.database import StandardDatabase
from arangoasync.exceptions import ArangoClientError, ArangoServerError

from nomarr.helpers.errors import (
    BackendUnavailableError,
    DocumentNotFoundError,
    NomarrError,
    QueryError,
)
from nomarr.persistence.error_mapping import from_server_error, is_connection_failure
from nomarr.persistence.operations_base import BindVars, by_key

__all__ = ["AsyncExecute", "AsyncOperationsBase", "AsyncQueryRunner"]

AsyncExecute = Callable[[StandardDatabase], Awaitable[Any]]
"""A function that starts one query on the handle it receives and returns the awaitable cursor."""


def translate_async(exc: BaseException, context: str) -> NomarrError:
    """Return the nomarr exception for a python-arango-async failure."""
    if isinstance(exc, NomarrError):
        return exc
    if isinstance(exc, ArangoServerError):
        return from_server_error(exc.error_code, exc.http_code, exc.error_message or exc.message, context)
    if is_connection_failure(exc) or isinstance(exc, (ConnectionError, ArangoClientError)):
        return BackendUnavailableError(f"{context}: {type(exc).__name__}: {exc}")
    return QueryError(f"{context}: {type(exc).__name__}: {exc}")


class AsyncQueryRunner:
    """Executes queries for the async Operations classes.

    Args:
        db: a python-arango-async ``StandardDatabase``.
    """

    def __init__(self, db: StandardDatabase) -> None:
        self.db = db

    async def rows(self, execute: AsyncExecute, *, context: str) -> list[Any]:
        """Run ``execute`` on the handle and return every result row."""
        try:
            cursor = await execute(self.db)
            return [row async for row in cursor]
        except Exception as exc:
            raise translate_async(exc, context) from exc


class AsyncOperationsBase:
    """Holds the runner and names the Operations group in error messages."""

    group = "operations"

    def __init__(self, runner: AsyncQueryRunner) -> None:
        self._runner = runner

    async def _rows(self, execute: AsyncExecute, what: str) -> list[Any]:
        return await self._runner.rows(execute, context=f"{self.group}.{what}")

    async def _first(self, execute: AsyncExecute, what: str) -> Any:
        found = await self._rows(execute, what)
        return found[0] if found else None

    def _required(self, row: Any, what: str, key: str) -> Any:
        if row is None:
            raise DocumentNotFoundError(f"{self.group}.{what}: no document with _key {key!r}")
        return row

    async def _pages(
        self, execute: AsyncExecute, bind: BindVars, what: str, after: Callable[[Any], Any] = by_key
    ) -> AsyncIterator[Any]:
        """Yield the rows of a keyset-paginated query, one query per page (see the sync twin)."""
        batch = int(bind["limit"])
        if batch < 1:
            raise ValueError(f"{self.group}.{what}: batch_size must be positive, got {batch}")
        bind["limit"] = batch + 1  # one row more than a batch tells whether another page exists
        while True:
            rows = await self._rows(execute, what)
            for row in rows[:batch]:
                yield row
            if len(rows) <= batch:
                return
            bind["after"] = after(rows[batch - 1])
