"""Every Operations test here runs twice: on ``Database``, then on ``AsyncDatabase``.

``nomarr_api`` (from nomarr's pytest plugin) is parametrised over both APIs for the whole
folder; in the ``async`` run ``nomarr_db`` is the AsyncDatabase on the same database, driven
through :class:`nomarr.testing.blocking.Blocking`, so the same test bodies check both. Also
here: counters of the queries an Operations group runs and of the HTTP requests a database sends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

import arangolite
from nomarr.persistence import ConnectionSettings, Database
from nomarr.testing.blocking import blocking_async_database
from nomarr.testing.pytest_plugin import APIS


@pytest.fixture(params=APIS)
def nomarr_api(request: pytest.FixtureRequest) -> str:
    """``sync`` then ``async``."""
    return str(request.param)


class QueryCounter:
    """Counts the queries an Operations object runs (wraps its real runner, runs them for real)."""

    def __init__(self, runner: Any) -> None:
        self.runner, self.queries = runner, 0

    def rows(self, *args: Any, **kwargs: Any) -> list[Any]:
        self.queries += 1
        return self.runner.rows(*args, **kwargs)  # type: ignore[no-any-return]


@pytest.fixture
def count_queries() -> Callable[[Any], QueryCounter]:
    """``count_queries(db.group)``: from now on, count the queries that group runs."""

    def install(ops: Any) -> QueryCounter:
        counter = QueryCounter(ops._runner)
        ops._runner = counter
        return counter

    return install


class CountingTransport(arangolite.InProcessHTTPClient):
    """arangolite in memory, counting the HTTP requests it answers."""

    def __init__(self) -> None:
        super().__init__(None)
        self.requests = 0

    def send_request(self, *args: Any, **kwargs: Any) -> Any:
        self.requests += 1
        return super().send_request(*args, **kwargs)


@pytest.fixture
def counting_db(nomarr_api: str) -> Iterator[tuple[Database, CountingTransport]]:
    """A database of the API under test on a fresh engine, and the engine's request counter."""
    transport = CountingTransport()
    settings = ConnectionSettings(data_dir=":memory:", db_name="requests")
    with Database.open(settings, http_client=transport) as db:
        if nomarr_api == "sync":
            yield db, transport
        else:
            with blocking_async_database(db, settings, transport) as facade:
                yield facade, transport
