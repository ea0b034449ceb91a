"""Helpers for REST tests: raw requests through python-arango's own connection; a loopback
server on each store."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from arango.database import StandardDatabase
from arango.request import Request
from arango.response import Response

from arangolite.server import ArangoliteServer, serve

Raw = Callable[..., Response]


@pytest.fixture
def raw(db: StandardDatabase) -> Raw:
    """``raw(method, endpoint, data=..., params=..., headers=...)`` on the test database.

    Goes through python-arango's connection (URL prefix, serialisation, response parsing), for
    requests the high-level API cannot express (malformed bodies, unusual options, headers).
    """

    def send(
        method: str, endpoint: str, data: Any = None, params: Any = None, headers: Any = None
    ) -> Response:
        request = Request(
            method=method, endpoint=endpoint, data=data, params=params, headers=headers
        )
        return db._conn.send_request(request)

    return send


@contextlib.contextmanager
def loopback_server(data: str | None) -> Iterator[ArangoliteServer]:
    """A loopback server in this process on ``data`` (None: the in-memory store), serving on a
    thread; shut down and closed at the end of the block."""
    srv: ArangoliteServer = serve(0, data)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        srv.engine.close()


def url_of(srv: ArangoliteServer) -> str:
    return f"http://127.0.0.1:{srv.server_address[1]}"


@pytest.fixture(params=["memory", "disk"])
def loopback(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a loopback server in this process, on the in-memory store and on a data
    directory; shut down and closed after the test."""
    with loopback_server(None if request.param == "memory" else str(tmp_path)) as srv:
        yield url_of(srv)
