"""AsyncDatabase mirrors the sync Operations it covers, on the same data.

Mirrors, for the async subset (see :mod:`nomarr.persistence.aio`): upsert new/modified/unchanged
with edges, lookups and DocumentNotFoundError, single-value refusal, status updates and counts,
keyset streams (order, one query per batch), libraries by name and path, the queue's
claim/complete/fail/delete and job-type allowlist, tags and files with all of several tags.
Data written on one side is read on the other.
"""

from __future__ import annotations

from typing import Any

import pytest

from nomarr.helpers.dto import Library, LibraryCreate, TagValue
from nomarr.helpers.errors import DocumentNotFoundError, DuplicateKeyError, InvalidJobTypeError
from nomarr.helpers.many import SingleValueError
from nomarr.persistence import Database


def test_upsert_reports_new_modified_unchanged_and_links(nomarr_db: Database, library: Library, make_files, run_async_db) -> None:
    files = make_files(library.key_, 5)

    async def go(adb: Any) -> Any:
        first = await adb.library_files.upsert_batch(files, batch_size=2)
        changed = [files[0].model_copy(update={"size": 1}), *files[1:]]
        again = await adb.library_files.upsert_batch(changed)
        return first, again

    first, again = run_async_db(go)
    assert len(first.new_keys) == 5 and (again.modified_keys, len(again.unchanged_keys)) == ([first.new_keys[0]], 4)
    assert nomarr_db.library_files.count_by_status(library.key_) == {"pending": 5}  # written for the sync side too
    assert nomarr_db.stats.refresh(library.key_).file_count == 5


def test_lookups_and_errors(nomarr_db: Database, library: Library, make_files, run_async_db) -> None:
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 3)).new_keys

    async def go(adb: Any) -> Any:
        one = await adb.library_files.get(keys[0])
        by_path = await adb.library_files.get_by_path(library.key_, one.path)
        many = await adb.library_files.get_many([*keys, "missing"])
        with pytest.raises(DocumentNotFoundError, match="nope"):
            await adb.library_files.get("nope")
        with pytest.raises(SingleValueError, match="get_many"):
            await adb.library_files.get_many(keys[0])
        updated = await adb.library_files.update_status_many(keys[:2], "tagged")
        return one, by_path, many, updated, await adb.library_files.count_by_status(library.key_)

    one, by_path, many, updated, counts = run_async_db(go)
    assert one == by_path and one.key_ == keys[0] and nomarr_db.library_files.get(keys[0]).status == "tagged"
    assert sorted(f.key_ for f in many) == sorted(keys) and len(updated) == 2
    assert counts == {"tagged": 2, "pending": 1}


def test_streams_page_by_key_one_query_per_batch(nomarr_db: Database, library: Library, make_files, run_async_db) -> None:
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 25)).new_keys
    nomarr_db.library_files.update_status_many(keys[:7], "tagged")

    async def go(adb: Any) -> Any:
        runner, calls = adb.library_files._runner, []
        real = runner.rows

        async def counting(*args: Any, **kwargs: Any) -> Any:
            calls.append(1)
            return await real(*args, **kwargs)

        runner.rows = counting
        paths = [f.path async for f in adb.library_files.iter_for_library(library.key_, batch_size=10)]
        queries = len(calls)
        tagged = [f.key_ async for f in adb.library_files.iter_by_status(library.key_, "tagged", batch_size=3)]
        return paths, queries, tagged

    paths, queries, tagged = run_async_db(go)
    assert paths == [f.path for f in nomarr_db.library_files.iter_for_library(library.key_)] and len(paths) == 25
    assert queries == 3 and sorted(tagged) == sorted(keys[:7])


def test_libraries(nomarr_db: Database, run_async_db) -> None:
    async def go(adb: Any) -> Any:
        outer = await adb.libraries.create(LibraryCreate(name="outer", root_path="/m"))
        await adb.libraries.create(LibraryCreate(name="inner", root_path="/m/c"))
        with pytest.raises(DuplicateKeyError):
            await adb.libraries.create(LibraryCreate(name="again", root_path="/x"), key=outer.key_)
        return (
            await adb.libraries.get(outer.key_),
            await adb.libraries.find_by_name("inner"),
            await adb.libraries.find_containing("/m/c/x.flac"),
            [lib.name for lib in await adb.libraries.list()],
        )

    outer, inner, containing, names = run_async_db(go)
    assert outer == nomarr_db.libraries.find_by_name("outer") and containing == inner and names == ["inner", "outer"]


def test_queue(nomarr_db: Database, run_async_db) -> None:
    async def go(adb: Any) -> Any:
        low = await adb.queue.enqueue("tag_files", {"n": 1})
        high = await adb.queue.enqueue("tag_files", priority=5)
        claimed = await adb.queue.claim_next("w1", ["tag_files"])
        done = await adb.queue.complete(claimed.key_, {"ok": True})
        failed = await adb.queue.fail((await adb.queue.claim_next("w1")).key_, "boom")
        with pytest.raises(InvalidJobTypeError):
            await adb.queue.enqueue("Bad Type")
        extra = await adb.queue.enqueue("scan")
        deleted = (await adb.queue.delete(extra.key_), await adb.queue.delete(extra.key_))
        return low, high, done, failed, deleted, await adb.queue.count_by_status(), await adb.queue.claim_next("w1")

    low, high, done, failed, deleted, counts, none_left = run_async_db(go)
    assert done.key_ == high.key_ and done.status == "done" and done.result == {"ok": True}
    assert failed.key_ == low.key_ and failed.error == "boom" and deleted == (True, False)
    assert counts == {"done": 1, "failed": 1} == nomarr_db.queue.count_by_status() and none_left is None


def test_tags(nomarr_db: Database, library: Library, make_files, run_async_db) -> None:
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 6)).new_keys
    jazz, calm = TagValue(name="genre", value="jazz"), TagValue(name="mood", value="calm")

    async def go(adb: Any) -> Any:
        for i, key in enumerate(keys):
            await adb.tags.set_file_tags(key, [jazz, calm] if i % 2 else [jazz])
        with pytest.raises(DocumentNotFoundError):
            await adb.tags.set_file_tags("missing", [jazz])
        both = [f.key_ async for f in adb.tags.iter_files_with_tags([jazz, calm], batch_size=2)]
        return both, await adb.tags.get_file_tags(keys[1])

    both, tags = run_async_db(go)
    assert sorted(both) == sorted(keys[1::2]) == sorted(f.key_ for f in nomarr_db.tags.iter_files_with_tags([calm, jazz]))
    assert [(t.name, t.value) for t in tags] == [("genre", "jazz"), ("mood", "calm")]
