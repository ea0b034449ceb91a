"""Which worker serves a request under ``--workers 3`` (ids end in their worker's index)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from arangolite import ids
from arangolite.worker_routes import LOCAL_HEADER, Route, route


@pytest.fixture
def worker_one_of_three() -> Iterator[None]:
    ids.configure(1, 3)
    try:
        yield
    finally:
        ids.configure(0, 1)


def test_ids_carry_their_worker(worker_one_of_three: None) -> None:
    made = [ids.local(n) for n in (5, 6, 1000)]
    assert made == ["16", "19", "3001"]
    assert {ids.owner(i) for i in made} == {1}
    assert ids.owner("begin") is None and ids.owner(None) is None


@pytest.mark.usefixtures("worker_one_of_three")
@pytest.mark.parametrize(
    ("method", "path", "headers", "expected"),
    [
        ("PUT", "/_api/cursor/12", {}, Route("owner", 0)),
        ("POST", "/_db/x/_api/cursor/14/3", {}, Route("owner", 2)),
        ("POST", "/_api/cursor/13", {}, Route("local")),  # its own
        ("DELETE", "/_api/transaction/14", {}, Route("owner", 2)),
        ("POST", "/_api/transaction/begin", {}, Route("local")),
        ("GET", "/_api/document/c/k", {"x-arango-trx-id": "15"}, Route("owner", 0)),
        ("PUT", "/_api/job/17/cancel", {}, Route("owner", 2)),
        ("GET", "/_api/job/pending", {}, Route("gather")),
        ("DELETE", "/_api/job/all", {}, Route("broadcast")),
        ("DELETE", "/_db/x/_api/query/18", {}, Route("owner", 0)),
        ("GET", "/_api/query/current", {}, Route("gather")),
        ("PUT", "/_api/query-cache/properties", {}, Route("broadcast")),
        ("PUT", "/_api/cursor/12", {LOCAL_HEADER: "1"}, Route("local")),  # already forwarded
        ("GET", "/_api/version", {}, Route("local")),
    ],
)
def test_route(method: str, path: str, headers: dict[str, str], expected: Route) -> None:
    assert route(method, path, headers) == expected


def test_one_process_serves_everything() -> None:
    assert route("PUT", "/_api/cursor/12", {}) == Route("local")
