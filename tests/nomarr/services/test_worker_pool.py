"""The worker pool in process: several threads, every file tagged once, a clean stop."""

from __future__ import annotations

from pathlib import Path

from nomarr.components.demo import generate_library
from nomarr.persistence import Database
from nomarr.services.workers import WorkerOptions, WorkerPool
from nomarr.workflows.scan_directory import scan_directory


def test_pool_tags_everything_once(nomarr_db: Database, tmp_path: Path) -> None:
    root = generate_library(tmp_path / "music", count=40, duration_s=0.05, include_broken=False).root
    library = scan_directory(nomarr_db, root, holder="t").library
    pool = WorkerPool(nomarr_db, WorkerOptions(workers=4, once=True, batch_size=3, stale_after_s=5))
    pool.start()
    report = pool.join()
    assert report.error is None and report.total_tagged == 40 and report.total_failed == 0
    assert report.settled_jobs == 1 and "read" in report.timings and "step" in report.timings
    assert nomarr_db.library_files.count_by_status(library.key_) == {"tagged": 40}
    beats = {b.component: b.info["state"] for b in nomarr_db.health.list_components()}
    assert sorted(beats) == sorted(pool.worker_ids) and set(beats.values()) == {"stopped"}


def test_stop_releases_claims(nomarr_db: Database, tmp_path: Path) -> None:
    root = generate_library(tmp_path / "music", count=20, duration_s=0.05, include_broken=False).root
    library = scan_directory(nomarr_db, root, holder="t").library
    pool = WorkerPool(nomarr_db, WorkerOptions(workers=2, once=True, batch_size=4, tag_delay_s=0.05))
    pool.start()
    pool.wait(0.15)
    pool.stop()
    report = pool.join()
    counts = nomarr_db.library_files.count_by_status(library.key_)
    assert counts.get("tagged", 0) == report.total_tagged < 20
    assert all(not nomarr_db.worker_claims.list_for_worker(w) for w in pool.worker_ids)
