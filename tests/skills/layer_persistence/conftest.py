"""Test helpers for the layer-persistence skill scripts.

The scripts are not an installed package: their folder is put on ``sys.path`` so the tests can
import ``layerlint`` the way ``check_naming.py`` and ``lint.py`` do.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = REPO_ROOT / ".github" / "skills" / "layer-persistence" / "scripts"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>[A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)")


def expected_findings(root: Path) -> Counter[tuple[str, int, str]]:
    """Return the ``# expect: CODE[, CODE]`` markers of a fixture tree as (path, line, code)."""
    found: Counter[tuple[str, int, str]] = Counter()
    for file in sorted(root.rglob("*.py")):
        rel = file.relative_to(root).as_posix()
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            match = _EXPECT.search(line)
            if match:
                for code in match["codes"].split(","):
                    found[(rel, number, code.strip())] += 1
    return found


@pytest.fixture(autouse=True, scope="session")
def _cache_outside_the_fixtures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """check_naming run by the tests keeps its cache in a temporary folder, not in fixtures/."""
    before = os.environ.get("NOMARR_LINT_CACHE_DIR")
    os.environ["NOMARR_LINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("check_naming_cache"))
    yield
    if before is None:
        os.environ.pop("NOMARR_LINT_CACHE_DIR", None)
    else:
        os.environ["NOMARR_LINT_CACHE_DIR"] = before
