"""Lookups of library files: by key, path and status, offset pages, counts per status."""

from __future__ import annotations

from collections.abc import Sequence

from nomarr.helpers.dto import FileStatus, LibraryFile
from nomarr.helpers.keys import file_key, validate_key
from nomarr.helpers.many import many_keys
from nomarr.persistence.operations_base import BaseOperations, BindVars
from nomarr.persistence.schema import LIBRARY_FILES, WORKER_CLAIMS

__all__ = ["LibraryFileLookupsMixin"]

# bind: @@files, key -> [LibraryFile] or []
GET_FILE = """
FOR f IN @@files
  FILTER f._key == @key
  RETURN f
"""

# bind: @@files, keys -> [LibraryFile] of the keys that exist
GET_FILES = """
FOR f IN @@files
  FILTER f._key IN @keys
  RETURN f
"""

# bind: @@files, library_key, status, limit -> [LibraryFile]
GET_FILES_BY_STATUS = """
FOR f IN @@files
  FILTER f.library_key == @library_key AND f.status == @status
  LIMIT @limit
  RETURN f
"""

# bind: @@files, @@claims, library_key, status, limit -> [LibraryFile] without a worker claim
GET_UNCLAIMED_FILES_BY_STATUS = """
FOR f IN @@files
  FILTER f.library_key == @library_key AND f.status == @status
  LET claimed = (FOR c IN @@claims FILTER c._key == f._key LIMIT 1 RETURN true)
  FILTER LENGTH(claimed) == 0
  LIMIT @limit
  RETURN f
"""

# bind: @@files, library_key, offset, limit -> [LibraryFile] ordered by path
LIST_FILES = """
FOR f IN @@files
  FILTER f.library_key == @library_key
  SORT f.path
  LIMIT @offset, @limit
  RETURN f
"""

# bind: @@files, library_key -> [{status, files}]
COUNT_BY_STATUS = """
FOR f IN @@files
  FILTER f.library_key == @library_key
  COLLECT status = f.status WITH COUNT INTO files
  RETURN { status, files }
"""


class LibraryFileLookupsMixin(BaseOperations):
    """The read methods of :class:`~.operations.LibraryFilesOperations`."""

    def get(self, key: str) -> LibraryFile:
        """Return the file ``key``.

        Raises:
            DocumentNotFoundError: no such file.
        """
        bind: BindVars = {"@files": LIBRARY_FILES, "key": validate_key(key)}
        row = self._first(lambda db: db.aql.execute(GET_FILE, bind_vars=bind), "get", idempotent=True)
        return LibraryFile.model_validate(self._required(row, "get", key))

    def get_many(self, keys: Sequence[str]) -> list[LibraryFile]:
        """Return the files of ``keys`` that exist (in no particular order)."""
        bind: BindVars = {"@files": LIBRARY_FILES, "keys": many_keys(keys, "library_files.get_many(keys)")}
        rows = self._rows(lambda db: db.aql.execute(GET_FILES, bind_vars=bind), "get_many", idempotent=True)
        return [LibraryFile.model_validate(row) for row in rows]

    def get_by_path(self, library_key: str, path: str) -> LibraryFile:
        """Return the file at ``path`` in a library.

        Raises:
            DocumentNotFoundError: no such file.
        """
        return self.get(file_key(library_key, path))

    def get_pending_files(
        self, library_key: str, limit: int = 100, *, unclaimed_only: bool = False
    ) -> list[LibraryFile]:
        """Return up to ``limit`` files of a library with status ``pending``.

        Args:
            library_key: the library.
            limit: maximum number of files.
            unclaimed_only: leave out files a worker has claimed.
        """
        return self.get_files_by_status(library_key, FileStatus.PENDING, limit, unclaimed_only=unclaimed_only)

    def get_files_by_status(
        self, library_key: str, status: str, limit: int = 100, *, unclaimed_only: bool = False
    ) -> list[LibraryFile]:
        """Return up to ``limit`` files of a library with the given status."""
        if unclaimed_only:
            return self._unclaimed_by_status(library_key, status, limit)
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "library_key": validate_key(library_key, "library_key"),
            "status": str(status),
            "limit": int(limit),
        }
        rows = self._rows(lambda db: db.aql.execute(GET_FILES_BY_STATUS, bind_vars=bind), "get_files_by_status", idempotent=True)
        return [LibraryFile.model_validate(row) for row in rows]

    def _unclaimed_by_status(self, library_key: str, status: str, limit: int) -> list[LibraryFile]:
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "@claims": WORKER_CLAIMS,
            "library_key": validate_key(library_key, "library_key"),
            "status": str(status),
            "limit": int(limit),
        }
        rows = self._rows(lambda db: db.aql.execute(GET_UNCLAIMED_FILES_BY_STATUS, bind_vars=bind), "get_files_by_status", idempotent=True)
        return [LibraryFile.model_validate(row) for row in rows]

    def list_for_library(self, library_key: str, limit: int = 100, offset: int = 0) -> list[LibraryFile]:
        """Return a page of a library's files ordered by path."""
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "library_key": validate_key(library_key, "library_key"),
            "offset": int(offset),
            "limit": int(limit),
        }
        rows = self._rows(lambda db: db.aql.execute(LIST_FILES, bind_vars=bind), "list_for_library", idempotent=True)
        return [LibraryFile.model_validate(row) for row in rows]

    def count_by_status(self, library_key: str) -> dict[str, int]:
        """Return the number of files per status in a library."""
        bind: BindVars = {"@files": LIBRARY_FILES, "library_key": validate_key(library_key, "library_key")}
        rows = self._rows(lambda db: db.aql.execute(COUNT_BY_STATUS, bind_vars=bind), "count_by_status", idempotent=True)
        return {row["status"]: row["files"] for row in rows}
