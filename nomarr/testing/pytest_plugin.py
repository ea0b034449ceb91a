"""nomarr's pytest plugin: a fresh :class:`~nomarr.persistence.Database` per test, on either backend.

Installed with the package (entry point ``pytest11``), so any project that depends on nomarr
gets these fixtures without a ``conftest.py``:

``nomarr_db``
    A Database with its schema ensured, on a fresh, randomly named database dropped after the
    test: on arangolite in memory, or on the real server given with ``--arango-url``.
``nomarr_embedded_db`` / ``nomarr_server_db``
    The same, always on arangolite in memory / always on the server (skipped without a URL).
``nomarr_each_db``
    Parametrised over the backends available in this run: ``embedded`` always, ``server`` too
    when ``--arango-url`` is given, so one run covers both.
``run_async_db``
    ``run_async_db(fn)`` runs ``await fn(async_db)`` with an ``AsyncDatabase`` on ``nomarr_db``'s
    database (same backend), in an event loop of its own.
``nomarr_api``
    ``"sync"``; for a test marked ``@pytest.mark.nomarr_both_apis`` it is parametrised over
    ``"sync"`` and ``"async"``, and in the ``async`` run ``nomarr_db`` is the
    ``AsyncDatabase`` on the same database, driven through :class:`~nomarr.testing.blocking.Blocking`:
    one test body checks both APIs.
``open_db``
    ``open_db(name, ensure=True)`` opens another Database on a database of the same backend.
``arango_url``, ``nomarr_settings``, ``nomarr_transport``, ``nomarr_sys_db``, ``nomarr_db_name``
    The building blocks of the above.

Options: ``--arango-url URL`` (or ``NOMARR_TEST_ARANGO_URL``); ``--arango-cluster-rules`` (or
``NOMARR_TEST_CLUSTER_RULES=1``) makes the embedded backend raise an ArangoDB cluster's errors
(:mod:`arangolite.cluster_rules`); credentials from
``NOMARR_TEST_ARANGO_USERNAME`` (default ``root``) and ``NOMARR_TEST_ARANGO_PASSWORD``.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from arango.database import StandardDatabase
from arango.http import HTTPClient

from nomarr.persistence import ConnectionSettings, Database
from nomarr.persistence.arango_client import MEMORY, create_client

__all__ = ["APIS", "BACKENDS", "OpenDb", "RunAsync"]

BACKENDS = ("embedded", "server")
"""The backends ``nomarr_each_db`` is parametrised over (``server`` only with a URL)."""

APIS = ("sync", "async")
"""The APIs ``nomarr_api`` is parametrised over for tests marked ``nomarr_both_apis``."""

OpenDb = Callable[..., Database]
"""The type of the ``open_db`` fixture: ``open_db(name, ensure=True) -> Database``."""

RunAsync = Callable[[Callable[[Any], Awaitable[Any]]], Any]
"""The type of the ``run_async_db`` fixture."""


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--arango-url``."""
    parser.addoption(
        "--arango-url",
        default=os.environ.get("NOMARR_TEST_ARANGO_URL"),
        help="also run backend tests against this real ArangoDB server (e.g. http://127.0.0.1:8529)",
    )
    parser.addoption(
        "--arango-cluster-rules",
        action="store_true",
        default=bool(os.environ.get("NOMARR_TEST_CLUSTER_RULES")),
        help="embedded backend: raise the errors an ArangoDB cluster raises (arangolite.cluster_rules)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``nomarr_both_apis`` marker."""
    config.addinivalue_line("markers", "nomarr_both_apis: run the test with nomarr_db as Database, then as AsyncDatabase")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise ``nomarr_each_db`` over the backends, ``nomarr_api`` over the APIs."""
    if "nomarr_each_db" in metafunc.fixturenames:
        url = metafunc.config.getoption("--arango-url")
        backends = BACKENDS if url else BACKENDS[:1]
        metafunc.parametrize("nomarr_backend", backends, scope="function")
    if "nomarr_api" in metafunc.fixturenames and metafunc.definition.get_closest_marker("nomarr_both_apis"):
        metafunc.parametrize("nomarr_api", APIS, scope="function")


@pytest.fixture(scope="session")
def arango_url(request: pytest.FixtureRequest) -> str | None:
    """URL of a real ArangoDB server, or None to use arangolite in process."""
    value = request.config.getoption("--arango-url")
    return str(value) if value else None


def _settings(host: str | None) -> ConnectionSettings:
    return ConnectionSettings(
        host=host,
        username=os.environ.get("NOMARR_TEST_ARANGO_USERNAME", "root"),
        password=os.environ.get("NOMARR_TEST_ARANGO_PASSWORD", ""),
        data_dir=MEMORY,
        create_database=False,
        request_timeout_s=30,
    )


class _Backend:
    """One backend of a test session: its settings, transport and ``_system`` database."""

    def __init__(self, host: str | None, cluster_rules: bool = False) -> None:
        self.settings = _settings(host)
        self.transport: HTTPClient | None = None
        if host is None:
            import arangolite
            from arangolite import cluster_rules as rules

            self.transport = arangolite.InProcessHTTPClient(None)
            if cluster_rules:
                rules.enable(self.transport)
        client = create_client(self.settings, self.transport)
        self.sys_db = client.db("_system", username=self.settings.username, password=self.settings.password)

    def open(self, name: str, ensure: bool = True) -> Database:
        return Database.open(self.settings.with_db(name), http_client=self.transport, ensure=ensure)

    def blocking_async(self, db: Database) -> Iterator[Any]:
        """Yield the AsyncDatabase on ``db``'s database, as a :class:`Blocking` view."""
        from nomarr.testing.blocking import blocking_async_database

        with blocking_async_database(db, self.settings, self.transport) as facade:
            yield facade

    def fresh(self) -> Iterator[Database]:
        name = f"nomarr_test_{uuid.uuid4().hex[:16]}"
        self.sys_db.create_database(name)
        db = self.open(name)
        try:
            yield db
        finally:
            db.close()
            self.sys_db.delete_database(name, ignore_missing=True)


@pytest.fixture(scope="session")
def _nomarr_backends(request: pytest.FixtureRequest, arango_url: str | None) -> dict[str, _Backend]:
    """Backends, created on first use and shared by the session."""
    return _LazyBackends(arango_url, bool(request.config.getoption("--arango-cluster-rules")))


class _LazyBackends(dict[str, _Backend]):
    def __init__(self, url: str | None, cluster_rules: bool) -> None:
        super().__init__()
        self._url = url
        self._cluster_rules = cluster_rules

    def __missing__(self, name: str) -> _Backend:
        if name == "server" and not self._url:
            pytest.skip("no ArangoDB server: pass --arango-url or set NOMARR_TEST_ARANGO_URL")
        backend = self[name] = _Backend(self._url if name == "server" else None, self._cluster_rules)
        return backend


def _default(backends: dict[str, _Backend], url: str | None) -> _Backend:
    return backends["server" if url else "embedded"]


@pytest.fixture(scope="session")
def nomarr_settings(_nomarr_backends: dict[str, _Backend], arango_url: str | None) -> ConnectionSettings:
    """Connection settings of the backend under test (database name filled in per test)."""
    return _default(_nomarr_backends, arango_url).settings


@pytest.fixture(scope="session")
def nomarr_transport(_nomarr_backends: dict[str, _Backend], arango_url: str | None) -> HTTPClient | None:
    """The in-memory arangolite transport of the session, or None for a real server."""
    return _default(_nomarr_backends, arango_url).transport


@pytest.fixture(scope="session")
def nomarr_sys_db(_nomarr_backends: dict[str, _Backend], arango_url: str | None) -> StandardDatabase:
    """The ``_system`` database of the backend under test."""
    return _default(_nomarr_backends, arango_url).sys_db


@pytest.fixture
def nomarr_db_name(nomarr_sys_db: StandardDatabase) -> Iterator[str]:
    """A freshly created, randomly named database; dropped after the test."""
    name = f"nomarr_test_{uuid.uuid4().hex[:16]}"
    nomarr_sys_db.create_database(name)
    yield name
    nomarr_sys_db.delete_database(name, ignore_missing=True)


@pytest.fixture
def nomarr_api() -> str:
    """The API ``nomarr_db`` gives: ``"sync"``, or ``"async"`` (see ``nomarr_both_apis``)."""
    return "sync"


@pytest.fixture
def nomarr_db(_nomarr_backends: dict[str, _Backend], arango_url: str | None, nomarr_api: str) -> Iterator[Database]:
    """A Database with its schema ensured, on a fresh database of the backend under test.

    With ``nomarr_api == "async"``: the AsyncDatabase on that database, driven synchronously.
    """
    backend = _default(_nomarr_backends, arango_url)
    for db in backend.fresh():
        if nomarr_api == "async":
            yield from backend.blocking_async(db)
        else:
            yield db


@pytest.fixture
def nomarr_embedded_db(_nomarr_backends: dict[str, _Backend]) -> Iterator[Database]:
    """A Database on a fresh database of arangolite in memory, whatever ``--arango-url`` says."""
    yield from _nomarr_backends["embedded"].fresh()


@pytest.fixture
def nomarr_server_db(_nomarr_backends: dict[str, _Backend]) -> Iterator[Database]:
    """A Database on a fresh database of the ``--arango-url`` server (skipped without one)."""
    yield from _nomarr_backends["server"].fresh()


@pytest.fixture
def nomarr_each_db(_nomarr_backends: dict[str, _Backend], nomarr_backend: str) -> Iterator[Database]:
    """A Database on each backend of the run in turn (see the module doc)."""
    yield from _nomarr_backends[nomarr_backend].fresh()


@pytest.fixture
def run_async_db(nomarr_db: Database, _nomarr_backends: dict[str, _Backend], arango_url: str | None) -> RunAsync:
    """Run ``fn(async_db)`` to completion, with an ``AsyncDatabase`` on ``nomarr_db``'s database.

    ::

        def test_it(nomarr_db, run_async_db):
            files = run_async_db(lambda adb: adb.library_files.get_many(keys))

    No async test runner needed: each call runs its own event loop (:func:`asyncio.run`).
    """
    from nomarr.persistence.aio import AsyncDatabase

    backend = _default(_nomarr_backends, arango_url)

    def run(fn: Callable[[Any], Awaitable[Any]]) -> Any:
        async def main() -> Any:
            adb = await AsyncDatabase.open(backend.settings.with_db(nomarr_db.name), http_client=backend.transport)
            try:
                return await fn(adb)
            finally:
                await adb.close()

        return asyncio.run(main())

    return run


@pytest.fixture
def open_db(_nomarr_backends: dict[str, _Backend], arango_url: str | None) -> OpenDb:
    """Open another Database handle on a named database of the backend under test."""
    return _default(_nomarr_backends, arango_url).open
