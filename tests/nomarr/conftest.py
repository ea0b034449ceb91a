"""Fixtures for nomarr's tests.

``nomarr_db`` is a :class:`~nomarr.persistence.Database` on a fresh, randomly named ArangoDB
database created through ``_system`` and dropped after the test: on arangolite in memory by
default, on a real server when ``--arango-url`` (or ``NOMARR_TEST_ARANGO_URL``) is given. The
same tests run on both.
"""

from __future__ import annotations

import importlib
import os
import uuid
from collections.abc import Iterator

import pytest
from arango.database import StandardDatabase
from arango.http import HTTPClient

from nomarr.helpers.dto import Library, LibraryCreate, LibraryFileCreate
from nomarr.persistence import ConnectionSettings, Database
from nomarr.persistence.arango_client import MEMORY, create_client


@pytest.fixture(scope="session")
def nomarr_settings(arango_url: str | None) -> ConnectionSettings:
    """Connection settings of the backend under test (database name filled in per test)."""
    return ConnectionSettings(
        host=arango_url,
        username=os.environ.get("NOMARR_TEST_ARANGO_USERNAME", "root"),
        password=os.environ.get("NOMARR_TEST_ARANGO_PASSWORD", ""),
        data_dir=MEMORY,
        create_database=False,
        request_timeout_s=30,
    )


@pytest.fixture(scope="session")
def nomarr_transport(arango_url: str | None) -> HTTPClient | None:
    """One in-memory arangolite engine for the session, or None for a real server."""
    if arango_url:
        return None
    engine: HTTPClient = importlib.import_module("arangolite").InProcessHTTPClient(None)
    return engine


@pytest.fixture(scope="session")
def nomarr_sys_db(
    nomarr_settings: ConnectionSettings, nomarr_transport: HTTPClient | None
) -> StandardDatabase:
    """The ``_system`` database of the backend under test."""
    client = create_client(nomarr_settings, nomarr_transport)
    return client.db("_system", username=nomarr_settings.username, password=nomarr_settings.password)


@pytest.fixture
def nomarr_db_name(nomarr_sys_db: StandardDatabase) -> Iterator[str]:
    """A freshly created, randomly named database; dropped after the test."""
    name = f"nomarr_test_{uuid.uuid4().hex[:16]}"
    nomarr_sys_db.create_database(name)
    yield name
    nomarr_sys_db.delete_database(name, ignore_missing=True)


@pytest.fixture
def nomarr_db(
    nomarr_settings: ConnectionSettings,
    nomarr_transport: HTTPClient | None,
    nomarr_db_name: str,
) -> Iterator[Database]:
    """A Database with its schema ensured, on a fresh database of its own."""
    db = Database.open(nomarr_settings.with_db(nomarr_db_name), http_client=nomarr_transport)
    yield db
    db.close()


@pytest.fixture
def open_db(
    nomarr_settings: ConnectionSettings, nomarr_transport: HTTPClient | None
) -> object:
    """Open another Database handle on a named database of the backend under test."""

    def _open(name: str, ensure: bool = True) -> Database:
        return Database.open(nomarr_settings.with_db(name), http_client=nomarr_transport, ensure=ensure)

    return _open


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
