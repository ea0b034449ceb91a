"""The async Operations groups: each sync Operations class with its methods awaited.

:func:`async_operations` turns an Operations class (e.g.
:class:`~nomarr.persistence.database.queue_aql.QueueOperations`) into its async twin
(``AsyncQueueOperations``): the same public method names and signatures, where a method that
returns a value becomes a coroutine method and a method that returns an ``Iterator`` (the
``iter_*`` streams) returns an async iterator (arguments checked at the call, as on the sync
side). Each call runs the sync method body unchanged,
on an :class:`~nomarr.persistence.aio.runner.AsyncQueryRunner`, through
:func:`~nomarr.persistence.aio.bridge.run_sync`: one implementation, one set of query constants,
two APIs.
"""

from __future__ import annotations

import collections.abc
import functools
import inspect
import typing
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from nomarr.persistence.aio.bridge import run_sync
from nomarr.persistence.bound_operations import BoundOperations
from nomarr.persistence.database.file_problems_aql import FileProblemsOperations
from nomarr.persistence.database.file_search_aql import FileSearchOperations
from nomarr.persistence.database.health_aql import HealthOperations
from nomarr.persistence.database.housekeeping_aql import HousekeepingOperations
from nomarr.persistence.database.libraries_aql import LibrariesOperations
from nomarr.persistence.database.library_files_aql import LibraryFilesOperations
from nomarr.persistence.database.library_folders_aql import LibraryFoldersOperations
from nomarr.persistence.database.library_stats_aql import LibraryStatsOperations
from nomarr.persistence.database.locks_aql import LocksOperations
from nomarr.persistence.database.meta_aql import MetaOperations
from nomarr.persistence.database.queue_aql import QueueOperations
from nomarr.persistence.database.scan_runs_aql import ScanRunsOperations
from nomarr.persistence.database.tags_aql import TagsOperations
from nomarr.persistence.database.worker_claims_aql import WorkerClaimsOperations
from nomarr.persistence.progress_buffer import ProgressBuffer
from nomarr.persistence.query_runner import QueryRunner

__all__ = ["AsyncBoundOperations", "AsyncOperations", "async_operations", "is_stream"]

OpsT = TypeVar("OpsT")

_END = object()


class AsyncOperations(Generic[OpsT]):
    """The async face of one Operations object (see :func:`async_operations`).

    Args:
        operations: the sync Operations object whose methods run; its runner must be an
            :class:`~nomarr.persistence.aio.runner.AsyncQueryRunner`.
    """

    sync_class: typing.ClassVar[type]

    def __init__(self, operations: OpsT) -> None:
        self._operations = operations

    if TYPE_CHECKING:  # the generated methods: same names as the sync class, awaited

        def __getattr__(self, name: str) -> Any: ...


def is_stream(fn: Callable[..., Any]) -> bool:
    """True when ``fn`` is declared to return an ``Iterator`` (an ``iter_*`` stream)."""
    returns = typing.get_type_hints(fn).get("return")
    return typing.get_origin(returns) is collections.abc.Iterator


def _coroutine(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    async def method(self: AsyncOperations[Any], *args: Any, **kwargs: Any) -> Any:
        return await run_sync(fn, self._operations, *args, **kwargs)

    return method


def _async_iterator(fn: Callable[..., Iterator[Any]]) -> Callable[..., AsyncIterator[Any]]:
    @functools.wraps(fn)
    def method(self: AsyncOperations[Any], *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        # Calling the sync method checks the arguments at once and runs no query (its
        # generator is lazy), as on the sync side; each row is then pulled on the event loop.
        return _pull(fn(self._operations, *args, **kwargs))

    return method


async def _pull(rows: Iterator[Any]) -> AsyncIterator[Any]:
    try:
        while (row := await run_sync(next, rows, _END)) is not _END:
            yield row
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


_TWINS: dict[type, type] = {}


def async_operations(cls: type[OpsT]) -> type[AsyncOperations[OpsT]]:
    """Return the async twin of the Operations class ``cls`` (built once per class)."""
    if cls not in _TWINS:
        _TWINS[cls] = _twin(cls)
    twin: type[AsyncOperations[OpsT]] = _TWINS[cls]
    return twin


def _twin(cls: type) -> type:
    namespace: dict[str, Any] = {
        "__doc__": f"The methods of :class:`{cls.__module__}.{cls.__name__}`, awaited.",
        "__module__": __name__,
        "sync_class": cls,
    }
    for name, fn in inspect.getmembers(cls, inspect.isfunction):
        if not name.startswith("_"):
            namespace[name] = _async_iterator(fn) if is_stream(fn) else _coroutine(fn)
    return type(f"Async{cls.__name__}", (AsyncOperations,), namespace)


class AsyncBoundOperations:
    """One async Operations group per collection, as :class:`BoundOperations` has sync ones.

    ``AsyncDatabase`` and each ``AsyncUnitOfWork`` expose them; the attributes and their
    methods are those of :class:`~nomarr.persistence.bound_operations.BoundOperations`.
    """

    libraries: AsyncOperations[LibrariesOperations]
    library_folders: AsyncOperations[LibraryFoldersOperations]
    library_files: AsyncOperations[LibraryFilesOperations]
    queue: AsyncOperations[QueueOperations]
    worker_claims: AsyncOperations[WorkerClaimsOperations]
    tags: AsyncOperations[TagsOperations]
    health: AsyncOperations[HealthOperations]
    locks: AsyncOperations[LocksOperations]
    meta: AsyncOperations[MetaOperations]
    stats: AsyncOperations[LibraryStatsOperations]
    file_problems: AsyncOperations[FileProblemsOperations]
    file_search: AsyncOperations[FileSearchOperations]
    housekeeping: AsyncOperations[HousekeepingOperations]
    scan_runs: AsyncOperations[ScanRunsOperations]

    def _bind_operations(self, runner: QueryRunner, progress: ProgressBuffer) -> None:
        sync = BoundOperations()
        sync._bind_operations(runner, progress)
        for attr in typing.get_type_hints(BoundOperations):
            operations = getattr(sync, attr)
            setattr(self, attr, async_operations(type(operations))(operations))
