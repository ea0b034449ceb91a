"""Render a lint run: findings, tool errors, a summary table and the timing line."""

from __future__ import annotations

import json

from ..sarif import SarifRun, render_sarif
from .execute import LintRun

__all__ = ["render", "render_json", "render_sarif_log", "render_text"]


def render_text(run: LintRun) -> str:
    """Return the combined human-readable report."""
    out = [f"{f.location()}: {f.code} {f.message} [{f.tool}]" for f in run.findings]
    for failed in run.errors:
        out.append(f"TOOL ERROR {failed.tool}: {failed.error}")
    out.append("")
    out.append(f"{'tool':<14}{'findings':>9}{'status':>9}{'time':>9}")
    for item in run.runs:
        status = "error" if item.error else ("ok" if not item.findings else "findings")
        out.append(f"{item.tool:<14}{len(item.findings):>9}{status:>9}{item.seconds:>8.2f}s")
    out.append(_timing(run))
    return "\n".join(out) + "\n"


def _timing(run: LintRun) -> str:
    ratio = run.wall_seconds / run.tool_seconds if run.tool_seconds else 0.0
    return (
        f"wall time {run.wall_seconds:.2f}s, sum of tool times {run.tool_seconds:.2f}s "
        f"(wall/sum {ratio:.2f}x)"
    )


def render_json(run: LintRun) -> str:
    """Return the run as one JSON document."""
    document = {
        "findings": [f.to_dict() for f in run.findings],
        "tools": [
            {
                "tool": r.tool,
                "findings": len(r.findings),
                "error": r.error,
                "seconds": round(r.seconds, 3),
            }
            for r in run.runs
        ],
        "wall_seconds": round(run.wall_seconds, 3),
        "tool_seconds": round(run.tool_seconds, 3),
    }
    return json.dumps(document, indent=2) + "\n"


def render_sarif_log(run: LintRun) -> str:
    """Return a SARIF 2.1.0 log with one run per tool (a failed tool is marked so)."""
    return render_sarif([SarifRun(r.tool, r.findings, error=r.error) for r in run.runs])


def render(run: LintRun, fmt: str) -> str:
    """Render in ``fmt`` (``text``, ``json`` or ``sarif``)."""
    if fmt == "sarif":
        return render_sarif_log(run)
    return render_json(run) if fmt == "json" else render_text(run)
