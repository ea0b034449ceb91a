"""AsyncDatabase over real HTTP (aiohttp): arangolite served on loopback, or --arango-url.

One pass over several groups, a stream, a stream transaction committed and one aborted; the
Operations themselves are checked on both APIs in process (``nomarr_api``).
"""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest

from nomarr.helpers.dto import LibraryCreate, LibraryFileCreate, TagValue
from nomarr.helpers.errors import DocumentNotFoundError
from nomarr.persistence import ConnectionSettings
from nomarr.persistence.aio import AsyncDatabase


def test_async_database_on_a_server(loopback_url: str) -> None:
    settings = ConnectionSettings(
        host=loopback_url,
        username=os.environ.get("NOMARR_TEST_ARANGO_USERNAME", "root"),
        password=os.environ.get("NOMARR_TEST_ARANGO_PASSWORD", ""),
        db_name=f"nomarr_async_{uuid.uuid4().hex[:12]}",
        create_database=True,
    )

    async def go() -> tuple[int, list[str], list[str], dict[str, int]]:
        async with await AsyncDatabase.open(settings) as adb:
            lib = await adb.libraries.create(LibraryCreate(name="m", root_path="/m"))
            files = [LibraryFileCreate(library_key=lib.key_, path=f"{i:03d}.flac", size=i, mtime_ms=i) for i in range(30)]
            report = await adb.library_files.upsert_batch(files, batch_size=8)
            with pytest.raises(DocumentNotFoundError):
                await adb.library_files.get("missing")
            async with adb.unit_of_work() as uow:
                await uow.tags.set_file_tags(report.new_keys[0], [TagValue(name="genre", value="jazz")])
                await uow.queue.enqueue("scan")
            with pytest.raises(ZeroDivisionError):
                async with adb.unit_of_work() as uow:
                    await uow.queue.enqueue("scan")
                    raise ZeroDivisionError
            paths = [f.path async for f in adb.library_files.iter_for_library(lib.key_, batch_size=7)]
            tagged = [f.key_ async for f in adb.tags.iter_files_by_tag("genre", "jazz")]
            return len(report.new_keys), paths, tagged, await adb.queue.count_by_status()

    try:
        new, paths, tagged, jobs = asyncio.run(go())
    finally:
        from arango import ArangoClient

        ArangoClient(hosts=loopback_url).db("_system", username=settings.username, password=settings.password).delete_database(
            settings.db_name, ignore_missing=True
        )
    assert new == 30 and paths == sorted(paths) and len(paths) == 30
    assert len(tagged) == 1 and jobs == {"pending": 1}  # the aborted unit left nothing
