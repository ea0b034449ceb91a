"""Queries on ``library_files`` and the ``library_has_file`` edges (a package: ingest and
lookups in :mod:`.operations`, keyset streams in :mod:`.streams`)."""

from nomarr.persistence.database.library_files_aql.operations import (
    UPSERT_BATCH_SIZE,
    LibraryFilesOperations,
)
from nomarr.persistence.database.library_files_aql.streams import ITER_BATCH_SIZE

__all__ = ["ITER_BATCH_SIZE", "UPSERT_BATCH_SIZE", "LibraryFilesOperations"]
