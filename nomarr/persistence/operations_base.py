"""The base every ``*Operations`` class builds on.

An Operations method does three things: build bind variables, run one named query of its
module through the runner (``self._rows(lambda db: db.aql.execute(QUERY, bind_vars=bind), ...)``),
and turn the rows into DTOs. It never begins, commits or aborts a transaction: whether its query
runs on its own or inside a unit of work depends only on the runner it was given.
"""

from __future__ import annotations

from typing import Any, ClassVar

from nomarr.helpers.errors import DocumentNotFoundError
from nomarr.persistence.query_runner import Execute, QueryRunner

__all__ = ["BaseOperations", "BindVars", "DeletionCounts"]

BindVars = dict[str, Any]
"""Bind variables of one query: ``"name"`` for ``@name``, ``"@coll"`` for ``@@coll``."""

DeletionCounts = dict[str, int]
"""Documents removed, per collection name."""


class BaseOperations:
    """Holds the query runner and names the Operations group in error messages.

    Args:
        runner: executes queries on the plain database or inside a unit of work.
    """

    group: ClassVar[str] = "operations"

    def __init__(self, runner: QueryRunner) -> None:
        self._runner = runner

    def _rows(
        self, execute: Execute, what: str, *, idempotent: bool, conflict_safe: bool = False
    ) -> list[Any]:
        """Run one query and return its rows (see :meth:`QueryRunner.rows`)."""
        return self._runner.rows(
            execute,
            context=f"{self.group}.{what}",
            idempotent=idempotent,
            conflict_safe=conflict_safe,
        )

    def _first(
        self, execute: Execute, what: str, *, idempotent: bool, conflict_safe: bool = False
    ) -> Any:
        """Run one query and return its first row, or None."""
        found = self._rows(execute, what, idempotent=idempotent, conflict_safe=conflict_safe)
        return found[0] if found else None

    def _required(self, row: Any, what: str, key: str) -> Any:
        """Return ``row``, or raise DocumentNotFoundError naming ``key`` when it is None."""
        if row is None:
            raise DocumentNotFoundError(f"{self.group}.{what}: no document with _key {key!r}")
        return row
