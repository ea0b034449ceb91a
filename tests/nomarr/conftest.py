"""Fixtures for nomarr's own tests, on top of nomarr's pytest plugin.

``nomarr_db``, ``open_db``, ``nomarr_sys_db`` and the rest come from
:mod:`nomarr.testing.pytest_plugin` (shipped with the package): a fresh Database per test on
arangolite in memory, or on a real server with ``--arango-url``. Here: sample data.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from nomarr.helpers.dto import Library, LibraryCreate, LibraryFileCreate
from nomarr.persistence import Database


@pytest.fixture
def library(nomarr_db: Database) -> Library:
    """A library named ``Music`` in ``nomarr_db``."""
    return nomarr_db.libraries.create(LibraryCreate(name="Music", root_path="/music"))


def _file_records(
    library_key: str, count: int, folder_key: str | None = None, start: int = 0
) -> list[LibraryFileCreate]:
    return [
        LibraryFileCreate(
            library_key=library_key,
            path=f"/music/album/{i:06d}.flac",
            size=1000 + i,
            mtime_ms=1_700_000_000_000 + i,
            folder_key=folder_key,
            metadata={"format": "flac"},
        )
        for i in range(start, start + count)
    ]


@pytest.fixture
def make_files() -> object:
    """Return a factory of scanned file records: ``make_files(library_key, count, ...)``."""
    return _file_records


@pytest.fixture
def loopback_url(arango_url: str | None) -> Iterator[str]:
    """A server URL: the --arango-url server, else arangolite served over HTTP on loopback."""
    if arango_url:
        yield arango_url
        return
    from arangolite.server import serve

    server = serve(0, None)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    server.engine.close()
