"""Removal of library files with their library and tag edges and worker claims."""

from __future__ import annotations

from collections.abc import Sequence

from nomarr.helpers.keys import validate_key
from nomarr.helpers.many import many_keys
from nomarr.persistence.database.file_removal_aql import REMOVE_DOOMED_FILES, REMOVED_FILE_COUNTS
from nomarr.persistence.operations_base import BaseOperations, BindVars, DeletionCounts
from nomarr.persistence.schema import FILE_HAS_TAG, LIBRARY_FILES, LIBRARY_HAS_FILE, WORKER_CLAIMS

__all__ = ["LibraryFileRemovalMixin"]

# bind: @@files, @@has_file, @@has_tag, @@claims, folder_key
# -> [{library_files, library_has_file, file_has_tag, worker_claims}] removal counts
RESET_FOLDER = (
    "LET doomed = (FOR f IN @@files FILTER f.folder_key == @folder_key RETURN f)"
    + REMOVE_DOOMED_FILES
    + "RETURN {"
    + REMOVED_FILE_COUNTS
    + "}"
)

# bind: @@files, @@has_file, @@has_tag, @@claims, keys
# -> [{library_files, library_has_file, file_has_tag, worker_claims}] removal counts
DELETE_FILES = (
    "LET doomed = (FOR f IN @@files FILTER f._key IN @keys RETURN f)"
    + REMOVE_DOOMED_FILES
    + "RETURN {"
    + REMOVED_FILE_COUNTS
    + "}"
)


def _removal_bind(**doomed: object) -> BindVars:
    """The collections REMOVE_DOOMED_FILES writes, with what selects the doomed files."""
    return {"@files": LIBRARY_FILES, "@has_file": LIBRARY_HAS_FILE, "@has_tag": FILE_HAS_TAG, "@claims": WORKER_CLAIMS, **doomed}


class LibraryFileRemovalMixin(BaseOperations):
    """The removal methods of :class:`~.operations.LibraryFilesOperations`."""

    def delete_folder_files(self, folder_key: str) -> DeletionCounts:
        """Reset a directory: delete the folder's files with their edges and claims.

        The folder document itself stays. Returns the documents removed per collection.
        """
        bind = _removal_bind(folder_key=validate_key(folder_key, "folder_key"))
        counts: DeletionCounts = self._first(
            lambda db: db.aql.execute(RESET_FOLDER, bind_vars=bind), "delete_folder_files", idempotent=True
        )
        return counts

    def delete_many(self, keys: Sequence[str]) -> DeletionCounts:
        """Delete files with their library and tag edges and claims; missing keys are skipped.

        Returns:
            Documents removed per collection.
        """
        bind = _removal_bind(keys=many_keys(keys, "library_files.delete_many(keys)"))
        counts: DeletionCounts = self._first(
            lambda db: db.aql.execute(DELETE_FILES, bind_vars=bind), "delete_many", idempotent=True
        )
        return counts
