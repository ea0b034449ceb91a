"""What the sync and the async unit of work share: their arguments, and how a database opens one.

:class:`TransactionScope` holds a unit of work's handle, progress buffer and
``begin_transaction`` arguments (checked against the schema when the unit is made);
:class:`OpensUnitsOfWork` gives ``Database`` and ``AsyncDatabase`` their ``unit_of_work``
method. Beginning, committing and aborting are each unit's own (one driver awaits, one does not).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from nomarr.helpers.errors import TransactionError
from nomarr.helpers.many import many
from nomarr.persistence.progress_buffer import ProgressBuffer
from nomarr.persistence.query_runner import QueryRunner
from nomarr.persistence.schema import collection_names

__all__ = ["OpensUnitsOfWork", "TransactionScope", "transaction_options"]


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


class TransactionScope:
    """The state of a unit of work before, during and after its stream transaction.

    Args:
        db: the driver's database handle to begin the transaction on.
        progress: the queue progress buffer shared with the database.
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

    def _check_not_entered(self) -> None:
        if self._txn is not None:
            raise TransactionError("a unit of work cannot be entered twice")


UnitT = TypeVar("UnitT", bound=TransactionScope)


class OpensUnitsOfWork(Generic[UnitT]):
    """Gives a database its ``unit_of_work`` method, making units of ``unit_of_work_class``."""

    unit_of_work_class: ClassVar[type[TransactionScope]]
    _runner: QueryRunner
    _progress: ProgressBuffer

    def unit_of_work(
        self,
        write: Sequence[str] | None = None,
        *,
        read: Sequence[str] = (),
        exclusive: Sequence[str] = (),
        lock_timeout_s: int | None = None,
    ) -> UnitT:
        """Return a unit of work: ``with`` it on ``Database``, ``async with`` it on ``AsyncDatabase``.

        Args:
            write: collections the unit writes (default: all of the schema).
            read: collections it only reads.
            exclusive: collections it locks exclusively.
            lock_timeout_s: seconds to wait for locks.

        Raises:
            TransactionError: a collection is not part of the schema.
        """
        unit = self.unit_of_work_class(
            self._runner.db, self._progress, write=write, read=read, exclusive=exclusive, lock_timeout_s=lock_timeout_s
        )
        return unit  # type: ignore[return-value]  # unit_of_work_class is UnitT's class
