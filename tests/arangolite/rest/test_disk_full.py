"""A data directory that cannot grow: every write gets ArangoDB's 1104 and changes nothing.

The disk is made full for real, at the operating system boundary: the file size limit
(``ulimit -f``, ``EFBIG`` on write, which any user may set) of the serving process, and, when the
tests run as root, a small tmpfs filled to the last byte (``ENOSPC``). Each write kind is tried
through python-arango, over the loopback server and on the in-process client, and checked
afterwards through the API (nothing changed) and after the space is freed (writes work again).
Reopening the directory shows exactly the acknowledged state.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from arango import ArangoClient

from arangolite.client import InProcessHTTPClient
from arangolite.storage.engine import Engine
from tests.arangolite.rest import disk_full_scenario

_SCENARIO = Path(disk_full_scenario.__file__)


def _check(outcomes: list[dict[str, Any]], cause: str) -> None:
    *failed, after = outcomes
    for outcome in failed:
        assert outcome["errorNum"] == 1104, outcome
        assert outcome["http"] == 500, outcome
        assert cause in outcome["message"] and "nothing was written" in outcome["message"], outcome
        assert outcome["unchanged"], outcome
    assert after == {"write": "after", "stored": True}


def _reopened(data: Path) -> tuple[list[str], int, list[str]]:
    engine = Engine(str(data))
    try:
        client = ArangoClient(hosts="http://reopened.invalid", http_client=InProcessHTTPClient(engine=engine))
        db = client.db("_system", username="root", password="")
        return sorted(db.databases()), db.collection("c").count(), sorted(g["name"] for g in db.graphs())
    finally:
        engine.close()


@contextlib.contextmanager
def _served(data: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "arangolite.server", "--port", "0", "--data", str(data)],
        stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGXFSZ, signal.SIG_IGN),
    )
    try:
        assert proc.stderr is not None
        port = int(re.search(r":(\d+)", proc.stderr.readline()).group(1))  # type: ignore[union-attr]
        yield proc, f"http://127.0.0.1:{port}"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def test_file_size_limit_over_the_loopback_server(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with _served(data) as (proc, url):
        hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]

        def fill(on: bool) -> None:
            resource.prlimit(proc.pid, resource.RLIMIT_FSIZE, (1024 if on else hard, hard))

        db = ArangoClient(hosts=url).db("_system", username="root", password="")
        _check(disk_full_scenario.run(db, fill), "file size limit (ulimit -f")
    assert _reopened(data) == (["_system", "d2"], 21, ["g"])


def test_file_size_limit_in_process(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = subprocess.run(
        [sys.executable, str(_SCENARIO), str(data)], capture_output=True, text=True, timeout=120,
        cwd=Path(__file__).parents[3],
    )
    assert done.returncode == 0, done.stderr
    _check(json.loads(done.stdout), "file size limit (ulimit -f")
    assert _reopened(data) == (["_system", "d2"], 21, ["g"])


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs (root only; skipped elsewhere)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _filler(mount: Path) -> Callable[[bool], None]:
    path = mount / "filler"

    def fill(on: bool) -> None:
        if not on:
            path.unlink()
            return
        with open(path, "wb", buffering=0) as out, contextlib.suppress(OSError):
            while True:
                out.write(b"\0" * 4096)

    return fill


def test_full_disk_over_the_loopback_server(small_disk: Path) -> None:
    data = small_disk / "data"
    with _served(data) as (_, url):
        db = ArangoClient(hosts=url).db("_system", username="root", password="")
        _check(disk_full_scenario.run(db, _filler(small_disk)), "is full (0 bytes left)")
    assert _reopened(data) == (["_system", "d2"], 21, ["g"])
