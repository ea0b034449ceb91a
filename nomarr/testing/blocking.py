"""Drive an ``AsyncDatabase`` from sync code, so one test body checks both APIs.

:class:`Blocking` wraps an async object and runs every call on it to completion on a private
event loop: a coroutine's result is returned, an async generator becomes a plain iterator, an
async unit of work becomes a ``with`` block. A test written against ``Database``
(``db.queue.enqueue(...)``, ``for f in db.library_files.iter_for_library(...)``,
``with db.unit_of_work() as uow``) thus runs unchanged against ``AsyncDatabase``, through
python-arango-async. The pytest plugin's ``nomarr_db`` uses it for tests marked
``nomarr_both_apis``.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, TypeVar

from arango.http import HTTPClient

from nomarr.persistence import ConnectionSettings, Database
from nomarr.persistence.aio import AsyncDatabase, AsyncOperations, AsyncUnitOfWork
from nomarr.persistence.aio.bridge import run_sync

__all__ = ["Blocking", "blocking_async_database"]

T = TypeVar("T")


class Blocking:
    """A sync view of an async object (see the module doc).

    Args:
        target: the async object (an ``AsyncDatabase``, a group, a unit of work).
        runner: the event loop runner every call runs on.
        fallback: where attributes the target lacks are looked up (e.g. the sync ``Database``
            for ``export``); private attributes of a group are those of its sync Operations.
    """

    def __init__(self, target: Any, runner: asyncio.Runner, fallback: Any = None) -> None:
        object.__setattr__(self, "_b_target", target)
        object.__setattr__(self, "_b_loop", runner)
        object.__setattr__(self, "_b_fallback", fallback)

    def __getattr__(self, name: str) -> Any:
        target = self._where(name)
        value = getattr(target, name)
        if isinstance(value, AsyncOperations):
            return Blocking(value, self._b_loop)
        if not callable(value) or isinstance(value, type):
            return value
        if target is self._b_target:
            return lambda *args, **kwargs: self._resolve(value(*args, **kwargs))
        if isinstance(self._b_target, AsyncOperations):  # a private helper of the sync group
            return lambda *args, **kwargs: self._run(run_sync(value, *args, **kwargs))
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._where(name), name, value)

    def __enter__(self) -> Blocking:
        entered = self._run(self._b_target.__aenter__())
        return Blocking(entered, self._b_loop)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._run(self._b_target.__aexit__(exc_type, exc, tb))

    def _where(self, name: str) -> Any:
        if isinstance(self._b_target, AsyncOperations) and name.startswith("_"):
            return self._b_target._operations
        if self._b_fallback is not None and not hasattr(self._b_target, name):
            return self._b_fallback
        return self._b_target

    def _resolve(self, result: Any) -> Any:
        if inspect.isawaitable(result):
            result = self._run(result)
        if inspect.isasyncgen(result):
            return self._iterate(result)
        if isinstance(result, AsyncUnitOfWork):
            return Blocking(result, self._b_loop)
        return result

    def _iterate(self, rows: AsyncIterator[T]) -> Iterator[T]:
        end = object()
        try:
            while (row := self._run(anext(rows, end))) is not end:
                yield row  # type: ignore[misc]
        finally:
            self._run(rows.aclose())  # type: ignore[attr-defined]

    def _run(self, awaitable: Awaitable[T]) -> T:
        async def wait() -> T:
            return await awaitable

        result: T = self._b_loop.run(wait())
        return result


@contextmanager
def blocking_async_database(db: Database, settings: ConnectionSettings, transport: HTTPClient | None) -> Iterator[Blocking]:
    """Open the AsyncDatabase on ``db``'s database and yield it as a :class:`Blocking` view.

    Args:
        db: the sync Database (attributes the async one lacks, e.g. ``export``, come from it).
        settings: connection settings of the backend (the database name is ``db``'s).
        transport: the sync transport of the embedded engine, or None for a server.
    """
    with asyncio.Runner() as loop:
        adb = loop.run(AsyncDatabase.open(settings.with_db(db.name), http_client=transport))
        try:
            yield Blocking(adb, loop, fallback=db)
        finally:
            loop.run(adb.close())
