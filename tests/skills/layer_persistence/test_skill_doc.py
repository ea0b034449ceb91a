"""SKILL.md is executable: its Python blocks type-check and do what their labels claim.

Every ```python block starts with a label line::

    # check_naming: good <path in the tree>
    # check_naming: bad <CODE> [<CODE> ...] <path in the tree>

All blocks together are type-checked with ``mypy --strict`` (imports of nomarr resolve to the
real package). Each block is then written at its path into a tree holding the real schema
module, and check_naming must report exactly the labelled codes in it (none for ``good``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO_ROOT
from layerlint.naming.engine import check

SKILL = REPO_ROOT / ".github" / "skills" / "layer-persistence" / "SKILL.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
_LABEL = re.compile(r"# check_naming: (?P<kind>good|bad)(?P<codes>(?: NMR\d{3})*) (?P<path>\S+)\n")


def blocks() -> list[tuple[str, list[str], str, str]]:
    """Return (kind, codes, path, source) for every Python block of SKILL.md."""
    found = []
    for match in _BLOCK.finditer(SKILL.read_text(encoding="utf-8")):
        text = match.group(1)
        label = _LABEL.match(text)
        assert label, f"SKILL.md block without a `# check_naming:` label:\n{text[:200]}"
        found.append((label["kind"], label["codes"].split(), label["path"], text))
    return found


BLOCKS = blocks()


def test_skill_has_good_and_bad_examples() -> None:
    kinds = Counter(kind for kind, _, _, _ in BLOCKS)
    assert kinds["good"] >= 3 and kinds["bad"] >= 3


def test_every_block_type_checks_with_mypy_strict(tmp_path: Path) -> None:
    files = []
    for number, (_, _, _, text) in enumerate(BLOCKS):
        file = tmp_path / f"skill_block_{number}.py"
        file.write_text(text, encoding="utf-8")
        files.append(str(file))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--follow-imports=silent",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / "cache"),
            *files,
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("kind", "codes", "path", "text"), BLOCKS, ids=[f"{b[0]}-{i}" for i, b in enumerate(BLOCKS)]
)
def test_block_gets_exactly_its_labelled_findings(
    tmp_path: Path, kind: str, codes: list[str], path: str, text: str
) -> None:
    schema = tmp_path / "nomarr" / "persistence" / "schema.py"
    schema.parent.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "nomarr" / "persistence" / "schema.py", schema)
    target = tmp_path / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    result = check(tmp_path)
    got = sorted(f.code for f in result.findings if f.path == path)
    assert got == sorted(codes), [f"{f.location()}: {f.code} {f.message}" for f in result.findings]
    assert all(f.path == path for f in result.findings), "findings outside the block's module"
