"""The loopback server answers python-arango's default HTTP client."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from arango.client import ArangoClient
from arango.exceptions import DocumentInsertError, ServerConnectionError

from arangolite.server import serve
from arangolite.storage.engine import Engine


@pytest.fixture
def server_url():  # type: ignore[no-untyped-def]
    server = serve(0, None)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    server.engine.close()


def test_default_http_client_round_trip(server_url: str) -> None:
    client = ArangoClient(hosts=server_url)
    sys_db = client.db("_system", username="root", password="", verify=True)
    sys_db.create_database("web")
    db = client.db("web", username="root", password="")
    coll = db.create_collection("c")
    coll.insert_many([{"_key": str(i), "v": i} for i in range(50)])
    assert coll.count() == 50 and coll.get("7")["v"] == 7
    assert coll.has("7") and not coll.has("x")
    with pytest.raises(DocumentInsertError) as info:
        coll.insert({"_key": "7"})
    assert info.value.error_code == 1210
    cursor = db.aql.execute("FOR d IN c FILTER d.v >= 10 RETURN d.v", batch_size=7, count=True)
    assert cursor.count() == 40 and sorted(cursor) == list(range(10, 50))
    trx = db.begin_transaction(write="c")
    trx.collection("c").insert({"_key": "t"})
    assert not coll.has("t")
    trx.commit_transaction()
    assert coll.has("t")
    assert coll.import_bulk([{"_key": "imp"}])["created"] == 1


def test_root_password_is_required_when_set() -> None:
    server = serve(0, None, root_password="s3cret")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        client = ArangoClient(hosts=url)
        with pytest.raises(ServerConnectionError) as info:
            client.db("_system", username="root", password="wrong", verify=True)
        assert "bad username/password" in str(info.value)
        good = client.db("_system", username="root", password="s3cret", verify=True)
        assert "_system" in good.databases()
    finally:
        server.shutdown()
        server.server_close()
        server.engine.close()


def test_binds_loopback_only(server_url: str) -> None:
    assert server_url.startswith("http://127.0.0.1:")


def test_cli_serves_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-m", "arangolite.server", "--port", "0", "--data", str(data)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        port = int(re.search(r":(\d+)", line).group(1))  # type: ignore[union-attr]
        db = ArangoClient(hosts=f"http://127.0.0.1:{port}").db(
            "_system", username="root", password=""
        )
        db.create_collection("persisted").insert({"_key": "k"})
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    engine = Engine(str(data))
    assert "k" in engine.database("_system").collections["persisted"].state
    engine.close()
