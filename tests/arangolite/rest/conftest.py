"""Helpers for REST tests: raw requests through python-arango's own connection; a loopback
server on each store."""

from __future__ import annotations

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


@pytest.fixture(params=["memory", "disk"])
def loopback(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a loopback server in this process, on the in-memory store and on a data
    directory; shut down and closed after the test."""
    srv: ArangoliteServer = serve(0, None if request.param == "memory" else str(tmp_path))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()
        srv.engine.close()
