"""check_naming: this skill's own AST rules, run as a subprocess like every other tool."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ...finding import Finding
from .base import Adapter, RunContext, fail

SCRIPT = Path(__file__).resolve().parents[3] / "check_naming.py"


class CheckNamingAdapter(Adapter):
    """Runs ``check_naming.py --format json`` over the tree (its rules span layers, so
    findings are not limited to the linted paths). Exit 2 is a tool error."""

    name = "check_naming"
    executable = "python"
    scoped = False

    def command(self, program: str, ctx: RunContext) -> list[str]:
        """Return the check_naming command line (run by the current interpreter)."""
        return [sys.executable, str(SCRIPT), "--path", ".", "--format", "json"]

    def parse(self, proc: subprocess.CompletedProcess[str], ctx: RunContext) -> list[Finding]:
        """Read check_naming's JSON document."""
        if proc.returncode not in (0, 1):
            raise fail(proc, "check_naming failed")
        try:
            document = json.loads(proc.stdout)
        except json.JSONDecodeError as exc:
            raise fail(proc, "check_naming printed no JSON") from exc
        return [
            self.finding(f["path"], f["line"], f["col"], f["code"], f["message"])
            for f in document["findings"]
        ]
