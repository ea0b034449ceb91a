"""``LibraryFilesOperations``: the ``db.library_files`` group, assembled from one module per job.

Queries on ``library_files`` and the ``library_has_file`` edges that link them to libraries:
:mod:`.ingest` (batched upserts), :mod:`.lookups` (reads and counts), :mod:`.status` (status
changes), :mod:`.moves` (renames), :mod:`.removal` (deletes) and :mod:`.streams` (keyset
``iter_*`` streams). Each module holds its queries and the methods that run them.
"""

from __future__ import annotations

from nomarr.persistence.database.library_files_aql.ingest import (
    UPSERT_BATCH_SIZE,
    LibraryFileIngestMixin,
)
from nomarr.persistence.database.library_files_aql.moves import LibraryFileMovesMixin
from nomarr.persistence.database.library_files_aql.status import LibraryFileStatusMixin
from nomarr.persistence.database.library_files_aql.streams import LibraryFileStreamsMixin
from nomarr.persistence.schema import LIBRARY_FILES

__all__ = ["UPSERT_BATCH_SIZE", "LibraryFilesOperations"]


class LibraryFilesOperations(
    LibraryFileIngestMixin, LibraryFileStatusMixin, LibraryFileMovesMixin, LibraryFileStreamsMixin
):
    """Scan ingest, status tracking, moves, removal, streams and lookups of library files."""

    group = LIBRARY_FILES
