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
from types import TracebackType

from nomarr.persistence.aio.operations import AsyncBoundOperations
from nomarr.persistence.aio.runner import AsyncQueryRunner, translate_async
from nomarr.persistence.transaction_scope import TransactionScope

__all__ = ["AsyncUnitOfWork"]

_log = logging.getLogger(__name__)


class AsyncUnitOfWork(AsyncBoundOperations, TransactionScope):
    """Async Operations bound to one stream transaction that commits or aborts on its own.

    Made by ``AsyncDatabase.unit_of_work``; the arguments are
    :class:`~nomarr.persistence.transaction_scope.TransactionScope`'s.
    """

    async def __aenter__(self) -> AsyncUnitOfWork:
        self._check_not_entered()
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
