"""AsyncDatabase over real HTTP (aiohttp): arangolite served on loopback, or --arango-url."""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import Iterator

import pytest

from arangolite.server import serve
from nomarr.helpers.dto import LibraryCreate, LibraryFileCreate
from nomarr.helpers.errors import DocumentNotFoundError
from nomarr.persistence import ConnectionSettings
from nomarr.persistence.aio import AsyncDatabase


@pytest.fixture
def server_url(arango_url: str | None) -> Iterator[str]:
    if arango_url:
        yield arango_url
        return
    server = serve(0, None)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    server.engine.close()


def test_async_database_on_a_server(server_url: str) -> None:
    settings = ConnectionSettings(
        host=server_url,
        username=os.environ.get("NOMARR_TEST_ARANGO_USERNAME", "root"),
        password=os.environ.get("NOMARR_TEST_ARANGO_PASSWORD", ""),
        db_name=f"nomarr_async_{uuid.uuid4().hex[:12]}",
        create_database=True,
    )

    async def go() -> tuple[int, list[str]]:
        async with await AsyncDatabase.open(settings) as adb:
            lib = await adb.libraries.create(LibraryCreate(name="m", root_path="/m"))
            files = [LibraryFileCreate(library_key=lib.key_, path=f"{i:03d}.flac", size=i, mtime_ms=i) for i in range(30)]
            report = await adb.library_files.upsert_batch(files, batch_size=8)
            with pytest.raises(DocumentNotFoundError):
                await adb.library_files.get("missing")
            return len(report.new_keys), [f.path async for f in adb.library_files.iter_for_library(lib.key_, batch_size=7)]

    try:
        new, paths = asyncio.run(go())
    finally:
        from arango import ArangoClient

        ArangoClient(hosts=server_url).db("_system", username=settings.username, password=settings.password).delete_database(
            settings.db_name, ignore_missing=True
        )
    assert new == 30 and paths == sorted(paths) and len(paths) == 30
