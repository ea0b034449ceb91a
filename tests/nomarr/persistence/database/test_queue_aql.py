"""QueueOperations, executed on the backend under test."""

from __future__ import annotations

import pytest

from nomarr.helpers.errors import DocumentNotFoundError, InvalidKeyError
from nomarr.helpers.time_helper import MS_PER_DAY, now_ms
from nomarr.persistence import Database


def test_enqueue_claim_complete(nomarr_db: Database) -> None:
    job = nomarr_db.queue.enqueue("tag", {"file_key": "f1"})
    assert (job.status, job.payload, job.attempts) == ("pending", {"file_key": "f1"}, 0)
    claimed = nomarr_db.queue.claim_next("worker-1")
    assert claimed is not None and claimed.key_ == job.key_
    assert (claimed.status, claimed.worker_id, claimed.attempts) == ("running", "worker-1", 1)
    assert nomarr_db.queue.claim_next("worker-2") is None
    done = nomarr_db.queue.complete(job.key_, {"tags": 3})
    assert (done.status, done.result, done.finished_at is not None) == ("done", {"tags": 3}, True)


def test_claim_order_priority_then_age_and_types(nomarr_db: Database) -> None:
    low = nomarr_db.queue.enqueue("scan")
    high = nomarr_db.queue.enqueue("scan", priority=5)
    other = nomarr_db.queue.enqueue("tag", priority=9)
    assert nomarr_db.queue.claim_next("w", job_types=["scan"]).key_ == high.key_  # type: ignore[union-attr]
    assert nomarr_db.queue.claim_next("w").key_ == other.key_  # type: ignore[union-attr]
    assert nomarr_db.queue.claim_next("w").key_ == low.key_  # type: ignore[union-attr]


def test_list_filters_and_pages_newest_first(nomarr_db: Database) -> None:
    jobs = [nomarr_db.queue.enqueue("scan" if i % 2 else "tag") for i in range(6)]
    nomarr_db.queue.claim_next("w", job_types=["tag"])
    listed = nomarr_db.queue.list(limit=10)
    assert [j.created_at for j in listed] == sorted((j.created_at for j in jobs), reverse=True)
    assert {j.job_type for j in nomarr_db.queue.list(job_type="scan")} == {"scan"}
    assert len(nomarr_db.queue.list(status="running")) == 1
    assert len(nomarr_db.queue.list(status="pending", job_type="tag")) == 2
    assert nomarr_db.queue.list(limit=2, offset=1) == listed[1:3]


def test_progress_is_memory_only_until_a_state_change(nomarr_db: Database, open_db) -> None:
    job = nomarr_db.queue.enqueue("scan")
    nomarr_db.queue.claim_next("w")
    nomarr_db.queue.update_progress(job.key_, 0.25, "reading")
    nomarr_db.queue.update_progress(job.key_, 0.5, "tagging")
    assert (nomarr_db.queue.get(job.key_).progress, nomarr_db.queue.get(job.key_).message) == (0.5, "tagging")
    other_process = open_db(nomarr_db.name, ensure=False)
    assert other_process.queue.get(job.key_).progress is None
    failed = nomarr_db.queue.fail(job.key_, "boom")
    assert (failed.status, failed.error, failed.progress) == ("failed", "boom", 0.5)
    assert other_process.queue.get(job.key_).progress == 0.5


def test_cancel_requeue(nomarr_db: Database) -> None:
    job = nomarr_db.queue.enqueue("scan")
    nomarr_db.queue.claim_next("w")
    again = nomarr_db.queue.requeue(job.key_)
    assert (again.status, again.worker_id) == ("pending", None)
    assert nomarr_db.queue.cancel(job.key_).status == "cancelled"
    assert nomarr_db.queue.count_by_status() == {"cancelled": 1}


def test_remove_finished_before_removes_only_old_finished_jobs(nomarr_db: Database) -> None:
    old_done, old_running, fresh = (nomarr_db.queue.enqueue("scan") for _ in range(3))
    nomarr_db.queue.complete(old_done.key_)
    nomarr_db.queue.complete(fresh.key_)
    long_ago = now_ms() - 10 * MS_PER_DAY
    with nomarr_db.unit_of_work(write=["queue"]) as uow:  # age two jobs through a raw update
        uow.queue._transition(old_done.key_, {"finished_at": long_ago}, "test")
        uow.queue._transition(old_running.key_, {"status": "running", "finished_at": long_ago}, "test")
    assert nomarr_db.queue.remove_finished_before(now_ms() - 7 * MS_PER_DAY) == 1
    with pytest.raises(DocumentNotFoundError):
        nomarr_db.queue.get(old_done.key_)
    assert nomarr_db.queue.get(old_running.key_).status == "running"
    assert nomarr_db.queue.get(fresh.key_).status == "done"


def test_missing_and_invalid_jobs(nomarr_db: Database) -> None:
    with pytest.raises(DocumentNotFoundError):
        nomarr_db.queue.get("missing")
    with pytest.raises(DocumentNotFoundError):
        nomarr_db.queue.complete("missing")
    with pytest.raises(InvalidKeyError):
        nomarr_db.queue.update_progress("../etc", 0.1)
