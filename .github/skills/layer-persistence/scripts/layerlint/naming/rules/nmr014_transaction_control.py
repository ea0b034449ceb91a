"""NMR014: an Operations class never begins, commits or aborts a transaction."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..source import SourceFile
from .base import Rule

if TYPE_CHECKING:
    from ..project import Project

_CONTROL = frozenset(
    {
        "begin_transaction",
        "commit_transaction",
        "abort_transaction",
        "execute_transaction",
        "commit",
        "abort",
        "rollback",
    }
)
_OPERATIONS_SUFFIXES = ("Operations", "Mixin")


class TransactionControlInOperations(Rule):
    """Flags transaction control inside an ``*Operations`` (or ``*Mixin``) class.

    Calls of ``begin_transaction``, ``commit_transaction``, ``abort_transaction``,
    ``execute_transaction``, ``commit``, ``abort`` or ``rollback`` in a method of such a class
    (nested functions and lambdas included). Only ``Database`` and its unit of work control
    transactions.
    """

    code = "NMR014"
    name = "transaction-control-in-operations"
    message = "`{call}` controls a transaction inside `{cls}`; only Database or a unit of work does"
    hint = (
        "run the query through the runner you were given; callers group calls in db.unit_of_work()"
    )
    why = (
        "An Operations method that commits on its own cannot share a transaction: two calls made "
        "inside one unit of work would no longer succeed or fail together."
    )
    example = (
        "def add(self, doc: dict[str, Any]) -> None:\n"
        "    txn = self._db.begin_transaction(write=['tags'])\n"
        "    txn.aql.execute(INSERT_TAG, bind_vars={'doc': doc})\n"
        "    txn.commit_transaction()"
    )
    instead = (
        "def add(self, doc: dict[str, Any]) -> None:\n"
        "    self._rows(lambda db: db.aql.execute(INSERT_TAG, bind_vars={'doc': doc}), 'add',\n"
        "               idempotent=False)"
    )

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield a finding per transaction-control call in an Operations class."""
        for site in src.calls:
            cls = site.cls
            func = site.call.func
            if (
                cls is not None
                and cls.name.endswith(_OPERATIONS_SUFFIXES)
                and isinstance(func, ast.Attribute)
                and func.attr in _CONTROL
            ):
                yield self.found(src, site.call, call=f".{func.attr}()", cls=cls.name)
