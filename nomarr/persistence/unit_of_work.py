"""A unit of work: everything inside one ArangoDB stream transaction, all or nothing.

::

    with db.unit_of_work(write=[LIBRARY_FILES, LIBRARY_HAS_FILE]) as uow:
        uow.library_files.upsert_batch(files)
        uow.library_files.update_status(key, "tagged")

Entering begins a stream transaction (python-arango ``begin_transaction``, which works on single
servers and clusters alike). Leaving the block normally commits; leaving it with any exception
aborts and lets the exception propagate. The unit of work exposes the same Operations objects as
the ``Database``, bound to the transaction; they never commit themselves. Only calls made through
``uow.<collection>`` join the transaction: ``db.<collection>`` inside the ``with`` block still
runs on its own (so other threads can keep using ``db`` while a unit of work is open). Statements in a unit
of work are not retried: on a conflict the whole unit fails and the caller may run it again.
"""

from __future__ import annotations

import logging
from types import TracebackType

from nomarr.persistence.bound_operations import BoundOperations
from nomarr.persistence.error_mapping import translate
from nomarr.persistence.query_runner import QueryRunner
from nomarr.persistence.retry import NO_RETRY
from nomarr.persistence.transaction_scope import TransactionScope

__all__ = ["UnitOfWork"]

_log = logging.getLogger(__name__)


class UnitOfWork(BoundOperations, TransactionScope):
    """Operations bound to one stream transaction that commits or aborts on its own.

    Made by :meth:`Database.unit_of_work <nomarr.persistence.db.Database.unit_of_work>`; the
    arguments are :class:`~nomarr.persistence.transaction_scope.TransactionScope`'s.
    """

    def __enter__(self) -> UnitOfWork:
        self._check_not_entered()
        try:
            self._txn = self._db.begin_transaction(**self._options)
        except Exception as exc:
            raise translate(exc, "beginning a unit of work") from exc
        self._runner = QueryRunner(self._txn, NO_RETRY, in_transaction=True)
        self._bind_operations(self._runner, self._progress)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self._runner.end()
        if exc_type is None:
            self._commit()
        else:
            self._abort()

    def _commit(self) -> None:
        assert self._txn is not None
        try:
            self._txn.commit_transaction()
        except Exception as exc:
            self._abort()
            raise translate(exc, "committing a unit of work") from exc

    def _abort(self) -> None:
        assert self._txn is not None
        try:
            self._txn.abort_transaction()
        except Exception as exc:  # the original error matters more; the server times it out
            _log.warning("aborting transaction %s failed: %s", self._txn.transaction_id, exc)
