"""mypy: static types (``mypy --output json``)."""

from __future__ import annotations

import json
import os
import subprocess

from ...finding import Finding
from .base import Adapter, RunContext, fail


class MypyAdapter(Adapter):
    """Runs mypy with the tree's own configuration and no cache written to disk.

    Exit 0 clean, 1 type errors, 2 crash or blocking error (a syntax error is one).
    """

    name = "mypy"
    module = "mypy"
    package = "mypy"

    def arguments(self, ctx: RunContext) -> list[str]:
        """Return the mypy command line."""
        return [
            "--output",
            "json",
            "--cache-dir",
            os.devnull,
            "--no-error-summary",
            *ctx.paths,
        ]

    def parse(self, proc: subprocess.CompletedProcess[str], ctx: RunContext) -> list[Finding]:
        """Read mypy's JSON lines; notes are folded away, blocking errors are tool errors."""
        items = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
        for item in items:
            if item.get("code") == "syntax":
                raise fail(
                    proc, f"mypy cannot parse {item['file']}: {item['message']}", quote=False
                )
        if proc.returncode not in (0, 1):
            raise fail(proc, "mypy failed")
        findings: list[Finding] = []
        for item in items:
            if item.get("severity") == "error":
                code = item.get("code") or "error"
                col = int(item.get("column", 0)) + 1
                findings.append(
                    self.finding(item["file"], item["line"], col, code, item["message"])
                )
        if proc.returncode == 1 and not findings:
            raise fail(proc, "mypy reported failure without readable errors")
        return findings
