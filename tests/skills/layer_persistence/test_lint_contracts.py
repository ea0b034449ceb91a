"""lint.py's import-linter adapter: every broken chain reported, whatever the names' length."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from conftest import SCRIPTS

LINT = SCRIPTS / "lint.py"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

_CONTRACTS = """[importlinter]
root_packages =
    nomarr

[importlinter:contract:persistence-below-services]
name = Persistence imports no services
type = forbidden
source_modules =
    nomarr.persistence
forbidden_modules =
    nomarr.services

[importlinter:contract:helpers-at-the-bottom]
name = Helpers import nothing above them
type = forbidden
source_modules =
    nomarr.helpers
forbidden_modules =
    nomarr.persistence
    nomarr.services
    nomarr.workflows

[importlinter:contract:workflows-independent]
name = Workflows and components are independent
type = independence
modules =
    nomarr.workflows
    nomarr.components
"""


def long_name(prefix: str) -> str:
    """A module name far past 80 columns once dotted (lint-imports wraps such chains)."""
    return f"{prefix}_{uuid.uuid4().hex}_with_a_really_quite_extraordinarily_long_descriptive_name"


def write(root: Path, module: str, text: str) -> None:
    file = root / Path(*module.split(".")).with_suffix(".py")
    file.parent.mkdir(parents=True, exist_ok=True)
    for parent in file.relative_to(root).parents:
        if parent != Path("."):
            (root / parent / "__init__.py").touch()
    file.write_text(text)


@pytest.fixture
def broken_tree(tmp_path: Path) -> Path:
    """Three contracts broken at once, direct and indirect chains, all with long names."""
    persistence = f"nomarr.persistence.{long_name('persistence')}"
    service = f"nomarr.services.{long_name('service')}"
    helper = f"nomarr.helpers.{long_name('helper')}"
    workflow = f"nomarr.workflows.{long_name('workflow')}"
    component = f"nomarr.components.{long_name('component')}"
    write(tmp_path, service, "VALUE = 1\n")
    write(tmp_path, persistence, f'"""P."""\n\nimport {service}\n')
    write(tmp_path, helper, f'"""H."""\n\nimport {persistence}\nimport {workflow}\n')
    write(tmp_path, workflow, f"import {service}\nimport {component}\n")
    write(tmp_path, component, "import os\n")
    (tmp_path / ".importlinter").write_text(_CONTRACTS)
    return tmp_path


def own_count(tree: Path) -> tuple[int, int]:
    """Return lint-imports' own (broken contracts, illegal chains) from its rendered report."""
    proc = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    summary = re.search(r"Contracts: (\d+) kept, (\d+) broken\.", proc.stdout)
    assert summary, proc.stdout + proc.stderr
    chains = len(re.findall(r"^-\s", proc.stdout, re.MULTILINE))
    return int(summary.group(2)), chains


def lint_findings(tree: Path, *args: str) -> list[dict[str, object]]:
    proc = subprocess.run(
        [
            sys.executable,
            str(LINT),
            "--root",
            str(tree),
            "--tools",
            "lint-imports",
            "--format",
            "json",
            *args,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    findings: list[dict[str, object]] = json.loads(proc.stdout)["findings"]
    return findings


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
def test_every_chain_lint_imports_renders_is_a_finding(broken_tree: Path) -> None:
    broken, chains = own_count(broken_tree)
    findings = lint_findings(broken_tree, "--path", "nomarr")
    assert broken == 3
    assert chains >= 5
    assert len(findings) == chains
    assert {f["code"] for f in findings} == {
        "persistence-below-services",
        "helpers-at-the-bottom",
        "workflows-independent",
    }
    assert all(str(f["path"]).endswith(".py") and int(str(f["line"])) > 0 for f in findings)


def test_default_paths_keep_contract_findings_outside_them(broken_tree: Path) -> None:
    findings = lint_findings(broken_tree)  # default paths: nomarr/persistence, nomarr/helpers
    assert any(str(f["path"]).startswith("nomarr/workflows/") for f in findings)


def test_path_narrows_contract_findings(broken_tree: Path) -> None:
    findings = lint_findings(broken_tree, "--path", "nomarr/persistence")
    assert findings and all(str(f["path"]).startswith("nomarr/persistence/") for f in findings)
