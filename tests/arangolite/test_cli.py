"""``arangolite serve`` as a process: options, refusals, concurrent clients, SIGTERM during writes."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

from arango.client import ArangoClient

from tests.arangolite.acknowledged_writes import stop_during_writes_keeps_acknowledged


def _start(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "arangolite", "serve", "--port", "0", *args],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()
    found = re.search(r"listening on (http://\S+)", line)
    assert found, line
    return proc, found.group(1)


def test_port_taken_is_one_clear_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "arangolite", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_other_addresses_need_authentication() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "arangolite", "serve", "--host", "0.0.0.0", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "without authentication" in result.stderr


def test_concurrent_clients_over_sockets() -> None:
    proc, url = _start("--root-password", "pw")
    try:
        sys_db = ArangoClient(hosts=url).db("_system", "root", "pw")
        sys_db.create_collection("c")

        def client(n: int) -> None:
            col = ArangoClient(hosts=url).db("_system", "root", "pw").collection("c")
            for i in range(25):
                col.insert({"_key": f"{n}-{i}"})

        threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sys_db.collection("c").count() == 200
    finally:
        proc.terminate()
        assert proc.wait(30) == 0


def test_sigterm_during_writes_keeps_every_acknowledged_write(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc, url = _start("--data", str(data))

    def stop() -> None:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0

    stop_during_writes_keeps_acknowledged(url, data, stop)
