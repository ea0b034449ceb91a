"""The base every ``*Operations`` class builds on.

An Operations method does three things: build bind variables, run one named query of its
module through the runner (``self._rows(lambda db: db.aql.execute(QUERY, bind_vars=bind), ...)``),
and turn the rows into DTOs. It never begins, commits or aborts a transaction: whether its query
runs on its own or inside a unit of work depends only on the runner it was given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from nomarr.helpers.errors import DocumentNotFoundError
from nomarr.persistence.query_runner import Execute, QueryRunner

__all__ = ["ITER_BATCH_SIZE", "BaseOperations", "BindVars", "DeletionCounts", "by_key"]

ITER_BATCH_SIZE = 1000
"""Rows per query of the ``iter_*`` streams unless the caller gives ``batch_size``."""

BindVars = dict[str, Any]
"""Bind variables of one query: ``"name"`` for ``@name``, ``"@coll"`` for ``@@coll``."""

DeletionCounts = dict[str, int]
"""Documents removed, per collection name."""


def by_key(row: Any) -> Any:
    """The keyset cursor of a page ordered by ``_key``: the last row's ``_key``."""
    return row["_key"]


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

    def _pages(
        self, execute: Execute, bind: BindVars, what: str, after: Callable[[Any], Any] = by_key
    ) -> Iterator[Any]:
        """Yield the rows of a keyset-paginated query, one query per page.

        The query takes ``@after`` (rows strictly after this sort value) and ``@limit`` and
        returns rows in that sort order; ``execute`` must read both from ``bind``, which this
        method updates between pages with ``after(last row)``. ``bind["limit"]`` is the batch
        size; each query asks for one row more, so a stream of N rows takes ceil(N / batch)
        queries (no empty last page). ``execute`` passes ``batch_size=bind["limit"]`` so that a
        page comes back in one response (one request per page). Memory holds one page. Each page is retried on its own when transient
        failures allow, so a stream resumes where it was.

        Raises:
            ValueError: ``bind["limit"]`` is not positive.
        """
        batch = int(bind["limit"])
        if batch < 1:
            raise ValueError(f"{self.group}.{what}: batch_size must be positive, got {batch}")
        bind["limit"] = batch + 1  # one row more than a batch tells whether another page exists
        while True:
            rows = self._rows(execute, what, idempotent=True)
            yield from rows[:batch]
            if len(rows) <= batch:
                return
            bind["after"] = after(rows[batch - 1])
