"""Storage tests run on both committed states: in memory and on disk (a data directory)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from arangolite.storage.engine import Engine


@pytest.fixture(params=["memory", "disk"])
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A fresh engine: in memory, or on a new data directory read on demand."""
    path = str(tmp_path_factory.mktemp("data")) if request.param == "disk" else None
    eng = Engine(path)
    yield eng
    eng.close()


@pytest.fixture
def client(engine: Engine, arango_url: str | None):  # type: ignore[no-untyped-def]
    """python-arango on ``engine`` in process (or on the --arango-url server)."""
    from arango.client import ArangoClient

    if arango_url:
        return ArangoClient(hosts=arango_url)
    from arangolite.client import InProcessHTTPClient

    return ArangoClient(
        hosts="http://arangolite.invalid", http_client=InProcessHTTPClient(engine=engine)
    )
