"""``AsyncDatabase``: nomarr's persistence for callers in an event loop, on python-arango-async.

::

    async with await AsyncDatabase.open(settings) as db:    # ARANGO_HOST: that server; else arangolite
        report = await db.library_files.upsert_batch(files)
        async for file in db.library_files.iter_for_library(library_key):
            ...

Every Operations group of ``Database`` is here under the same name (``db.libraries``,
``db.library_files``, ``db.queue``, ``db.tags``, ``db.scan_runs``, ...), with the same method
names and signatures: methods are awaited, ``iter_*`` streams return async iterators. They run the
sync Operations' own method bodies and query constants through
:mod:`~nomarr.persistence.aio.bridge` on python-arango-async (see
:mod:`~nomarr.persistence.aio.operations`), so each query is defined once. ``unit_of_work``
returns an :class:`~nomarr.persistence.aio.unit_of_work.AsyncUnitOfWork` (``async with``).
Transient failures are retried with the connection's retry policy, as on the sync side.

The schema is ensured through the sync driver when the database opens (DDL is rare and not
latency-sensitive). On the embedded engine the async driver reaches arangolite through
:class:`~.transport.AsyncOverSyncHTTPClient`. The groups are typed as
``AsyncOperations[<sync Operations class>]``: the method names and parameters are checked by the
test suite against the store protocols, not by mypy (a type checker cannot derive an awaited
signature from a sync one).
"""

from __future__ import annotations

from types import TracebackType

from arango.http import HTTPClient as SyncHTTPClient
from arangoasync import ArangoClient
from arangoasync.auth import Auth
from arangoasync.http import AioHTTPClient

from nomarr.persistence.aio.operations import AsyncBoundOperations, AsyncOperations
from nomarr.persistence.aio.runner import AsyncQueryRunner
from nomarr.persistence.aio.transport import AsyncOverSyncHTTPClient, StrictJsonSerializer
from nomarr.persistence.aio.unit_of_work import AsyncUnitOfWork
from nomarr.persistence.arango_client import EMBEDDED_HOST, ConnectionSettings, connect
from nomarr.persistence.arango_client import _embedded_http_client as embedded_http_client
from nomarr.persistence.progress_buffer import ProgressBuffer
from nomarr.persistence.schema import ensure_schema
from nomarr.persistence.transaction_scope import OpensUnitsOfWork

__all__ = ["AsyncDatabase", "AsyncOperations", "AsyncOverSyncHTTPClient", "AsyncUnitOfWork"]


class AsyncDatabase(AsyncBoundOperations, OpensUnitsOfWork[AsyncUnitOfWork]):
    """Owns an async connection and exposes every Operations group, awaited.

    Build it with :meth:`open`.
    """

    unit_of_work_class = AsyncUnitOfWork

    def __init__(self, client: ArangoClient, runner: AsyncQueryRunner, settings: ConnectionSettings) -> None:
        self._client = client
        self._progress = ProgressBuffer()
        self._runner = runner
        self.settings = settings
        self._bind_operations(runner, self._progress)

    @property
    def name(self) -> str:
        """The ArangoDB database name."""
        return self.settings.db_name

    async def rebuild(self) -> int:
        """Recompute all derived data (library statistics); return libraries recomputed."""
        recomputed: int = await self.stats.rebuild()
        return recomputed

    @classmethod
    async def open(
        cls, settings: ConnectionSettings | None = None, *, http_client: SyncHTTPClient | None = None
    ) -> AsyncDatabase:
        """Connect (settings default to the environment), ensure the schema, return the database.

        Args:
            settings: connection settings; no host means the embedded engine.
            http_client: a python-arango transport to reach the engine through (e.g. one shared
                with a sync ``Database``); default: arangolite for the embedded engine, aiohttp
                for a server.
        """
        settings = settings or ConnectionSettings.from_env()
        if http_client is None and settings.embedded:
            http_client = embedded_http_client(settings.data_dir)
        sync = connect(settings, http_client)
        try:
            ensure_schema(sync.db)
        finally:
            sync.close()
        transport = AioHTTPClient() if http_client is None else AsyncOverSyncHTTPClient(http_client)
        client = ArangoClient(hosts=settings.host or EMBEDDED_HOST, http_client=transport, serializer=StrictJsonSerializer())
        handle = await client.db(settings.db_name, auth=Auth(settings.username, settings.password))
        return cls(client, AsyncQueryRunner(handle, settings.retry), settings)

    async def close(self) -> None:
        """Close the client's sessions."""
        await self._client.close()

    async def __aenter__(self) -> AsyncDatabase:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, _tb: TracebackType | None
    ) -> None:
        await self.close()
