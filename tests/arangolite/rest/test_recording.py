"""The recording API (``/_admin/server/api-calls``): per server, within a memory budget."""

from __future__ import annotations

import uuid

import pytest
from arango.client import ArangoClient

from arangolite.client import InProcessHTTPClient
from arangolite.rest import recording
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


def test_the_time_stamp_follows_the_clock_to_the_second(monkeypatch: pytest.MonkeyPatch) -> None:
    """``stamp`` formats the time once a second (every request notes one): a new second gives
    a new stamp, never the previous one."""
    now = [1000.2]
    monkeypatch.setattr(recording.time, "time", lambda: now[0])
    assert recording.stamp() == "1970-01-01T00:16:40Z"
    now[0] = 1000.9
    assert recording.stamp() == "1970-01-01T00:16:40Z"
    now[0] = 1001.0
    assert recording.stamp() == "1970-01-01T00:16:41Z"
    now[0] = 999.5  # the wall clock stepped back
    assert recording.stamp() == "1970-01-01T00:16:39Z"
