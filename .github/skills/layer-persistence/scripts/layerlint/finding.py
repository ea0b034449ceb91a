"""The one finding type shared by the naming rules and every external-tool adapter."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Finding", "sort_findings"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place.

    Attributes:
        path: file path as it should be printed (relative to the working directory when possible).
        line: 1-based line number (0 when the finding is about the whole file).
        col: 1-based column number (0 when unknown).
        code: the rule or tool code, e.g. ``NMR003`` or ``F401``.
        message: a human-readable sentence, without the code.
        tool: the producer, e.g. ``check_naming`` or ``ruff``.
        hint: how to fix it (may be empty).
    """

    path: str
    line: int
    col: int
    code: str
    message: str
    tool: str = "check_naming"
    hint: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as a JSON-ready dict."""
        return asdict(self)

    def location(self) -> str:
        """Return ``path:line:col`` as compilers print it."""
        return f"{self.path}:{self.line}:{self.col}"


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Return findings ordered by path, line, column and code."""
    return sorted(findings, key=lambda f: (f.path, f.line, f.col, f.code, f.message))
