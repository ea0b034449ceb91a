"""radon: cyclomatic complexity (``radon cc -j``), graded A (simple) to F."""

from __future__ import annotations

import subprocess

from ...finding import Finding
from ..config import GRADES
from .base import Adapter, RunContext, fail, json_output


class RadonAdapter(Adapter):
    """Reports functions, methods and classes graded worse than ``radon_max_grade``.

    radon lists files it cannot parse with an ``error`` entry: a tool error.
    """

    name = "radon"
    module = "radon"
    package = "radon"

    def arguments(self, ctx: RunContext) -> list[str]:
        """Return the radon command line (every block; grading is applied when parsing)."""
        return ["cc", "-j", "-n", "A", *ctx.paths]

    def parse(self, proc: subprocess.CompletedProcess[str], ctx: RunContext) -> list[Finding]:
        """Read radon's JSON and keep the blocks above the allowed grade."""
        report = json_output(proc, "radon", exits=(0,), empty="{}")
        worst = GRADES.index(ctx.config.radon_max_grade)
        findings: list[Finding] = []
        for path, blocks in report.items():
            if isinstance(blocks, dict):
                raise fail(
                    proc, f"radon cannot parse {path}: {blocks.get('error', blocks)}", quote=False
                )
            findings.extend(
                self._block(path, b, ctx) for b in blocks if GRADES.index(b["rank"]) > worst
            )
        return findings

    def _block(self, path: str, block: dict[str, object], ctx: RunContext) -> Finding:
        message = (
            f"{block['type']} `{block['name']}` has cyclomatic complexity {block['complexity']} "
            f"(grade {block['rank']}, worst allowed {ctx.config.radon_max_grade})"
        )
        return self.finding(
            path,
            int(str(block["lineno"])),
            int(str(block["col_offset"])) + 1,
            f"CC-{block['rank']}",
            message,
        )
