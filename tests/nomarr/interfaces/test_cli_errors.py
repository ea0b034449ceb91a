"""Errors a user can act on: one line on stderr, exit 2 (usage) or 1 (runtime), no traceback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from nomarr.components.demo import GeneratedLibrary


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    """arangolite served on a loopback port: a real HTTP server, as ARANGO_HOST would name."""
    process = subprocess.Popen(
        [sys.executable, "-m", "arangolite.server", "--port", "0"], stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    assert "listening on" in line, line
    yield line.strip().rsplit(" ", 1)[-1]
    process.terminate()
    process.wait(10)


def test_missing_directory(nomarr, one_line_error) -> None:
    result = nomarr("scan", "/no/such/music")
    assert result.code == 2
    assert one_line_error(result) == "nomarr: error: /no/such/music: no such directory (give the folder holding your music)"


def test_debug_shows_the_traceback(nomarr) -> None:
    result = nomarr("--debug", "find", "--tag", "colour=red")
    assert result.code == 2 and "Traceback" in result.err and "UnknownTagError" in result.err


def test_unknown_file_and_bad_tag_filter(nomarr, one_line_error) -> None:
    unknown = nomarr("tags", "/no/such/file.flac")
    assert unknown.code == 2 and "no such file" in one_line_error(unknown)
    bad = nomarr("find", "--tag", "genre")
    assert bad.code == 2 and "name=value" in one_line_error(bad)
    usage = nomarr("work", "--workers", "0")
    assert usage.code == 2 and "--workers" in one_line_error(usage)


def test_argparse_usage_errors_exit_2(nomarr) -> None:
    result = nomarr("scan")
    assert result.code == 2 and "usage: nomarr scan" in result.err and "Traceback" not in result.err


def test_server_down(nomarr, one_line_error) -> None:
    result = nomarr("status", ARANGO_HOST="http://127.0.0.1:9")
    assert result.code == 1
    line = one_line_error(result)
    assert "database backend unavailable" in line and "http://127.0.0.1:9" in line and "docker compose up -d" in line


def test_status_runs_beside_a_running_work(nomarr, music: GeneratedLibrary) -> None:
    nomarr("scan", str(music.root))
    holder = nomarr.popen("--debug", "work", "--workers", "1", "--tag-delay", "30")
    try:
        assert holder.stderr is not None
        while "claimed" not in holder.stderr.readline():
            pass
        result = nomarr("status")
    finally:
        holder.terminate()  # SIGTERM: stops cleanly like Ctrl-C
        holder.wait(20)
    assert holder.returncode == 143  # SIGTERM
    assert result.code == 0, result.err  # one data directory, two processes


def test_wrong_password(nomarr, one_line_error) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "arangolite.server", "--port", "0", "--root-password", "right"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        url = process.stderr.readline().strip().rsplit(" ", 1)[-1]
        result = nomarr("status", ARANGO_HOST=url, ARANGO_DB="_system", ARANGO_PASSWORD="wrong")
        assert nomarr("status", ARANGO_HOST=url, ARANGO_DB="_system", ARANGO_PASSWORD="right").code == 0
    finally:
        process.terminate()
        process.wait(10)
    assert result.code == 1
    line = one_line_error(result)
    assert "ARANGO_PASSWORD" in line, line


def test_database_missing_on_a_server(nomarr, server_url: str, one_line_error) -> None:
    result = nomarr("status", ARANGO_HOST=server_url, ARANGO_DB="no_such_db")
    assert result.code == 1
    line = one_line_error(result)
    assert "database does not exist" in line and "ARANGO_DB" in line
    assert "ARANGO_DB=_system" in line  # the README's advice for the loopback server
    doctor = nomarr("doctor", ARANGO_HOST=server_url, ARANGO_DB="no_such_db")
    assert doctor.code == 1 and "db._createDatabase(\"no_such_db\")" in doctor.out
    assert "ARANGO_DB=_system" in doctor.out


def test_status_and_doctor_on_a_server(nomarr, server_url: str) -> None:
    env = {"ARANGO_HOST": server_url, "ARANGO_DB": "_system"}
    status = nomarr("status", "--json", **env).json()
    assert status["backend"]["kind"] == "server" and status["backend"]["location"] == server_url
    assert nomarr("doctor", **env).code == 0
