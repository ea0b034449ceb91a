"""Driver and transport failures become nomarr errors carrying ArangoDB's numbers."""

from __future__ import annotations

import pytest
import requests
from arango.exceptions import AQLQueryExecuteError, TransactionCommitError
from arango.request import Request
from arango.response import Response

from nomarr.helpers import errors
from nomarr.persistence.error_mapping import translate


def _server_error(status: int, num: int, message: str) -> AQLQueryExecuteError:
    response = Response("post", "http://x/_api/cursor", {}, status, "reason", "")
    response.error_code, response.error_message = num, message
    return AQLQueryExecuteError(response, Request("post", "/_api/cursor"))


@pytest.mark.parametrize(
    ("status", "num", "expected"),
    [
        (404, 1202, errors.DocumentNotFoundError),
        (409, 1210, errors.DuplicateKeyError),
        (409, 1200, errors.ConflictError),
        (400, 1221, errors.InvalidKeyError),
        (404, 1203, errors.CollectionMissingError),
        (404, 1228, errors.DatabaseMissingError),
        (401, 401, errors.AuthenticationError),
        (503, 1496, errors.BackendUnavailableError),
        (404, 1655, errors.TransactionError),
        (400, 1501, errors.QueryError),
    ],
)
def test_server_errors_map_by_number_then_http_code(status: int, num: int, expected: type) -> None:
    exc = translate(_server_error(status, num, "server says no"), "ctx.op")
    assert type(exc) is expected
    assert (exc.error_num, exc.http_code) == (num, status)
    assert str(exc).startswith(f"{expected.prefix}: ctx.op: server says no")


def test_transport_failures_are_backend_unavailable() -> None:
    for failure in (ConnectionAbortedError("gone"), requests.exceptions.ReadTimeout("slow")):
        assert isinstance(translate(failure, "ctx"), errors.BackendUnavailableError)


def test_client_side_driver_errors_and_nomarr_errors() -> None:
    response = Response("put", "http://x", {}, 200, "ok", "")
    client_side = TransactionCommitError(response, Request("put", "/"))
    assert isinstance(translate(client_side, "ctx"), errors.NomarrError)
    original = errors.InvalidKeyError("k")
    assert translate(original, "ctx") is original
