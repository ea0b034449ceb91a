"""Shared pytest configuration.

``--arango-url URL`` (or ``NOMARR_TEST_ARANGO_URL``, see :mod:`nomarr.testing.pytest_plugin`)
points the backend-agnostic tests at a real ArangoDB server; without it they run on arangolite in
process. Tests that need a real server skip cleanly when none is given.
"""

from __future__ import annotations

import os

import pytest

# ``--arango-url`` and ``arango_url`` come from nomarr's pytest plugin
# (nomarr.testing.pytest_plugin, loaded through the package's pytest11 entry point and the
# ``-p`` in pyproject.toml's addopts).


# --------------------------------------------------------------------------- arangolite fixtures
#
# ``engine``  a fresh in-memory arangolite engine (closed after the test).
# ``client``  a python-arango ``ArangoClient`` served by that engine in process (or by the real
#             server given with --arango-url, in which case ``engine`` is not used).
# ``sys_db``  the ``_system`` database through ``client``.
# ``db``      a fresh, randomly named database for the test, dropped afterwards.


@pytest.fixture
def engine(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A fresh in-memory arangolite engine (``ARANGOLITE_TEST_ON_DISK=1``: a fresh data
    directory read on demand, to run any test on the on-disk store; ``=loaded``: a data directory
    whose documents the engine holds in memory, ``on_disk=False``)."""
    from arangolite.storage.engine import Engine

    store = os.environ.get("ARANGOLITE_TEST_ON_DISK")
    path = str(tmp_path_factory.mktemp("data")) if store in ("1", "loaded") else None
    eng = Engine(path, on_disk=store != "loaded")
    yield eng
    eng.close()


@pytest.fixture
def client(request: pytest.FixtureRequest, arango_url: str | None):  # type: ignore[no-untyped-def]
    """python-arango client on arangolite in process (or on the --arango-url server)."""
    from arango.client import ArangoClient

    if arango_url:
        return ArangoClient(hosts=arango_url)
    from arangolite.client import InProcessHTTPClient

    eng = request.getfixturevalue("engine")
    return ArangoClient(hosts="http://arangolite.invalid", http_client=InProcessHTTPClient(engine=eng))


@pytest.fixture
def sys_db(client):  # type: ignore[no-untyped-def]
    """The ``_system`` database."""
    password = os.environ.get("NOMARR_TEST_ARANGO_PASSWORD", "")
    return client.db("_system", username="root", password=password)


@pytest.fixture
def db(client, sys_db):  # type: ignore[no-untyped-def]
    """A fresh randomly named database, dropped after the test."""
    import uuid

    name = f"test_{uuid.uuid4().hex[:12]}"
    sys_db.create_database(name)
    password = os.environ.get("NOMARR_TEST_ARANGO_PASSWORD", "")
    yield client.db(name, username="root", password=password)
    sys_db.delete_database(name, ignore_missing=True)
