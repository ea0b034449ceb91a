"""bandit: security smells (``bandit -f json``)."""

from __future__ import annotations

import subprocess

from ...finding import Finding
from .base import Adapter, RunContext, fail, json_output


class BanditAdapter(Adapter):
    """Runs bandit recursively at the configured severity and confidence.

    Files bandit could not parse are listed under ``errors`` in its JSON: a tool error.
    """

    name = "bandit"
    module = "bandit"
    package = "bandit"

    def arguments(self, ctx: RunContext) -> list[str]:
        """Return the bandit command line."""
        level = ctx.config
        return [
            "-r",
            "-q",
            "-f",
            "json",
            "--severity-level",
            level.bandit_severity,
            "--confidence-level",
            level.bandit_confidence,
            *ctx.paths,
        ]

    def parse(self, proc: subprocess.CompletedProcess[str], ctx: RunContext) -> list[Finding]:
        """Read bandit's JSON report."""
        report = json_output(proc, "bandit")
        if report.get("errors"):
            first = report["errors"][0]
            raise fail(
                proc, f"bandit cannot check {first['filename']}: {first['reason']}", quote=False
            )
        return [
            self.finding(
                r["filename"],
                r["line_number"],
                r.get("col_offset", 0) + 1,
                r["test_id"],
                f"{r['issue_text']} (severity {r['issue_severity'].lower()})",
            )
            for r in report.get("results", [])
        ]
