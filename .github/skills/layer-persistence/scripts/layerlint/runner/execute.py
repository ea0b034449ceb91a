"""Run the adapters concurrently, each in its own subprocess, and collect timed results."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..finding import Finding, sort_findings
from ..paths import inside
from .adapters import Adapter, RunContext, ToolError
from .locate import install_command, is_installed

__all__ = ["LintRun", "ToolRun", "run_tools"]


@dataclass(frozen=True, slots=True)
class ToolRun:
    """One tool's outcome.

    Attributes:
        tool: the tool's name.
        findings: what it reported (empty when it failed).
        error: why it failed (missing, crashed, unreadable output), or None.
        seconds: wall time of its subprocess.
    """

    tool: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class LintRun:
    """Every tool's outcome plus the wall time of the whole concurrent run."""

    runs: list[ToolRun]
    wall_seconds: float

    @property
    def findings(self) -> list[Finding]:
        """Return all findings, sorted by place."""
        return sort_findings([f for run in self.runs for f in run.findings])

    @property
    def errors(self) -> list[ToolRun]:
        """Return the runs that failed."""
        return [run for run in self.runs if run.error is not None]

    @property
    def tool_seconds(self) -> float:
        """Return the sum of the tools' own times (what a sequential run would take)."""
        return sum(run.seconds for run in self.runs)


def run_tools(adapters: Sequence[Adapter], ctx: RunContext) -> LintRun:
    """Run every adapter at once and wait for all of them."""
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, len(adapters))) as pool:
        runs = list(pool.map(lambda adapter: run_one(adapter, ctx), adapters))
    return LintRun(runs, time.perf_counter() - start)


def run_one(adapter: Adapter, ctx: RunContext) -> ToolRun:
    """Run one tool and turn its outcome into a ToolRun (never raises for tool problems)."""
    if not is_installed(adapter.module):
        return ToolRun(adapter.name, error=_missing(adapter))
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            adapter.command(ctx),
            cwd=ctx.root,
            capture_output=True,
            text=True,
            timeout=ctx.config.timeout_seconds,
            check=False,
        )
        findings = adapter.parse(proc, ctx)
    except ToolError as exc:
        return ToolRun(adapter.name, error=str(exc), seconds=_since(start))
    except (OSError, subprocess.TimeoutExpired, ValueError, KeyError) as exc:
        return ToolRun(adapter.name, error=f"{type(exc).__name__}: {exc}", seconds=_since(start))
    kept = [_relative(f, ctx) for f in findings]
    if adapter.scoped or ctx.narrowed:
        kept = [f for f in kept if inside(f.path, ctx.paths)]
    return ToolRun(adapter.name, kept, seconds=_since(start))


def _missing(adapter: Adapter) -> str:
    return (
        f"{adapter.name} is not installed for {sys.executable} (no module `{adapter.module}`); "
        f"install it: {install_command(adapter.package)}"
    )


def _since(start: float) -> float:
    return time.perf_counter() - start


def _relative(finding: Finding, ctx: RunContext) -> Finding:
    root = ctx.root.resolve().as_posix()
    path = finding.path.replace("\\", "/")
    if path.startswith(root + "/"):
        path = path[len(root) + 1 :]
    path = path.removeprefix("./")
    return Finding(
        path, finding.line, finding.col, finding.code, finding.message, finding.tool, finding.hint
    )
