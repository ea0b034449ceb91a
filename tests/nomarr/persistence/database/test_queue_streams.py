"""``queue.iter_jobs``: the queue streamed by keyset pages (on Database, then AsyncDatabase)."""

from __future__ import annotations

import tracemalloc

import pytest

from nomarr.helpers.errors import InvalidJobTypeError
from nomarr.persistence import Database


def _enqueue(db: Database, count: int, job_type: str = "scan") -> list[str]:
    return [db.queue.enqueue(job_type, {"n": n}).key_ for n in range(count)]


@pytest.mark.parametrize("batch", [1, 4, 25])
def test_every_matching_job_once_in_key_order(nomarr_db: Database, batch: int) -> None:
    scans, tags = _enqueue(nomarr_db, 12), _enqueue(nomarr_db, 5, "tag_files")
    nomarr_db.queue.claim_next("w", job_types=["tag_files"])
    assert [j.key_ for j in nomarr_db.queue.iter_jobs(batch_size=batch)] == sorted(scans + tags)
    assert [j.key_ for j in nomarr_db.queue.iter_jobs(job_type="scan", batch_size=batch)] == sorted(scans)
    pending_tags = [j.key_ for j in nomarr_db.queue.iter_jobs("pending", "tag_files", batch_size=batch)]
    assert len(pending_tags) == 4 and set(pending_tags) < set(tags)


def test_one_query_per_batch_and_nothing_before_the_first_row(nomarr_db: Database, count_queries) -> None:
    _enqueue(nomarr_db, 25)
    ops = nomarr_db.queue
    counting = count_queries(ops)
    jobs = ops.iter_jobs(batch_size=10)
    assert counting.queries == 0
    next(jobs)
    assert counting.queries == 1
    assert len(list(jobs)) == 24 and counting.queries == 3
    counting.queries = 0
    assert len(list(ops.iter_jobs(batch_size=5))) == 25 and counting.queries == 5  # no empty last page


def test_jobs_completed_during_the_stream_are_neither_skipped_nor_repeated(nomarr_db: Database) -> None:
    keys = _enqueue(nomarr_db, 23)
    seen = []
    for job in nomarr_db.queue.iter_jobs("pending", "scan", batch_size=4):
        seen.append(job.key_)
        nomarr_db.queue.complete(job.key_)  # drops out of the filter; offset pages would skip jobs
    assert seen == sorted(keys) and nomarr_db.queue.count_by_status() == {"done": 23}


def test_progress_and_bad_arguments(nomarr_db: Database) -> None:
    job = nomarr_db.queue.enqueue("scan")
    nomarr_db.queue.update_progress(job.key_, 0.5, "half")
    assert [j.progress for j in nomarr_db.queue.iter_jobs()] == [0.5]
    with pytest.raises(InvalidJobTypeError):
        nomarr_db.queue.iter_jobs(job_type="Not A Type")  # checked at the call
    with pytest.raises(ValueError, match="batch_size must be positive"):
        list(nomarr_db.queue.iter_jobs(batch_size=0))


def test_memory_holds_one_batch(nomarr_db: Database) -> None:
    _enqueue(nomarr_db, 1000)
    tracemalloc.start()
    try:
        listed = list(nomarr_db.queue.iter_jobs(batch_size=50))
        whole = tracemalloc.get_traced_memory()[0]
        del listed
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        count = sum(1 for _ in nomarr_db.queue.iter_jobs(batch_size=50))
        streamed_peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert count == 1000 and streamed_peak < whole / 4, (streamed_peak, whole)


def test_one_http_request_per_page(counting_db) -> None:
    db, transport = counting_db
    _enqueue(db, 250)
    before = transport.requests
    assert len(list(db.queue.iter_jobs(batch_size=100))) == 250
    assert transport.requests - before == 3
