"""Render check results as text (``path:line:col: CODE message``) or JSON."""

from __future__ import annotations

import json

from .engine import CheckResult

__all__ = ["render", "render_json", "render_text"]


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


def render(result: CheckResult, fmt: str, *, hints: bool = False) -> str:
    """Render in ``fmt`` (``text`` or ``json``)."""
    return render_json(result) if fmt == "json" else render_text(result, hints=hints)
