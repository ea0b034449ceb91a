"""End-to-end fixtures: the installed ``nomarr`` console script, run in a subprocess.

Every test gets its own embedded data directory (``NOMARR_DATA_DIR`` under ``tmp_path``) and
its own generated library of real, tagged audio files; no server variable leaks in.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
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


def _default_signals() -> None:
    """In the child: Ctrl-C as in a terminal, even when the tests run in a background job that
    ignores SIGINT (an ignored signal is inherited, and Python then never raises KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Nomarr:
    """Runs the installed console script with a fixed environment; every child is killed at the end."""

    def __init__(self, data_dir: Path, env: dict[str, str], children: list[subprocess.Popen[str]] | None = None) -> None:
        self.data_dir = data_dir
        self.env = env
        self.children: list[subprocess.Popen[str]] = [] if children is None else children

    def __call__(self, *args: str, timeout: float = 60, **env: str) -> Result:
        process = self.popen(*args, **env)
        try:
            out, err = process.communicate(timeout=timeout)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        return Result(process.returncode, out, err)

    def popen(self, *args: str, **env: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [str(NOMARR), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**self.env, **env}, preexec_fn=_default_signals,  # noqa: PLW1509 - signal reset only
        )  # fmt: skip
        self.children.append(process)
        return process

    def kill_all(self) -> None:
        """Kill every child still running (a failed or timed-out test leaves none behind)."""
        for process in self.children:
            if process.poll() is None:
                process.kill()
                process.wait(10)

    def with_data_dir(self, data_dir: Path) -> Nomarr:
        return Nomarr(data_dir, {**self.env, "NOMARR_DATA_DIR": str(data_dir)}, self.children)


@pytest.fixture(scope="session", autouse=True)
def _installed() -> None:
    if not NOMARR.exists():
        pytest.fail(f"the nomarr console script is not installed at {NOMARR}: pip install -e .")


@pytest.fixture
def nomarr(tmp_path: Path) -> Iterator[Nomarr]:
    """The CLI on a fresh embedded data directory of this test."""
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    env.update(NOMARR_DATA_DIR=str(tmp_path / "data"), COLUMNS="200")
    cli = Nomarr(tmp_path / "data", env)
    try:
        yield cli
    finally:
        cli.kill_all()


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
