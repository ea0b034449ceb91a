"""Queries on ``library_folders``: folders of a library, keyed by library and path."""

from __future__ import annotations

from nomarr.helpers.dto import LibraryFolder
from nomarr.helpers.keys import folder_key, validate_key
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.database.file_removal_aql import REMOVE_DOOMED_FILES, REMOVED_FILE_COUNTS
from nomarr.persistence.operations_base import BaseOperations, BindVars, DeletionCounts
from nomarr.persistence.schema import (
    FILE_HAS_TAG,
    LIBRARY_FILES,
    LIBRARY_FOLDERS,
    LIBRARY_HAS_FILE,
    WORKER_CLAIMS,
)

__all__ = ["LibraryFoldersOperations"]

# bind: @@folders, key, library_key, path, now -> [LibraryFolder]
UPSERT_FOLDER = """
UPSERT { _key: @key }
INSERT { _key: @key, library_key: @library_key, path: @path, created_at: @now, updated_at: @now }
UPDATE { updated_at: @now }
IN @@folders
RETURN NEW
"""

# bind: @@folders, key -> [LibraryFolder] or []
GET_FOLDER = """
FOR folder IN @@folders
  FILTER folder._key == @key
  RETURN folder
"""

# bind: @@folders, library_key -> [LibraryFolder] ordered by path
LIST_FOLDERS = """
FOR folder IN @@folders
  FILTER folder.library_key == @library_key
  SORT folder.path
  RETURN folder
"""

# bind: @@folders, @@files, @@has_file, @@has_tag, @@claims, key
# -> [{library_folders, library_files, library_has_file, file_has_tag, worker_claims}] counts
DELETE_FOLDER = (
    "LET found = (FOR folder IN @@folders FILTER folder._key == @key RETURN folder._key)\n"
    "LET doomed = (FOR f IN @@files FILTER LENGTH(found) > 0 AND f.folder_key == @key RETURN f)"
    + REMOVE_DOOMED_FILES
    + "LET folders = (FOR k IN found REMOVE { _key: k } IN @@folders RETURN 1)\n"
    + "RETURN { library_folders: LENGTH(folders),"
    + REMOVED_FILE_COUNTS
    + "}"
)


class LibraryFoldersOperations(BaseOperations):
    """Record, read, list and delete the folders of libraries."""

    group = LIBRARY_FOLDERS

    def upsert(self, library_key: str, path: str) -> LibraryFolder:
        """Record the folder ``path`` of a library (idempotent) and return it."""
        now = now_ms()
        bind: BindVars = {
            "@folders": LIBRARY_FOLDERS,
            "key": folder_key(library_key, path),
            "library_key": library_key,
            "path": path,
            "now": now,
        }
        row = self._first(lambda db: db.aql.execute(UPSERT_FOLDER, bind_vars=bind), "upsert", idempotent=True)
        return LibraryFolder.model_validate(row)

    def get(self, key: str) -> LibraryFolder:
        """Return the folder ``key``.

        Raises:
            DocumentNotFoundError: no such folder.
        """
        bind: BindVars = {"@folders": LIBRARY_FOLDERS, "key": validate_key(key)}
        row = self._first(lambda db: db.aql.execute(GET_FOLDER, bind_vars=bind), "get", idempotent=True)
        return LibraryFolder.model_validate(self._required(row, "get", key))

    def list_for_library(self, library_key: str) -> list[LibraryFolder]:
        """Return the folders of a library, ordered by path."""
        bind: BindVars = {"@folders": LIBRARY_FOLDERS, "library_key": validate_key(library_key, "library_key")}
        rows = self._rows(lambda db: db.aql.execute(LIST_FOLDERS, bind_vars=bind), "list_for_library", idempotent=True)
        return [LibraryFolder.model_validate(row) for row in rows]

    def delete(self, key: str) -> DeletionCounts:
        """Delete a folder with its files, their edges and claims.

        Raises:
            DocumentNotFoundError: no such folder (nothing is removed).
        """
        bind: BindVars = {
            "@folders": LIBRARY_FOLDERS,
            "@files": LIBRARY_FILES,
            "@has_file": LIBRARY_HAS_FILE,
            "@has_tag": FILE_HAS_TAG,
            "@claims": WORKER_CLAIMS,
            "key": validate_key(key),
        }
        counts: DeletionCounts = self._first(
            lambda db: db.aql.execute(DELETE_FOLDER, bind_vars=bind), "delete", idempotent=True
        )
        if not counts["library_folders"]:
            self._required(None, "delete", key)
        return counts
