"""Helpers for REST tests: raw requests through python-arango's own connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from arango.database import StandardDatabase
from arango.request import Request
from arango.response import Response

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
