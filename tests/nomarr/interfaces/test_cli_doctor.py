"""``nomarr doctor`` end to end: a healthy embedded setup, and problems with their fixes."""

from __future__ import annotations

from pathlib import Path


def test_doctor_on_a_fresh_data_dir(nomarr) -> None:
    result = nomarr("doctor")
    assert result.code == 0, result.out + result.err
    assert f"embedded arangolite in {nomarr.data_dir}" in result.out
    assert "schema version 1 (current)" in result.out and "No problems found." in result.out
    checks = {c["name"]: c["status"] for c in nomarr("doctor", "--json").json()["checks"]}
    assert checks == {"nomarr": "ok", "backend": "ok", "connection": "ok", "schema": "ok", "workers": "ok", "tag forms": "ok", "tags": "ok"}


def test_doctor_reports_an_unreachable_server_with_the_fix(nomarr) -> None:
    result = nomarr("doctor", "--json", ARANGO_HOST="http://127.0.0.1:9")
    assert result.code == 1
    data = __import__("json").loads(result.out)
    connection = next(c for c in data["checks"] if c["name"] == "connection")
    assert connection["status"] == "problem" and "docker compose up -d" in connection["fix"]
    assert data["backend"] == {"kind": "server", "location": "http://127.0.0.1:9", "database": "nomarr", "username": "root"}


def test_doctor_reports_a_foreign_data_dir(nomarr, tmp_path: Path) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    result = nomarr("--data-dir", str(foreign), "doctor")
    assert result.code == 1
    assert "embedded data directory unusable" in result.out and "--data-dir" in result.out
    assert "problem" in result.err


def test_doctor_reports_a_bad_setting(nomarr) -> None:
    result = nomarr("doctor", NOMARR_STALE_AFTER="soon")
    assert result.code == 1 and "NOMARR_STALE_AFTER" in result.out
