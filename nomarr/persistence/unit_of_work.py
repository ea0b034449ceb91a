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
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from arango.database import StandardDatabase, TransactionDatabase

from nomarr.helpers.errors import TransactionError
from nomarr.helpers.many import many
from nomarr.persistence.bound_operations import BoundOperations
from nomarr.persistence.error_mapping import translate
from nomarr.persistence.progress_buffer import ProgressBuffer
from nomarr.persistence.query_runner import QueryRunner
from nomarr.persistence.retry import NO_RETRY
from nomarr.persistence.schema import collection_names

__all__ = ["UnitOfWork", "transaction_options"]

_log = logging.getLogger(__name__)


class UnitOfWork(BoundOperations):
    """Operations bound to one stream transaction that commits or aborts on its own.

    Args:
        db: the database handle to begin the transaction on.
        progress: the queue progress buffer shared with the Database.
        write: collections written (default: every collection of the schema).
        read: collections only read (undeclared collections may be read too).
        exclusive: collections to lock exclusively.
        lock_timeout_s: seconds to wait for collection locks (None: server default).
    """

    def __init__(
        self,
        db: StandardDatabase,
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
        self._txn: TransactionDatabase | None = None

    @property
    def transaction_id(self) -> str | None:
        """The stream transaction's id while the unit of work is open."""
        return None if self._txn is None else self._txn.transaction_id

    def __enter__(self) -> UnitOfWork:
        if self._txn is not None:
            raise TransactionError("a unit of work cannot be entered twice")
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


def transaction_options(
    write: Sequence[str] | None, read: Sequence[str], exclusive: Sequence[str], lock_timeout_s: int | None
) -> dict[str, Any]:
    """Return the ``begin_transaction`` arguments of a unit of work (both drivers take them).

    Raises:
        TransactionError: a collection is not part of the schema.
    """
    return {
        "read": _known(read),
        "write": _known(collection_names() if write is None else write),
        "exclusive": _known(exclusive),
        "allow_implicit": True,
        "lock_timeout": lock_timeout_s,
    }


def _known(names: Sequence[str]) -> list[str]:
    names = many(names, "unit_of_work(collections)")
    declared = set(collection_names())
    unknown = [name for name in names if name not in declared]
    if unknown:
        raise TransactionError(f"unknown collections for a unit of work: {unknown}")
    return list(names)
