"""Async ``db.tags``: the queries of :mod:`nomarr.persistence.database.tags_aql`, awaited."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from nomarr.helpers.dto import LibraryFile, Tag, TagValue
from nomarr.helpers.keys import make_id, validate_key
from nomarr.persistence.aio.runner import AsyncOperationsBase
from nomarr.persistence.database.tags_aql import (
    ADD_FILE_TAGS,
    GET_FILE_TAGS,
    ITER_BATCH_SIZE,
    PAGE_OF_FILES_WITH_TAGS,
    _by_id,
    file_tags_bind,
    files_with_tags_bind,
)
from nomarr.persistence.operations_base import BindVars
from nomarr.persistence.schema import FILE_HAS_TAG, LIBRARY_FILES, TAGS

__all__ = ["AsyncTagsOperations"]


class AsyncTagsOperations(AsyncOperationsBase):
    """Tags, and which files carry them, awaited."""

    group = TAGS

    async def set_file_tags(self, file_key: str, tags: Sequence[TagValue]) -> int:
        """Add ``tags`` to a file; return links written (DocumentNotFoundError: no such file)."""
        file_key = validate_key(file_key, "file_key")
        bind = file_tags_bind(file_key, tags)
        row = await self._first(lambda db: db.aql.execute(ADD_FILE_TAGS, bind_vars=bind), "set_file_tags")
        if not row["file_found"]:
            self._required(None, "set_file_tags", file_key)
        return int(row["linked"])

    async def get_file_tags(self, file_key: str) -> list[Tag]:
        """Return a file's tags ordered by name and value."""
        bind: BindVars = {"@has_tag": FILE_HAS_TAG, "@tags": TAGS, "file_id": make_id(LIBRARY_FILES, file_key)}
        rows = await self._rows(lambda db: db.aql.execute(GET_FILE_TAGS, bind_vars=bind), "get_file_tags")
        return [Tag.model_validate(row) for row in rows]

    async def iter_files_with_tags(self, tags: Sequence[TagValue], batch_size: int = ITER_BATCH_SIZE) -> AsyncIterator[LibraryFile]:
        """Yield every file carrying all of ``tags``, in ``_id`` order, one query per batch."""
        bind = files_with_tags_bind(tags, batch_size)
        async for row in self._pages(lambda db: db.aql.execute(PAGE_OF_FILES_WITH_TAGS, bind_vars=bind, batch_size=bind["limit"]), bind, "iter_files_with_tags", _by_id):
            yield LibraryFile.model_validate(row)
