"""End-to-end fixtures: the installed ``nomarr`` console script, run in a subprocess.

Every test gets its own embedded data directory (``NOMARR_DATA_DIR`` under ``tmp_path``) and
its own generated library of real, tagged audio files; no server variable leaks in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from nomarr.components.demo import GeneratedLibrary, generate_library

NOMARR = Path(sys.executable).parent / "nomarr"
_SCRUBBED = ("ARANGO_HOST", "ARANGO_USERNAME", "ARANGO_PASSWORD", "ARANGO_DB", "NOMARR_DATA_DIR", "NOMARR_STALE_AFTER")


@dataclass
class Result:
    """A finished ``nomarr`` run."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        assert self.code == 0 and self.out, f"exit {self.code}, stderr: {self.err}"
        return json.loads(self.out)


class Nomarr:
    """Runs the installed console script with a fixed environment."""

    def __init__(self, data_dir: Path, env: dict[str, str]) -> None:
        self.data_dir = data_dir
        self.env = env

    def __call__(self, *args: str, timeout: float = 60, **env: str) -> Result:
        done = subprocess.run(
            [str(NOMARR), *args], capture_output=True, text=True, timeout=timeout, env={**self.env, **env}
        )
        return Result(done.returncode, done.stdout, done.stderr)

    def popen(self, *args: str, **env: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(NOMARR), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**self.env, **env},
        )  # fmt: skip

    def with_data_dir(self, data_dir: Path) -> Nomarr:
        return Nomarr(data_dir, {**self.env, "NOMARR_DATA_DIR": str(data_dir)})


@pytest.fixture(scope="session", autouse=True)
def _installed() -> None:
    if not NOMARR.exists():
        pytest.fail(f"the nomarr console script is not installed at {NOMARR}: pip install -e .")


@pytest.fixture
def nomarr(tmp_path: Path) -> Nomarr:
    """The CLI on a fresh embedded data directory of this test."""
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    env.update(NOMARR_DATA_DIR=str(tmp_path / "data"), COLUMNS="200")
    return Nomarr(tmp_path / "data", env)


@pytest.fixture
def music(tmp_path: Path) -> GeneratedLibrary:
    """The demo library (a dozen tagged files in four formats plus one broken file)."""
    return generate_library(tmp_path / "music")


@pytest.fixture
def one_line_error() -> Callable[[Result], str]:
    """Check a failed run printed exactly one line on stderr, without a traceback; return it."""

    def check(result: Result) -> str:
        lines = result.err.strip().splitlines()
        assert len(lines) == 1, result.err
        assert "Traceback" not in result.err
        assert lines[0].startswith("nomarr: error: ")
        return lines[0]

    return check
