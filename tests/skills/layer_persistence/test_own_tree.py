"""The repository's own tree passes its own rules and contracts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT
from layerlint.naming.engine import check


def test_check_naming_finds_nothing_in_the_repository() -> None:
    result = check(REPO_ROOT)
    assert result.files_checked > 0
    assert [f"{f.location()}: {f.code} {f.message}" for f in result.findings] == []


def test_import_contracts_hold() -> None:
    program = Path(sys.executable).parent / "lint-imports"
    if not program.exists() and shutil.which("lint-imports") is None:
        pytest.skip("import-linter is not installed")
    exe = str(program) if program.exists() else "lint-imports"
    proc = subprocess.run(
        [exe, "--no-cache", "--no-logo"], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
