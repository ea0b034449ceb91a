"""Render check results as text (``path:line:col: CODE message``) or JSON."""

from __future__ import annotations

import json

from ..sarif import SarifRun, render_sarif
from .engine import CheckResult
from .rules import ALL_RULES

__all__ = ["render", "render_json", "render_sarif_log", "render_text"]


def render_text(result: CheckResult, *, hints: bool = False) -> str:
    """Return one line per finding and a closing summary line."""
    lines = [f"{f.location()}: {f.code} {f.message}" for f in result.findings]
    if hints:
        lines = [
            f"{line}\n    fix: {f.hint}" if f.hint else line
            for line, f in zip(lines, result.findings, strict=True)
        ]
    count = len(result.findings)
    noun = "finding" if count == 1 else "findings"
    lines.append(f"{count} {noun} in {result.files_checked} modules")
    return "\n".join(lines) + "\n"


def render_json(result: CheckResult) -> str:
    """Return the findings as a JSON document."""
    document = {
        "tool": "check_naming",
        "files_checked": result.files_checked,
        "count": len(result.findings),
        "findings": [f.to_dict() for f in result.findings],
    }
    return json.dumps(document, indent=2) + "\n"


def render_sarif_log(result: CheckResult) -> str:
    """Return the findings as a SARIF 2.1.0 log, every rule described."""
    rules = {
        rule.code: (rule.name, (type(rule).__doc__ or rule.name).strip().splitlines()[0], rule.why)
        for rule in ALL_RULES
    }
    return render_sarif([SarifRun("check_naming", result.findings, rules)])


def render(result: CheckResult, fmt: str, *, hints: bool = False) -> str:
    """Render in ``fmt`` (``text``, ``json`` or ``sarif``)."""
    if fmt == "sarif":
        return render_sarif_log(result)
    return render_json(result) if fmt == "json" else render_text(result, hints=hints)
