"""What only the async API has to get right; the Operations themselves are checked on both APIs.

The Operations tests (``tests/nomarr/persistence/database``, the unit of work, bad input and
single-value refusal) run every test body on ``Database`` and again on ``AsyncDatabase``
(``nomarr_api``). Here: data crosses between the two APIs, concurrent coroutines on one event
loop, a stream left half-read, and the bridge refusing to run outside its event loop.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from nomarr.helpers.dto import Library
from nomarr.helpers.errors import TransactionError
from nomarr.persistence import Database
from nomarr.persistence.aio import AsyncDatabase
from nomarr.persistence.aio.bridge import await_only
from nomarr.testing.pytest_plugin import RunAsync


def test_data_written_on_one_side_is_read_on_the_other(nomarr_db: Database, library: Library, make_files, run_async_db: RunAsync) -> None:
    files = make_files(library.key_, 5)

    async def go(adb: AsyncDatabase) -> Any:
        report = await adb.library_files.upsert_batch(files, batch_size=2)
        return report, [f.key_ async for f in adb.library_files.iter_for_library(library.key_)]

    report, listed = run_async_db(go)
    assert sorted(report.new_keys) == sorted(listed) == sorted(f.key_ for f in nomarr_db.library_files.iter_for_library(library.key_))
    assert nomarr_db.stats.refresh(library.key_).file_count == 5


def test_concurrent_coroutines_share_one_database(nomarr_db: Database, run_async_db: RunAsync) -> None:
    async def go(adb: AsyncDatabase) -> Any:
        jobs = await asyncio.gather(*(adb.queue.enqueue("scan", {"n": n}) for n in range(12)))
        claims = await asyncio.gather(*(adb.queue.claim_next(f"w{n}") for n in range(16)))
        async with adb.unit_of_work(write=["meta"]) as uow:
            await asyncio.gather(*(uow.meta.set(f"k{n}", n) for n in range(5)))
        return jobs, claims

    jobs, claims = run_async_db(go)
    claimed = [c.key_ for c in claims if c is not None]
    assert sorted(claimed) == sorted(j.key_ for j in jobs) and claims.count(None) == 4  # each job once
    assert [nomarr_db.meta.get(f"k{n}") for n in range(5)] == list(range(5))


def test_a_stream_left_half_read_does_not_disturb_later_calls(nomarr_db: Database, library: Library, make_files, run_async_db: RunAsync) -> None:
    nomarr_db.library_files.upsert_batch(make_files(library.key_, 9))

    async def go(adb: AsyncDatabase) -> Any:
        seen = []
        async for file in adb.library_files.iter_for_library(library.key_, batch_size=2):
            seen.append(file.path)
            if len(seen) == 3:
                break
        return seen, await adb.library_files.count_by_status(library.key_)

    seen, counts = run_async_db(go)
    assert len(seen) == 3 and counts == {"pending": 9}


def test_a_unit_of_work_cannot_be_used_after_it_ended(nomarr_db: Database, run_async_db: RunAsync) -> None:
    async def go(adb: AsyncDatabase) -> None:
        async with adb.unit_of_work(write=["meta"]) as uow:
            await uow.meta.set("a", 1)
        with pytest.raises(TransactionError, match="already ended"):
            await uow.meta.set("b", 2)

    run_async_db(go)
    assert nomarr_db.meta.get("a") == 1 and nomarr_db.meta.get("b") is None


def test_the_bridge_refuses_to_run_outside_its_event_loop() -> None:
    async def never() -> None:
        raise AssertionError("not awaited")

    pending = never()
    with pytest.raises(RuntimeError, match="outside its event loop: await the async method"):
        await_only(pending)
    assert pending.cr_frame is None  # closed, so no "never awaited" warning
