"""What every tool adapter provides: a command line and a parser of the tool's output."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from ...finding import Finding
from ..config import LintConfig

__all__ = ["Adapter", "RunContext", "ToolError", "fail", "json_output"]


class ToolError(Exception):
    """The tool crashed, could not read a file, or printed output the adapter cannot read."""


@dataclass(frozen=True, slots=True)
class RunContext:
    """Everything an adapter needs to build its command.

    Attributes:
        root: the tree's root; tools run with it as working directory.
        paths: the paths to lint, relative to ``root``.
        config: thresholds from ``[tool.nomarr.lint]``.
        narrowed: True when the user chose the paths (``--path``): then whole-tree tools
            (lint-imports, check_naming) also report only inside them.
    """

    root: Path
    paths: tuple[str, ...]
    config: LintConfig
    narrowed: bool = False


class Adapter:
    """Runs one tool and reads its output.

    Attributes:
        name: the tool's name as printed in reports.
        module: the Python module run as ``sys.executable -m <module>`` (the interpreter that
            runs ``lint.py``, so the tools of its virtual environment are the ones used).
        package: what ``pip install`` needs when the module is missing.
        scoped: True when findings outside the linted paths are dropped (tools such as mypy
            also report on modules they follow); False for whole-tree checks.
    """

    name: ClassVar[str]
    module: ClassVar[str]
    package: ClassVar[str]
    scoped: ClassVar[bool] = True

    def command(self, ctx: RunContext) -> list[str]:
        """Return the argument vector that runs the tool on ``ctx.paths``."""
        return [sys.executable, "-m", self.module, *self.arguments(ctx)]

    def arguments(self, ctx: RunContext) -> list[str]:
        """Return the tool's arguments (after ``python -m <module>``)."""
        raise NotImplementedError

    def parse(self, proc: subprocess.CompletedProcess[str], ctx: RunContext) -> list[Finding]:
        """Return the findings in the tool's output.

        Raises:
            ToolError: the tool failed rather than reporting findings.
        """
        raise NotImplementedError

    def finding(self, path: str, line: int, col: int, code: str, message: str) -> Finding:
        """Build a finding attributed to this tool."""
        return Finding(path, line, col, code, message, tool=self.name)


def json_output(
    proc: subprocess.CompletedProcess[str],
    tool: str,
    *,
    exits: tuple[int, ...] = (0, 1),
    empty: str | None = None,
) -> Any:
    """Return a tool's JSON report (``empty`` when it printed nothing and that is allowed).

    Raises:
        ToolError: the tool exited with a status outside ``exits``, or printed no JSON.
    """
    if proc.returncode not in exits:
        raise fail(proc, f"{tool} failed")
    try:
        return json.loads(proc.stdout if empty is None else proc.stdout or empty)
    except json.JSONDecodeError as exc:
        raise fail(proc, f"{tool} printed no JSON") from exc


def fail(proc: subprocess.CompletedProcess[str], why: str, *, quote: bool = True) -> ToolError:
    """Return a ToolError saying ``why``, quoting the end of the tool's output when asked."""
    text = proc.stderr.strip() or proc.stdout.strip()
    tail = " | ".join(line.strip() for line in text.splitlines()[-4:] if line.strip())[-600:]
    suffix = f": {tail}" if quote and tail else ""
    return ToolError(f"{why} (exit {proc.returncode}){suffix}")
