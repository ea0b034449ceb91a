"""vulture: dead code (``path:line: message (NN% confidence)``)."""

from __future__ import annotations

import re
import subprocess

from ...finding import Finding
from .base import Adapter, RunContext, fail

_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<message>.+?) \((?P<conf>\d+)% confidence")


class VultureAdapter(Adapter):
    """Runs vulture at the configured minimum confidence.

    Exit 0 clean, 3 dead code; 1 (unreadable input) and 2 (bad arguments) are failures, and so
    is anything vulture prints to stderr (it reports syntax errors there).
    """

    name = "vulture"
    module = "vulture"
    package = "vulture"

    def arguments(self, ctx: RunContext) -> list[str]:
        """Return the vulture command line."""
        return ["--min-confidence", str(ctx.config.vulture_min_confidence), *ctx.paths]

    def parse(self, proc: subprocess.CompletedProcess[str], ctx: RunContext) -> list[Finding]:
        """Read vulture's lines into findings coded by the kind of dead code."""
        if proc.returncode not in (0, 3) or proc.stderr.strip():
            raise fail(proc, "vulture could not check every file")
        findings = []
        for line in proc.stdout.splitlines():
            match = _LINE.match(line)
            if match is None:
                raise fail(proc, f"unreadable vulture output: {line!r}")
            code = "-".join(match["message"].split("'")[0].split()[:2])
            findings.append(
                self.finding(match["path"], int(match["line"]), 1, code, match["message"])
            )
        return findings
