"""The recording API (``/_admin/server/api-calls``): per server, within a memory budget."""

from __future__ import annotations

import uuid

from arango.client import ArangoClient

from arangolite.client import InProcessHTTPClient
from arangolite.rest.recording import Recording
from arangolite.storage.engine import Engine


def test_each_server_lists_only_its_own_calls() -> None:
    first, second = Engine(None), Engine(None)
    try:
        one, two = (
            ArangoClient(
                hosts="http://arangolite.invalid", http_client=InProcessHTTPClient(engine=e)
            )
            for e in (first, second)
        )
        name = f"calls_{uuid.uuid4().hex[:8]}"
        one.db("_system", "root", "").create_database(name)
        one.db(name, "root", "").collections()
        assert any(
            c["database"] == name for c in one.db("_system", "root", "").api_calls()["calls"]
        )
        assert all(
            c["database"] != name for c in two.db("_system", "root", "").api_calls()["calls"]
        )
    finally:
        first.close()
        second.close()


def test_oldest_entries_leave_once_over_budget() -> None:
    recording = Recording(budget=250)
    for n in range(5):
        recording.add(100, {"n": n})
    assert [e["n"] for e in recording.entries()] == [3, 4]
