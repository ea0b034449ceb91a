"""Opening an embedded engine, ingesting into it and closing it, again and again, leaks nothing.

Each cycle ingests enough files that a kept engine would leave thousands of live objects behind
(its documents); the live-object count after the last cycle must stay within a small margin of
the count after the first (which pays for imports and caches). Counts, not timings: this is the
leak that made whichever side of ``bench/bench_ingest.py`` ran later run on a bigger heap.
"""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Callable

import pytest

import arangolite
from arangolite.storage.engine import Engine
from nomarr.helpers.dto import LibraryCreate, LibraryFileCreate
from nomarr.persistence import ConnectionSettings, Database
from nomarr.persistence.aio import AsyncDatabase

FILES = 2000
CYCLES = 4
MARGIN = 300  # live objects a cycle may add in all (bounded caches); a kept engine adds > FILES


def _files() -> list[LibraryFileCreate]:
    return [
        LibraryFileCreate(library_key="lib", path=f"/m/a{i % 7}/t{i:05d}.flac", size=i, mtime_ms=i)
        for i in range(FILES)
    ]


def _settings() -> ConnectionSettings:
    return ConnectionSettings(data_dir=":memory:", db_name="release")


def _sync_cycle(files: list[LibraryFileCreate]) -> weakref.ref[Engine]:
    transport = arangolite.InProcessHTTPClient(None)
    db = Database.open(_settings(), http_client=transport)
    db.libraries.create(LibraryCreate(name="L", root_path="/m"), key="lib")
    assert len(db.library_files.upsert_batch(files).new_keys) == FILES
    db.close()
    transport.engine.close()
    return weakref.ref(transport.engine)


def _async_cycle(files: list[LibraryFileCreate]) -> weakref.ref[Engine]:
    transport = arangolite.InProcessHTTPClient(None)

    async def ingest() -> None:
        adb = await AsyncDatabase.open(_settings(), http_client=transport)
        await adb.libraries.create(LibraryCreate(name="L", root_path="/m"), key="lib")
        assert len((await adb.library_files.upsert_batch(files)).new_keys) == FILES
        await adb.close()

    asyncio.run(ingest())
    transport.engine.close()
    return weakref.ref(transport.engine)


def _live() -> int:
    gc.collect()
    return len(gc.get_objects())


@pytest.mark.parametrize("cycle", [_sync_cycle, _async_cycle], ids=["sync", "async"])
def test_open_ingest_close_cycles_do_not_grow_live_objects(cycle: Callable[[list[LibraryFileCreate]], weakref.ref[Engine]]) -> None:
    files = _files()
    engines = [cycle(files)]
    after_first = _live()
    engines += [cycle(files) for _ in range(CYCLES - 1)]
    after_last = _live()
    assert [ref() for ref in engines] == [None] * CYCLES  # every closed engine was freed
    assert after_last - after_first < MARGIN, f"{after_last - after_first} more live objects after {CYCLES - 1} more cycles"
