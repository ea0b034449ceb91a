"""check_naming: this skill's own AST rules, run as a subprocess like every other tool."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ...finding import Finding
from .base import Adapter, RunContext, json_output

SCRIPT = Path(__file__).resolve().parents[3] / "check_naming.py"


class CheckNamingAdapter(Adapter):
    """Runs ``check_naming.py --format json`` over the tree with the running interpreter.

    It runs with ``--no-cache``: lint.py writes nothing into the tree. Its rules span layers (a caller importing persistence internals, say), so it reads the whole
    tree; its findings are limited to the linted paths only when the user chose them
    (``--path``), through ``--only``. Exit 2 is a tool error.
    """

    name = "check_naming"
    module = "layerlint"
    package = "the nomarr repository's .github/skills/layer-persistence/scripts"
    scoped = False

    def command(self, ctx: RunContext) -> list[str]:
        """Return the check_naming command line (run by the current interpreter)."""
        only = [arg for path in ctx.paths for arg in ("--only", path)] if ctx.narrowed else []
        return [sys.executable, str(SCRIPT), "--path", ".", "--format", "json", "--no-cache", *only]

    def parse(self, proc: subprocess.CompletedProcess[str], ctx: RunContext) -> list[Finding]:
        """Read check_naming's JSON document."""
        document = json_output(proc, "check_naming")
        return [
            self.finding(f["path"], f["line"], f["col"], f["code"], f["message"])
            for f in document["findings"]
        ]
