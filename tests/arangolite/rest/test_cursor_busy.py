"""A request for a cursor whose batch is still running gets 1601 ``cursor is busy`` at once, as in
ArangoDB, instead of waiting: a batch served under the engine lock hands the lock to waiting
requests between its rows (``aql/turns.py``), so a request waiting for the batch while holding the
lock would wait for ever. Deleting such a cursor closes it when its batch ends."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from typing import Any

import pytest

# A streaming query whose first rows come at once and whose second batch then runs until its
# maxRuntime ends it. ``profile`` keeps it under the engine lock (on both stores).
SLOW_STREAM = "FOR i IN 1..1e12 FILTER i < 0 OR i <= 2 RETURN i"


def _call(method: str, url: str, body: Any = None) -> tuple[int, dict[str, Any]]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


@pytest.mark.parametrize("profile", [False, True], ids=["own-snapshot", "under-the-lock"])
def test_a_second_request_for_a_busy_cursor_gets_1601(loopback: str, profile: bool) -> None:
    base = loopback
    options: dict[str, Any] = {"stream": True, "maxRuntime": 3}
    if profile:
        options["profile"] = 1
    status, first = _call("POST", f"{base}/_api/cursor", {
        "query": SLOW_STREAM, "batchSize": 1, "options": options,
    })
    assert status == 201 and first["result"] == [1] and first["hasMore"], first
    cid = first["id"]
    outcome: list[tuple[int, dict[str, Any]]] = []
    batch = threading.Thread(target=lambda: outcome.append(_call("POST", f"{base}/_api/cursor/{cid}")))
    batch.start()
    deadline = time.monotonic() + 30  # (a hang guard only)
    while not [q for q in _call("GET", f"{base}/_api/query/current")[1] if q["query"] == SLOW_STREAM]:
        assert time.monotonic() < deadline and batch.is_alive(), outcome
        time.sleep(0.01)  # the second batch is running (and holds the lock in the profile case)
    status, busy = _call("POST", f"{base}/_api/cursor/{cid}")
    assert (status, busy.get("errorNum")) == (409, 1601), busy
    status, _ = _call("POST", f"{base}/_api/collection", {"name": "beside"})
    assert status == 200  # served under the lock while the batch runs (in its gaps)
    status, deleted = _call("DELETE", f"{base}/_api/cursor/{cid}")
    assert status == 202, deleted
    assert [q for q in _call("GET", f"{base}/_api/query/current")[1] if q["query"] == SLOW_STREAM]
    batch.join()
    assert outcome and outcome[0][1].get("errorNum") == 1500, outcome  # ended by its maxRuntime
    status, gone = _call("POST", f"{base}/_api/cursor/{cid}")
    assert (status, gone.get("errorNum")) == (404, 1600), gone
