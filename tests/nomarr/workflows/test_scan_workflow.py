"""The scan workflow on a real (embedded or server) database."""

from __future__ import annotations

import pytest

from nomarr.helpers.dto import Library
from nomarr.helpers.errors import LockHeldError
from nomarr.persistence import Database
from nomarr.workflows.scan import TAG_JOB_TYPE, scan_library


def test_scan_stores_files_queues_changes_and_refreshes_stats(
    nomarr_db: Database, library: Library, make_files
) -> None:
    files = make_files(library.key_, 25)
    first = scan_library(nomarr_db, library.key_, files, holder="scanner", batch_size=10)
    assert (first.new, first.modified, first.unchanged, len(first.job_keys)) == (25, 0, 0, 3)
    job = nomarr_db.queue.get(first.job_keys[0])
    assert job.job_type == TAG_JOB_TYPE and len(job.payload["file_keys"]) == 10
    assert nomarr_db.stats.find(library.key_).file_count == 25  # type: ignore[union-attr]

    files[0] = files[0].model_copy(update={"size": 1})
    again = scan_library(nomarr_db, library.key_, files, holder="scanner", batch_size=100)
    assert (again.new, again.modified, again.unchanged, len(again.job_keys)) == (0, 1, 24, 1)
    assert nomarr_db.locks.find(f"scan:{library.key_}") is None


def test_one_scan_per_library(nomarr_db: Database, library: Library, make_files) -> None:
    nomarr_db.locks.acquire(f"scan:{library.key_}", "other-scanner", ttl_s=60)
    with pytest.raises(LockHeldError):
        scan_library(nomarr_db, library.key_, make_files(library.key_, 1), holder="scanner")
    assert nomarr_db.library_files.count_by_status(library.key_) == {}
