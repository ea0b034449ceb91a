"""Status changes of library files: one status for several files, or each file its own."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from nomarr.helpers.dto import LibraryFile
from nomarr.helpers.keys import validate_key
from nomarr.helpers.many import many_keys, many_mapping
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.operations_base import BaseOperations, BindVars
from nomarr.persistence.schema import LIBRARY_FILES

__all__ = ["LibraryFileStatusMixin"]

# bind: @@files, keys, status, now -> [LibraryFile] of the files updated
UPDATE_STATUS = """
FOR f IN @@files
  FILTER f._key IN @keys
  UPDATE f WITH { status: @status, updated_at: @now } IN @@files
  RETURN NEW
"""

# bind: @@files, items: [{_key, status}], now -> [LibraryFile] of the files updated
UPDATE_STATUSES = """
FOR item IN @items
  FOR f IN @@files
    FILTER f._key == item._key
    UPDATE f WITH { status: item.status, updated_at: @now } IN @@files
    RETURN NEW
"""


class LibraryFileStatusMixin(BaseOperations):
    """The status methods of :class:`~.operations.LibraryFilesOperations`."""

    def update_status(self, key: str, status: str) -> LibraryFile:
        """Set the status of one file and return it.

        Raises:
            DocumentNotFoundError: no such file.
        """
        updated = self.update_status_many([key], status)
        return self._required(updated[0] if updated else None, "update_status", key)  # type: ignore[no-any-return]

    def update_status_many(self, keys: Sequence[str], status: str) -> list[LibraryFile]:
        """Set the status of several files; return the files that exist (missing keys skipped)."""
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "keys": many_keys(keys, "library_files.update_status_many(keys)"),
            "status": str(status),
            "now": now_ms(),
        }
        rows = self._rows(lambda db: db.aql.execute(UPDATE_STATUS, bind_vars=bind), "update_status", idempotent=True)
        return [LibraryFile.model_validate(row) for row in rows]

    def update_statuses(self, statuses: Mapping[str, str]) -> list[LibraryFile]:
        """Set each file's own status (``{key: status}``) in one query; return the files updated.

        Missing keys are skipped.
        """
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "items": [{"_key": validate_key(key), "status": str(status)} for key, status in many_mapping(statuses, "library_files.update_statuses(statuses)").items()],
            "now": now_ms(),
        }
        rows = self._rows(lambda db: db.aql.execute(UPDATE_STATUSES, bind_vars=bind), "update_statuses", idempotent=True)
        return [LibraryFile.model_validate(row) for row in rows]
