"""Async ``db.library_files``: the same queries as the sync class, awaited.

Query texts are imported from :mod:`nomarr.persistence.database.library_files_aql` (each is
defined once); bind variables are built the same way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from nomarr.helpers.dto import LibraryFile, LibraryFileCreate, UpsertReport
from nomarr.helpers.keys import file_key, validate_key
from nomarr.helpers.many import many, many_keys
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.aio.runner import AsyncOperationsBase
from nomarr.persistence.database.library_files_aql.operations import (
    COUNT_BY_STATUS,
    GET_FILE,
    GET_FILES,
    UPDATE_STATUS,
    UPSERT_BATCH,
    UPSERT_BATCH_SIZE,
    _chunks,
    upsert_bind,
)
from nomarr.persistence.database.library_files_aql.streams import (
    ITER_BATCH_SIZE,
    PAGE_OF_FILES_BY_STATUS,
    PAGE_OF_LIBRARY_FILES,
    _by_path,
    by_status_bind,
)
from nomarr.persistence.operations_base import BindVars
from nomarr.persistence.schema import LIBRARY_FILES

__all__ = ["AsyncLibraryFilesOperations"]


class AsyncLibraryFilesOperations(AsyncOperationsBase):
    """Scan ingest, status changes, lookups and streams of library files, awaited."""

    group = LIBRARY_FILES

    async def upsert_batch(self, files: Sequence[LibraryFileCreate], batch_size: int = UPSERT_BATCH_SIZE) -> UpsertReport:
        """Insert or update scanned files and their library edges, one query per batch."""
        report: dict[str, list[str]] = {"new": [], "modified": [], "unchanged": []}
        for chunk in _chunks(many(files, "library_files.upsert_batch(files)"), batch_size):
            for change, keys in (await self._upsert_chunk(chunk)).items():
                report[change].extend(keys)
        return UpsertReport(new_keys=report["new"], modified_keys=report["modified"], unchanged_keys=report["unchanged"])

    async def _upsert_chunk(self, chunk: Sequence[LibraryFileCreate]) -> dict[str, list[str]]:
        bind = upsert_bind(chunk)
        row: dict[str, list[str]] = await self._first(lambda db: db.aql.execute(UPSERT_BATCH, bind_vars=bind), "upsert_batch")
        return row

    async def get(self, key: str) -> LibraryFile:
        """Return the file ``key`` (DocumentNotFoundError when missing)."""
        bind: BindVars = {"@files": LIBRARY_FILES, "key": validate_key(key)}
        row = await self._first(lambda db: db.aql.execute(GET_FILE, bind_vars=bind), "get")
        return LibraryFile.model_validate(self._required(row, "get", key))

    async def get_by_path(self, library_key: str, path: str) -> LibraryFile:
        """Return the file at ``path`` in a library (DocumentNotFoundError when missing)."""
        return await self.get(file_key(library_key, path))

    async def get_many(self, keys: Sequence[str]) -> list[LibraryFile]:
        """Return the files of ``keys`` that exist (in no particular order)."""
        bind: BindVars = {"@files": LIBRARY_FILES, "keys": many_keys(keys, "library_files.get_many(keys)")}
        rows = await self._rows(lambda db: db.aql.execute(GET_FILES, bind_vars=bind), "get_many")
        return [LibraryFile.model_validate(row) for row in rows]

    async def update_status_many(self, keys: Sequence[str], status: str) -> list[LibraryFile]:
        """Set the status of several files; return the files that exist."""
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "keys": many_keys(keys, "library_files.update_status_many(keys)"),
            "status": str(status),
            "now": now_ms(),
        }
        rows = await self._rows(lambda db: db.aql.execute(UPDATE_STATUS, bind_vars=bind), "update_status")
        return [LibraryFile.model_validate(row) for row in rows]

    async def count_by_status(self, library_key: str) -> dict[str, int]:
        """Return the number of files per status in a library."""
        bind: BindVars = {"@files": LIBRARY_FILES, "library_key": validate_key(library_key, "library_key")}
        rows = await self._rows(lambda db: db.aql.execute(COUNT_BY_STATUS, bind_vars=bind), "count_by_status")
        return {row["status"]: row["files"] for row in rows}

    async def iter_for_library(self, library_key: str, batch_size: int = ITER_BATCH_SIZE) -> AsyncIterator[LibraryFile]:
        """Yield every file of a library in path order, one query per batch (keyset)."""
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "library_key": validate_key(library_key, "library_key"),
            "after": "",
            "limit": int(batch_size),
        }
        async for row in self._pages(lambda db: db.aql.execute(PAGE_OF_LIBRARY_FILES, bind_vars=bind, batch_size=bind["limit"]), bind, "iter_for_library", _by_path):
            yield LibraryFile.model_validate(row)

    async def iter_by_status(self, library_key: str, status: str, batch_size: int = ITER_BATCH_SIZE) -> AsyncIterator[LibraryFile]:
        """Yield every file of a library with ``status``, in path order, one query per batch."""
        bind = by_status_bind(library_key, status, batch_size)
        async for row in self._pages(lambda db: db.aql.execute(PAGE_OF_FILES_BY_STATUS, bind_vars=bind, batch_size=bind["limit"]), bind, "iter_by_status", _by_path):
            yield LibraryFile.model_validate(row)
