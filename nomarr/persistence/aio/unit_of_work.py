"""The async unit of work: everything inside one ArangoDB stream transaction, all or nothing.

::

    async with adb.unit_of_work(write=[QUEUE, WORKER_CLAIMS]) as uow:
        job = await uow.queue.enqueue("tag", {"file_key": key})     # joins the transaction
        await uow.worker_claims.try_claim(key, "worker-1")

The twin of :class:`nomarr.persistence.unit_of_work.UnitOfWork`, with the same arguments and
rules: leaving the block normally commits, leaving it with an exception aborts and re-raises;
only ``uow.<group>`` calls join the transaction; statements inside are not retried.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from nomarr.helpers.errors import TransactionError
from nomarr.persistence.aio.operations import AsyncBoundOperations
from nomarr.persistence.aio.runner import AsyncQueryRunner, translate_async
from nomarr.persistence.progress_buffer import ProgressBuffer
from nomarr.persistence.unit_of_work import transaction_options

__all__ = ["AsyncUnitOfWork"]

_log = logging.getLogger(__name__)


class AsyncUnitOfWork(AsyncBoundOperations):
    """Async Operations bound to one stream transaction that commits or aborts on its own.

    Args:
        db: the python-arango-async database handle to begin the transaction on.
        progress: the queue progress buffer shared with the AsyncDatabase.
        write: collections written (default: every collection of the schema).
        read: collections only read (undeclared collections may be read too).
        exclusive: collections to lock exclusively.
        lock_timeout_s: seconds to wait for collection locks (None: server default).
    """

    def __init__(
        self,
        db: Any,
        progress: ProgressBuffer,
        *,
        write: Sequence[str] | None = None,
        read: Sequence[str] = (),
        exclusive: Sequence[str] = (),
        lock_timeout_s: int | None = None,
    ) -> None:
        self._db = db
        self._progress = progress
        self._options = transaction_options(write, read, exclusive, lock_timeout_s)
        self._txn: Any = None

    @property
    def transaction_id(self) -> str | None:
        """The stream transaction's id while the unit of work is open."""
        return None if self._txn is None else str(self._txn.transaction_id)

    async def __aenter__(self) -> AsyncUnitOfWork:
        if self._txn is not None:
            raise TransactionError("a unit of work cannot be entered twice")
        try:
            self._txn = await self._db.begin_transaction(**self._options)
        except Exception as exc:
            raise translate_async(exc, "beginning a unit of work") from exc
        self._runner = AsyncQueryRunner(self._txn, in_transaction=True)
        self._bind_operations(self._runner, self._progress)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self._runner.end()
        if exc_type is None:
            await self._commit()
        else:
            await self._abort()

    async def _commit(self) -> None:
        try:
            await self._txn.commit_transaction()
        except Exception as exc:
            await self._abort()
            raise translate_async(exc, "committing a unit of work") from exc

    async def _abort(self) -> None:
        try:
            await self._txn.abort_transaction()
        except Exception as exc:  # the original error matters more; the server times it out
            _log.warning("aborting transaction %s failed: %s", self.transaction_id, exc)
