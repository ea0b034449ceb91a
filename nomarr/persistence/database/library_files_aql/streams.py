"""Streams of library files: keyset pagination on an index whose last field is ``path``.

Each page starts after the last path seen (``f.path > @after``, sorted by path, ``LIMIT
@limit``), so a stream holds one page in memory, costs one query per page, reads each page
through the index from where the last one ended, and survives writes between pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nomarr.helpers.dto import LibraryFile
from nomarr.helpers.keys import validate_key
from nomarr.persistence.operations_base import ITER_BATCH_SIZE, BaseOperations, BindVars
from nomarr.persistence.schema import LIBRARY_FILES

__all__ = ["ITER_BATCH_SIZE", "LibraryFileStreamsMixin"]


# bind: @@files, library_key, after, limit -> [LibraryFile] with path > after, in path order
PAGE_OF_LIBRARY_FILES = """
FOR f IN @@files
  FILTER f.library_key == @library_key AND f.path > @after
  SORT f.path
  LIMIT @limit
  RETURN f
"""

# bind: @@files, library_key, status, after, limit -> [LibraryFile] with path > after, in path order
PAGE_OF_FILES_BY_STATUS = """
FOR f IN @@files
  FILTER f.library_key == @library_key AND f.status == @status AND f.path > @after
  SORT f.path
  LIMIT @limit
  RETURN f
"""

# bind: @@files, folder_key, after, limit -> [LibraryFile] of the folder with path > after, in path order
PAGE_OF_FOLDER_FILES = """
FOR f IN @@files
  FILTER f.folder_key == @folder_key AND f.path > @after
  SORT f.path
  LIMIT @limit
  RETURN f
"""


class LibraryFileStreamsMixin(BaseOperations):
    """The ``iter_*`` methods of :class:`LibraryFilesOperations`."""

    def iter_for_library(self, library_key: str, batch_size: int = ITER_BATCH_SIZE) -> Iterator[LibraryFile]:
        """Yield every file of a library in path order, ``batch_size`` per query.

        Keyset pagination on the ``(library_key, path)`` index: each query starts after the
        last path seen, so memory holds one batch and the cost per batch stays flat however
        deep into the library the stream is.
        """
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "library_key": validate_key(library_key, "library_key"),
            "after": "",
            "limit": int(batch_size),
        }
        rows = self._pages(lambda db: db.aql.execute(PAGE_OF_LIBRARY_FILES, bind_vars=bind, batch_size=bind["limit"]), bind, "iter_for_library", _by_path)
        return (LibraryFile.model_validate(row) for row in rows)

    def iter_by_status(self, library_key: str, status: str, batch_size: int = ITER_BATCH_SIZE) -> Iterator[LibraryFile]:
        """Yield every file of a library with ``status``, in path order, ``batch_size`` per query."""
        bind = by_status_bind(library_key, status, batch_size)
        rows = self._pages(lambda db: db.aql.execute(PAGE_OF_FILES_BY_STATUS, bind_vars=bind, batch_size=bind["limit"]), bind, "iter_by_status", _by_path)
        return (LibraryFile.model_validate(row) for row in rows)

    def iter_folder_files(self, folder_key: str, batch_size: int = ITER_BATCH_SIZE) -> Iterator[LibraryFile]:
        """Yield the files of one folder (not of its subfolders), in path order."""
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "folder_key": validate_key(folder_key, "folder_key"),
            "after": "",
            "limit": int(batch_size),
        }
        rows = self._pages(lambda db: db.aql.execute(PAGE_OF_FOLDER_FILES, bind_vars=bind, batch_size=bind["limit"]), bind, "iter_folder_files", _by_path)
        return (LibraryFile.model_validate(row) for row in rows)


def _by_path(row: Any) -> Any:
    return row["path"]


def by_status_bind(library_key: str, status: str, batch_size: int) -> BindVars:
    """Bind variables of the first page of :data:`PAGE_OF_FILES_BY_STATUS`."""
    return {
        "@files": LIBRARY_FILES,
        "library_key": validate_key(library_key, "library_key"),
        "status": str(status),
        "after": "",
        "limit": int(batch_size),
    }
