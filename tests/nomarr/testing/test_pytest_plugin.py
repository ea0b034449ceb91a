"""nomarr's pytest plugin, run the way a project using nomarr runs it: pytest in a subprocess.

The "server" is arangolite served over HTTP on loopback (a real ArangoDB when the suite itself
gets ``--arango-url``), so ``--arango-url`` makes one run cover both backends.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

USER_TESTS = '''
from nomarr.helpers.dto import LibraryCreate

def test_each(nomarr_each_db, nomarr_backend):
    nomarr_each_db.libraries.create(LibraryCreate(name="a", root_path="/a"))
    assert [lib.name for lib in nomarr_each_db.libraries.list()] == ["a"]
    print("BACKEND", nomarr_backend, nomarr_each_db.connection.settings.host)

def test_fresh_per_test(nomarr_db):
    assert nomarr_db.libraries.list() == []

def test_embedded(nomarr_embedded_db):
    assert nomarr_embedded_db.connection.settings.host is None

def test_server(nomarr_server_db):
    assert nomarr_server_db.connection.settings.host
'''


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_user.py").write_text(USER_TESTS)
    command = [sys.executable, "-m", "pytest", "-p", "nomarr.testing.pytest_plugin", "-p", "no:cacheprovider", "-rs", "-s", *args, str(tmp_path)]
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)


def test_without_a_url_only_the_embedded_backend_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOMARR_TEST_ARANGO_URL", raising=False)
    done = _run(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed, 1 skipped" in done.stdout and "--arango-url" in done.stdout
    assert "BACKEND embedded None" in done.stdout and "BACKEND server" not in done.stdout


def test_with_a_url_one_run_covers_both_backends(tmp_path: Path, loopback_url: str) -> None:
    done = _run(tmp_path, "--arango-url", loopback_url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 passed" in done.stdout
    assert "BACKEND embedded None" in done.stdout and f"BACKEND server {loopback_url}" in done.stdout
