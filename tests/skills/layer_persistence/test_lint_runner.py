"""lint.py end to end: real tools on small fixture trees, no mocks."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, SCRIPTS

LINT = SCRIPTS / "lint.py"
TREES = FIXTURES / "lint"
TOOLS = ("ruff", "mypy", "vulture", "bandit", "radon", "lint-imports", "check_naming")


def run_lint(
    tree: Path, *args: str, python: str = sys.executable, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [python, str(LINT), *args],
        cwd=tree,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def snapshot(tree: Path) -> dict[str, str]:
    return {
        p.relative_to(tree).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(tree.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_clean_tree_exits_0_and_times_every_tool() -> None:
    proc = run_lint(TREES / "clean", "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert report["findings"] == []
    assert [t["tool"] for t in report["tools"]] == list(TOOLS)
    assert all(t["error"] is None and t["seconds"] > 0 for t in report["tools"])
    assert report["tool_seconds"] >= report["wall_seconds"] > 0


def test_findings_tree_exits_1_with_a_finding_from_every_tool() -> None:
    before = snapshot(TREES / "findings")
    proc = run_lint(TREES / "findings", "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert {f["tool"] for f in report["findings"]} == set(TOOLS)
    assert all(f["path"].startswith("nomarr/") for f in report["findings"])
    assert snapshot(TREES / "findings") == before, "lint.py must never modify files"


def test_text_report_has_lines_table_and_timing() -> None:
    proc = run_lint(TREES / "findings", "--tools", "ruff,check_naming")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert any(":3:8: F401 " in line and line.endswith("[ruff]") for line in lines)
    assert any(" NMR002 " in line for line in lines)
    assert lines[-1].startswith("wall time ") and "sum of tool times" in lines[-1]


def test_unparsable_file_is_a_tool_error_never_clean() -> None:
    proc = run_lint(TREES / "broken", "--format", "json")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    failed = {t["tool"] for t in report["tools"] if t["error"]}
    assert failed >= {"ruff", "mypy", "vulture", "bandit", "radon", "lint-imports"}


def run_without_site_packages(*args: str) -> subprocess.CompletedProcess[str]:
    """Run lint.py with an interpreter that sees no installed package (``python -S``)."""
    return subprocess.run(
        [os.path.realpath(sys.executable), "-S", str(LINT), *args],
        cwd=TREES / "clean",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_missing_tools_are_reported_with_the_install_command() -> None:
    proc = run_without_site_packages("--tools", "ruff,mypy")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "TOOL ERROR ruff" in proc.stdout and "TOOL ERROR mypy" in proc.stdout
    assert "pip install -e '.[dev]'" in proc.stdout
    assert "-m pip install 'ruff'" in proc.stdout


def test_bad_threshold_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "nomarr").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.nomarr.lint]\nradon_max_grade = "Z"\n')
    proc = run_lint(tmp_path, "--path", "nomarr")
    assert proc.returncode == 2 and "radon_max_grade" in proc.stderr


@pytest.mark.parametrize("args", [["--tools", "pylint"], ["--path", "no/such/dir"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    proc = run_lint(TREES / "clean", *args)
    assert proc.returncode == 2 and proc.stderr.startswith("error:")


def test_tools_run_with_the_interpreter_of_lint_py_not_path(tmp_path: Path) -> None:
    """Impostors first on PATH would fail every tool; the venv's modules must be used instead."""
    bogus = tmp_path / "bin"
    bogus.mkdir()
    for name in ("python", "python3", "ruff", "mypy", "vulture", "bandit", "radon", "lint-imports"):
        script = bogus / name
        script.write_text("#!/bin/sh\necho impostor >&2\nexit 3\n")
        script.chmod(0o755)
    env = {**os.environ, "PATH": f"{bogus}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = run_lint(TREES / "clean", "--format", "json", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "impostor" not in proc.stdout


def test_missing_tool_names_its_pip_package() -> None:
    proc = run_without_site_packages("--tools", "lint-imports")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "-m pip install 'import-linter'" in proc.stdout
