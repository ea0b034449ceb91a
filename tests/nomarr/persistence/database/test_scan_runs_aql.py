"""Scan runs: recorded, listed newest first, removed by age."""

from __future__ import annotations

import pytest

from nomarr.helpers.dto import Library, ScanOutcome
from nomarr.helpers.errors import DocumentNotFoundError
from nomarr.persistence import Database


def test_a_run_is_recorded_from_start_to_finish(nomarr_db: Database, library: Library) -> None:
    run = nomarr_db.scan_runs.start(library.key_)
    assert run.outcome == "running" and run.finished_at is None and run.counts == {}
    done = nomarr_db.scan_runs.finish(run.key_, ScanOutcome.OK, {"found": 3, "new": 2})
    assert done.key_ == run.key_ and done.outcome == "ok" and done.counts == {"found": 3, "new": 2}
    assert done.finished_at is not None and done.finished_at >= run.started_at
    failed = nomarr_db.scan_runs.finish(nomarr_db.scan_runs.start(library.key_).key_, ScanOutcome.FAILED, {}, "disk gone")
    assert failed.error == "disk gone"


def test_recent_runs_newest_first_and_per_library(nomarr_db: Database, library: Library) -> None:
    runs = [nomarr_db.scan_runs.start(library.key_, started_at=1000 + i) for i in range(5)]
    nomarr_db.scan_runs.start("other", started_at=5000)
    assert [r.key_ for r in nomarr_db.scan_runs.recent(3, library.key_)] == [r.key_ for r in runs[::-1][:3]]
    assert nomarr_db.scan_runs.recent(1)[0].library_key == "other"


def test_old_finished_runs_are_removed_and_running_ones_kept(nomarr_db: Database, library: Library) -> None:
    old = nomarr_db.scan_runs.start(library.key_, started_at=1)
    finished_at = nomarr_db.scan_runs.finish(old.key_, ScanOutcome.OK, {}).finished_at or 0
    running = nomarr_db.scan_runs.start(library.key_, started_at=1)
    assert nomarr_db.scan_runs.remove_finished_before(finished_at) == 0
    assert nomarr_db.scan_runs.remove_finished_before(finished_at + 1) == 1
    assert [r.key_ for r in nomarr_db.scan_runs.recent(10)] == [running.key_]


def test_finishing_an_unknown_run_is_an_error(nomarr_db: Database) -> None:
    with pytest.raises(DocumentNotFoundError, match="nope"):
        nomarr_db.scan_runs.finish("nope", ScanOutcome.OK, {})
