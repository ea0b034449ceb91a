"""``arangolite serve --workers N`` over real sockets: whichever worker a connection reaches,
cursors, stream transactions, async jobs, running queries, the query results cache and users
behave as in one server; SIGTERM loses nothing acknowledged; a dead worker is started again."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from arango.client import ArangoClient

from tests.arangolite.acknowledged_writes import stop_during_writes_keeps_acknowledged

_AUTH = ("root", "pw")


def _start(*args: str, log: Path | None = None) -> tuple[subprocess.Popen[str], str]:
    err = open(log, "w") if log is not None else subprocess.PIPE  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "arangolite", "serve", "--port", "0", *args],
        stderr=err, text=True,
    )
    if log is None:
        assert proc.stderr is not None
        line = proc.stderr.readline()
    else:
        line = ""
        while "listening on" not in line and proc.poll() is None:
            time.sleep(0.05)
            line = log.read_text()
    found = re.search(r"listening on (http://\S+)", line)
    assert found, line
    return proc, found.group(1)


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(60) == 0


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("workers") / "data"
    proc, address = _start("--data", str(data), "--workers", "3", "--root-password", "pw")
    try:
        yield address
    finally:
        _stop(proc)


def _pid(session: requests.Session, url: str) -> int:
    answer = session.get(f"{url}/_admin/status", auth=_AUTH)
    assert answer.status_code == 200
    return int(answer.json()["pid"])


def _sessions(url: str, count: int) -> list[requests.Session]:
    """``count`` kept-alive connections, each served by a different worker process."""
    found: dict[int, requests.Session] = {}
    for _ in range(500):
        session = requests.Session()
        session.auth = _AUTH
        pid = _pid(session, url)
        if pid in found:
            session.close()
        else:
            found[pid] = session
        if len(found) == count:
            return list(found.values())
    raise AssertionError(f"new connections reached only {len(found)} workers")


def _call(session: requests.Session, method: str, url: str, **kw: Any) -> requests.Response:
    return session.request(method, url, **kw)


def test_workers_need_a_data_directory() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "arangolite", "serve", "--port", "0", "--workers", "2"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "--workers 2 needs --data" in result.stderr


def test_cursor_read_across_workers(url: str) -> None:
    db = ArangoClient(hosts=url).db("_system", *_AUTH)
    db.create_collection("cur")
    db.collection("cur").insert_many([{"_key": str(i), "v": i} for i in range(95)])
    a, b, c = _sessions(url, 3)
    first = a.post(f"{url}/_api/cursor", json={"query": "FOR d IN cur SORT d.v RETURN d.v",
                                               "batchSize": 10, "count": True}).json()
    cid, rows = first["id"], list(first["result"])
    assert first["count"] == 95
    turn = 0
    while True:
        session = (b, c, a)[turn % 3]
        turn += 1
        page = session.post(f"{url}/_api/cursor/{cid}").json()
        assert page["error"] is False, page
        rows.extend(page["result"])
        if not page["hasMore"]:
            break
    assert rows == list(range(95))
    # a second cursor deleted from another worker is gone everywhere
    second = a.post(f"{url}/_api/cursor", json={"query": "FOR d IN cur RETURN d", "batchSize": 5})
    other = second.json()["id"]
    assert b.delete(f"{url}/_api/cursor/{other}").status_code == 202
    assert c.post(f"{url}/_api/cursor/{other}").json()["errorNum"] == 1600
    # fresh connections for every batch, as python-arango's clients each make their own
    cursor = db.aql.execute("FOR d IN cur RETURN d.v", batch_size=7)
    total = list(cursor.batch())
    while cursor.has_more():
        fresh = requests.post(f"{url}/_api/cursor/{cursor.id}", auth=_AUTH,
                              headers={"Connection": "close"}).json()
        total.extend(fresh["result"])
        if not fresh["hasMore"]:
            break
    assert sorted(total) == list(range(95))


def test_stream_transaction_across_workers(url: str) -> None:
    db = ArangoClient(hosts=url).db("_system", *_AUTH)
    db.create_collection("trx")
    a, b, c = _sessions(url, 3)
    begun = a.post(f"{url}/_api/transaction/begin", json={"collections": {"write": ["trx"]}})
    tid = begun.json()["result"]["id"]
    header = {"x-arango-trx-id": tid}
    assert b.post(f"{url}/_api/document/trx", json={"_key": "k", "v": 1},
                  headers=header).status_code in (201, 202)
    assert c.post(f"{url}/_api/document/trx", json={"_key": "l", "v": 2},
                  headers=header).status_code in (201, 202)
    inside = a.get(f"{url}/_api/document/trx/l", headers=header)
    assert inside.status_code == 200
    assert c.get(f"{url}/_api/document/trx/k").status_code == 404  # not committed yet
    assert b.get(f"{url}/_api/transaction/{tid}").json()["result"]["status"] == "running"
    committed = c.put(f"{url}/_api/transaction/{tid}")
    assert committed.json()["result"]["status"] == "committed"
    for session in (a, b, c):
        assert session.get(f"{url}/_api/document/trx/k").json()["v"] == 1
    assert a.get(f"{url}/_api/transaction/{tid}").json()["result"]["status"] == "committed"


def test_async_job_fetched_from_another_worker(url: str) -> None:
    a, b = _sessions(url, 2)
    started = a.get(f"{url}/_api/version", headers={"x-arango-async": "store"})
    assert started.status_code == 202
    job = started.headers["x-arango-async-id"]
    for _ in range(400):
        if b.get(f"{url}/_api/job/{job}").status_code == 200:
            break
        time.sleep(0.05)
    assert job in b.get(f"{url}/_api/job/done").json()  # gathered from every worker
    fetched = b.put(f"{url}/_api/job/{job}")
    assert fetched.status_code == 200 and fetched.json()["server"] == "arango"
    assert fetched.headers["x-arango-async-id"] == job
    assert a.put(f"{url}/_api/job/{job}").status_code == 404  # fetched once


def test_query_killed_from_another_worker(url: str) -> None:
    a, b = _sessions(url, 2)
    answer: dict[str, Any] = {}
    text = "FOR i IN 1..600 LET s = SLEEP(0.1) RETURN i"

    def run() -> None:
        answer["body"] = a.post(f"{url}/_api/cursor", json={"query": text}).json()

    thread = threading.Thread(target=run)
    thread.start()
    running: list[dict[str, Any]] = []
    for _ in range(400):
        running = [q for q in b.get(f"{url}/_api/query/current").json() if q["query"] == text]
        if running:
            break
        time.sleep(0.05)
    assert running, "the query never showed in the gathered /_api/query/current"
    killed = b.delete(f"{url}/_api/query/{running[0]['id']}")
    assert killed.status_code == 200, killed.text
    thread.join(60)
    assert answer["body"]["errorNum"] == 1500


def test_cached_read_on_another_worker_sees_the_write(url: str) -> None:
    a, b = _sessions(url, 2)
    a.post(f"{url}/_api/collection", json={"name": "cache"})
    a.post(f"{url}/_api/document/cache", json={"_key": "k", "v": 1})
    mode = a.put(f"{url}/_api/query-cache/properties", json={"mode": "on"})
    assert mode.json()["mode"] == "on"
    assert b.get(f"{url}/_api/query-cache/properties").json()["mode"] == "on"  # every worker
    query = {"query": "FOR d IN cache RETURN d.v"}
    for session in (a, b, a, b):
        session.post(f"{url}/_api/cursor", json=query)
    cached = b.post(f"{url}/_api/cursor", json=query).json()
    assert cached["cached"] is True and cached["result"] == [1]
    a.patch(f"{url}/_api/document/cache/k", json={"v": 2})
    after = b.post(f"{url}/_api/cursor", json=query).json()
    assert after["result"] == [2]
    a.put(f"{url}/_api/query-cache/properties", json={"mode": "off"})


def test_users_and_grants_count_in_every_worker(url: str) -> None:
    a, b = _sessions(url, 2)
    made = a.post(f"{url}/_api/user", json={"user": "ann", "passwd": "secret"})
    assert made.status_code == 201
    granted = b.put(f"{url}/_api/user/ann/database/_system", json={"grant": "ro"})
    assert granted.status_code == 200
    for _ in range(20):  # fresh connections reach every worker
        answer = requests.get(f"{url}/_api/version", auth=("ann", "secret"),
                              headers={"Connection": "close"})
        assert answer.status_code == 200
    assert b.patch(f"{url}/_api/user/ann", json={"passwd": "other"}).status_code == 200
    for _ in range(20):
        answer = requests.get(f"{url}/_api/version", auth=("ann", "secret"),
                              headers={"Connection": "close"})
        assert answer.status_code == 401
    jwt = a.post(f"{url}/_open/auth", json={"username": "ann", "password": "other"}).json()["jwt"]
    for _ in range(20):  # one JWT secret for every worker
        answer = requests.get(f"{url}/_api/version", headers={
            "Authorization": f"bearer {jwt}", "Connection": "close"})
        assert answer.status_code == 200


def test_sigterm_during_writes_keeps_every_acknowledged_write(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc, url = _start("--data", str(data), "--workers", "2")
    stop_during_writes_keeps_acknowledged(url, data, lambda: _stop(proc), new_connections=True)


def test_a_dead_worker_is_reported_and_started_again(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    proc, url = _start("--data", str(tmp_path / "data"), "--workers", "2", log=log)
    try:
        ArangoClient(hosts=url).db("_system").create_collection("c")
        doomed, other = _sessions(url, 2)
        victim = _pid(doomed, url)
        made = doomed.post(f"{url}/_api/cursor", json={"query": "FOR i IN 1..10 RETURN i",
                                                       "batchSize": 2}).json()
        subprocess.run(["kill", "-9", str(victim)], check=True)
        gone = other.post(f"{url}/_api/cursor/{made['id']}").json()
        # the owner is unreachable (503), or already started again without the cursor (1600)
        assert gone["error"] is True and gone["errorNum"] in (503, 1600), gone
        assert other.get(f"{url}/_api/job/pending").status_code == 200  # the rest still lists
        for _ in range(400):
            if "starting it again" in log.read_text():
                break
            time.sleep(0.05)
        assert f"(pid {victim}) exited with status -9; starting it again" in log.read_text()
        pids: set[int] = set()
        for _ in range(400):  # until the new worker serves too
            pids.add(_pid(requests.Session(), url))
            if len(pids) == 2:
                break
            time.sleep(0.05)
        assert victim not in pids and len(pids) == 2
    finally:
        _stop(proc)


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state  # a zombie has exited


def test_workers_stop_when_the_parent_is_killed(tmp_path: Path) -> None:
    proc, url = _start("--data", str(tmp_path / "data"), "--workers", "2",
                       log=tmp_path / "server.log")
    pids: list[int] = []
    try:
        pids = [_pid(session, url) for session in _sessions(url, 2)]
        proc.kill()
        proc.wait(30)
        for _ in range(600):
            if not any(_running(pid) for pid in pids):
                break
            time.sleep(0.05)
        assert not any(_running(pid) for pid in pids)
        assert "the parent process is gone; stopping" in (tmp_path / "server.log").read_text()
    finally:
        for pid in pids:
            if _running(pid):
                subprocess.run(["kill", "-9", str(pid)], check=False)
