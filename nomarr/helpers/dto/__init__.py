"""The DTOs persistence returns, one module per document kind.

See :mod:`nomarr.helpers.dto.base` for how ``_key``/``_id``/``_rev`` are mapped.
"""

from nomarr.helpers.dto.base import ArangoDocument, EdgeDocument, NomarrModel
from nomarr.helpers.dto.claims import WorkerClaim
from nomarr.helpers.dto.files import FileStatus, LibraryFile, LibraryFileCreate, UpsertReport
from nomarr.helpers.dto.health import Heartbeat
from nomarr.helpers.dto.library import Library, LibraryCreate, LibraryFolder, LibraryUpdate
from nomarr.helpers.dto.locks import Lock
from nomarr.helpers.dto.meta import MetaEntry
from nomarr.helpers.dto.queue import FINISHED_JOB_STATUSES, JobStatus, QueueJob
from nomarr.helpers.dto.scan_runs import ScanOutcome, ScanRun
from nomarr.helpers.dto.stats import LibraryStats
from nomarr.helpers.dto.tags import Tag, TagCount, TagValue

__all__ = [
    "FINISHED_JOB_STATUSES",
    "ArangoDocument",
    "EdgeDocument",
    "FileStatus",
    "Heartbeat",
    "JobStatus",
    "Library",
    "LibraryCreate",
    "LibraryFile",
    "LibraryFileCreate",
    "LibraryFolder",
    "LibraryStats",
    "LibraryUpdate",
    "Lock",
    "MetaEntry",
    "NomarrModel",
    "QueueJob",
    "ScanOutcome",
    "ScanRun",
    "Tag",
    "TagCount",
    "TagValue",
    "UpsertReport",
    "WorkerClaim",
]
