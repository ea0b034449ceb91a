"""check_naming.py as a program: output format, JSON, exit codes, rule docs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO_ROOT, SCRIPTS, expected_findings

CHECK = SCRIPTS / "check_naming.py"


def run_check(*args: str, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECK), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_text_output_is_path_line_col_code_message() -> None:
    proc = run_check("--path", str(FIXTURES / "NMR002"))
    assert proc.returncode == 1
    first = proc.stdout.splitlines()[0]
    assert first.endswith(
        ": NMR002 class `LibraryFilesAQL` in a database module does not end in `Operations`"
    )
    assert first.split(":")[-4].endswith("library_files_aql.py") or ":17:1:" in first


def test_json_output_lists_the_same_findings() -> None:
    root = FIXTURES / "NMR003"
    proc = run_check("--path", str(root), "--format", "json")
    assert proc.returncode == 1
    document = json.loads(proc.stdout)
    assert document["count"] == len(document["findings"])
    prefix = str(root) + "/"
    got = sorted(
        (f["path"].removeprefix(prefix), f["line"], f["code"]) for f in document["findings"]
    )
    assert got == sorted(expected_findings(root).elements())
    assert all(f["hint"] and f["tool"] == "check_naming" for f in document["findings"])


def test_clean_tree_exits_0(tmp_path: Path) -> None:
    (tmp_path / "nomarr" / "persistence").mkdir(parents=True)
    (tmp_path / "nomarr" / "persistence" / "db.py").write_text('"""Nothing wrong."""\n')
    proc = run_check("--path", str(tmp_path))
    assert proc.returncode == 0 and proc.stdout.startswith("0 findings")


def test_select_limits_the_rules() -> None:
    proc = run_check("--path", str(FIXTURES / "NMR001"), "--select", "NMR013")
    assert proc.returncode == 1
    assert {line.split()[1] for line in proc.stdout.splitlines()[:-1]} == {"NMR013"}


@pytest.mark.parametrize(
    "args",
    [
        ["--path", "/no/such/tree"],
        ["--format", "xml"],
        ["--select", "NMR999"],
        ["--explain", "NMR999"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run_check(*args).returncode == 2


def test_explain_prints_what_why_example_instead() -> None:
    proc = run_check("--explain", "nmr009")
    assert proc.returncode == 0
    for part in ("NMR009 bind-vars-mismatch", "Why:", "Flagged:", "Instead:", "Fix:"):
        assert part in proc.stdout


def test_list_rules_names_every_code() -> None:
    proc = run_check("--list-rules")
    assert [line.split()[0] for line in proc.stdout.splitlines()] == [
        f"NMR{n:03d}" for n in range(16)
    ]


def test_runs_from_the_repository_root_without_arguments() -> None:
    proc = run_check()
    assert proc.returncode in (0, 1), proc.stderr


def test_file_arguments_limit_the_report_as_pre_commit_passes_them() -> None:
    root = FIXTURES / "NMR007"
    proc = run_check("--path", str(root), "nomarr/services/report.py")
    assert proc.returncode == 1
    reported = {line.split(":")[0] for line in proc.stdout.splitlines()[:-1]}
    assert reported == {str(root / "nomarr/services/report.py")}
    assert proc.stdout.splitlines()[-1] == "1 finding in 1 modules"


def test_pre_commit_hook_points_at_an_executable_script() -> None:
    yaml = pytest.importorskip("yaml")
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "nomarr-check-naming" and hook["language"] == "script"
    script = REPO_ROOT / hook["entry"]
    assert script == CHECK and os.access(script, os.X_OK)
    assert script.read_text().startswith("#!/usr/bin/env python3")
