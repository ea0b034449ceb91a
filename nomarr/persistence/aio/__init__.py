"""``AsyncDatabase``: nomarr's persistence for callers in an event loop, on python-arango-async.

::

    async with await AsyncDatabase.open(settings) as db:    # ARANGO_HOST: that server; else arangolite
        report = await db.library_files.upsert_batch(files)
        async for file in db.library_files.iter_for_library(library_key):
            ...

The Operations groups keep the sync names (``db.libraries``, ``db.library_files``, ``db.queue``,
``db.tags``) and run the same query constants, imported from
:mod:`nomarr.persistence.database`. The schema is ensured through the sync driver when the
database opens (DDL is rare and not latency-sensitive). On the embedded engine the async
driver reaches arangolite through :class:`~.transport.AsyncOverSyncHTTPClient`.

The async API covers a subset of the sync one: ``libraries`` (create, get, list, find_by_name,
find_containing), ``library_files`` (upsert_batch, get, get_by_path, get_many,
update_status_many, count_by_status, iter_for_library, iter_by_status), ``queue`` (enqueue,
claim_next, get, complete, fail, delete, count_by_status) and ``tags`` (set_file_tags,
get_file_tags, iter_files_with_tags). No unit of work yet.
"""

from __future__ import annotations

from types import TracebackType

from arango.http import HTTPClient as SyncHTTPClient
from arangoasync import ArangoClient
from arangoasync.auth import Auth
from arangoasync.http import AioHTTPClient

from nomarr.persistence.aio.libraries import AsyncLibrariesOperations
from nomarr.persistence.aio.library_files import AsyncLibraryFilesOperations
from nomarr.persistence.aio.queue import AsyncQueueOperations
from nomarr.persistence.aio.runner import AsyncQueryRunner
from nomarr.persistence.aio.tags import AsyncTagsOperations
from nomarr.persistence.aio.transport import AsyncOverSyncHTTPClient
from nomarr.persistence.arango_client import EMBEDDED_HOST, ConnectionSettings, connect
from nomarr.persistence.arango_client import _embedded_http_client as embedded_http_client
from nomarr.persistence.schema import ensure_schema

__all__ = ["AsyncDatabase", "AsyncOverSyncHTTPClient"]


class AsyncDatabase:
    """Owns an async connection and exposes the async Operations groups.

    Build it with :meth:`open`.
    """

    libraries: AsyncLibrariesOperations
    library_files: AsyncLibraryFilesOperations
    queue: AsyncQueueOperations
    tags: AsyncTagsOperations

    def __init__(self, client: ArangoClient, runner: AsyncQueryRunner, settings: ConnectionSettings) -> None:
        self._client = client
        self.settings = settings
        self.libraries = AsyncLibrariesOperations(runner)
        self.library_files = AsyncLibraryFilesOperations(runner)
        self.queue = AsyncQueueOperations(runner)
        self.tags = AsyncTagsOperations(runner)

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
        client = ArangoClient(hosts=settings.host or EMBEDDED_HOST, http_client=transport)
        handle = await client.db(settings.db_name, auth=Auth(settings.username, settings.password))
        return cls(client, AsyncQueryRunner(handle), settings)

    async def close(self) -> None:
        """Close the client's sessions."""
        await self._client.close()

    async def __aenter__(self) -> AsyncDatabase:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, _tb: TracebackType | None
    ) -> None:
        await self.close()
