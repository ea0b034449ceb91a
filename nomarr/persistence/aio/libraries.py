"""Async ``db.libraries``: the queries of :mod:`nomarr.persistence.database.libraries_aql`, awaited."""

from __future__ import annotations

from nomarr.helpers.dto import Library, LibraryCreate
from nomarr.helpers.keys import new_key, validate_key
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.aio.runner import AsyncOperationsBase
from nomarr.persistence.database.libraries_aql import (
    FIND_LIBRARY_BY_NAME,
    FIND_LIBRARY_CONTAINING,
    GET_LIBRARY,
    INSERT_LIBRARY,
    LIST_LIBRARIES,
)
from nomarr.persistence.operations_base import BindVars
from nomarr.persistence.schema import LIBRARIES

__all__ = ["AsyncLibrariesOperations"]


class AsyncLibrariesOperations(AsyncOperationsBase):
    """Create and read libraries, awaited."""

    group = LIBRARIES

    async def create(self, library: LibraryCreate, key: str | None = None) -> Library:
        """Store a new library and return it."""
        now = now_ms()
        doc = {**library.model_dump(), "_key": new_key() if key is None else validate_key(key), "created_at": now, "updated_at": now}
        bind: BindVars = {"@libraries": LIBRARIES, "doc": doc}
        return Library.model_validate(await self._first(lambda db: db.aql.execute(INSERT_LIBRARY, bind_vars=bind), "create"))

    async def get(self, key: str) -> Library:
        """Return the library ``key`` (DocumentNotFoundError when missing)."""
        bind: BindVars = {"@libraries": LIBRARIES, "key": validate_key(key)}
        row = await self._first(lambda db: db.aql.execute(GET_LIBRARY, bind_vars=bind), "get")
        return Library.model_validate(self._required(row, "get", key))

    async def list(self) -> list[Library]:
        """Return every library, ordered by name."""
        bind: BindVars = {"@libraries": LIBRARIES}
        rows = await self._rows(lambda db: db.aql.execute(LIST_LIBRARIES, bind_vars=bind), "list")
        return [Library.model_validate(row) for row in rows]

    async def find_by_name(self, name: str) -> Library | None:
        """Return the library called ``name``, or None."""
        bind: BindVars = {"@libraries": LIBRARIES, "name": str(name)}
        row = await self._first(lambda db: db.aql.execute(FIND_LIBRARY_BY_NAME, bind_vars=bind), "find_by_name")
        return None if row is None else Library.model_validate(row)

    async def find_containing(self, path: str) -> Library | None:
        """Return the innermost library whose root is ``path`` or holds it, or None."""
        bind: BindVars = {"@libraries": LIBRARIES, "path": str(path)}
        row = await self._first(lambda db: db.aql.execute(FIND_LIBRARY_CONTAINING, bind_vars=bind), "find_containing")
        return None if row is None else Library.model_validate(row)
