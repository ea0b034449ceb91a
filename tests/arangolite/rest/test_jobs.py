"""Asynchronous requests and ``/_api/job``, in process and through python-arango's async API."""

from __future__ import annotations

import time

import pytest
from arango.client import ArangoClient
from arango.database import StandardDatabase
from arango.exceptions import (
    AsyncExecuteError,
    AsyncJobListError,
    AsyncJobResultError,
    AsyncJobStatusError,
)

import arangolite


@pytest.fixture
def db() -> StandardDatabase:
    return arangolite.connect(None, "jobs")


def _wait(job):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 10
    while job.status() != "done":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return job


def test_stored_job_runs_and_is_fetched_once(db: StandardDatabase) -> None:
    col = db.create_collection("c")
    job = db.begin_async_execution(return_result=True).collection("c").insert({"_key": "a"})
    assert _wait(job).result()["_key"] == "a"
    assert col.has("a")
    with pytest.raises(AsyncJobResultError) as info:
        job.result()
    assert info.value.http_code == 404


def test_errors_of_a_job_come_with_its_result(db: StandardDatabase) -> None:
    job = db.begin_async_execution(return_result=True).aql.execute("RETURN 1 +")
    with pytest.raises(Exception) as info:
        _wait(job).result()
    assert getattr(info.value, "error_code", None) == 1501


def test_fire_and_forget_and_job_lists(db: StandardDatabase) -> None:
    col = db.create_collection("c")
    assert db.begin_async_execution(return_result=False).collection("c").insert({}) is None
    deadline = time.monotonic() + 10
    while col.count() == 0:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    async_db = db.begin_async_execution(return_result=True)
    done = [_wait(async_db.collection("c").insert({})) for _ in range(3)]
    assert sorted(db.async_jobs("done")) == sorted(j.id for j in done)
    assert len(db.async_jobs("done", count=2)) == 2
    with pytest.raises(AsyncJobListError) as info:
        db.async_jobs("bad_status")
    assert info.value.http_code == 400
    assert db.clear_async_jobs(threshold=int(time.time()) - 1000) is True
    assert done[0].status() == "done"
    assert db.clear_async_jobs() is True
    with pytest.raises(AsyncJobStatusError):
        done[0].status()


def test_unknown_database_fails_before_queueing() -> None:
    client = ArangoClient(hosts="http://arangolite", http_client=arangolite.InProcessHTTPClient())
    missing = client.db("no_such_db").begin_async_execution(return_result=True)
    with pytest.raises(AsyncExecuteError) as info:
        missing.aql.execute("RETURN 1")
    assert info.value.error_code == 1228
