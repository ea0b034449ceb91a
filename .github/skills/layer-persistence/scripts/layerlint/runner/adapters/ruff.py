"""ruff: style and bug-pattern lint (``ruff check --output-format json``)."""

from __future__ import annotations

import subprocess

from ...finding import Finding
from .base import Adapter, RunContext, fail, json_output

_SYNTAX = {"invalid-syntax", "E999", None}


class RuffAdapter(Adapter):
    """Runs ``ruff check`` without fixing or caching; exit 0 clean, 1 findings, 2 failure."""

    name = "ruff"
    module = "ruff"
    package = "ruff"

    def arguments(self, ctx: RunContext) -> list[str]:
        """Return the ruff command line."""
        return ["check", "--output-format", "json", "--no-fix", "--no-cache", *ctx.paths]

    def parse(self, proc: subprocess.CompletedProcess[str], ctx: RunContext) -> list[Finding]:
        """Read ruff's JSON; a syntax error counts as a tool error."""
        items = json_output(proc, "ruff", empty="[]")
        broken = [i for i in items if i.get("code") in _SYNTAX]
        if broken:
            first = broken[0]
            raise fail(
                proc, f"ruff cannot parse {first['filename']}: {first['message']}", quote=False
            )
        return [
            self.finding(
                i["filename"],
                i["location"]["row"],
                i["location"]["column"],
                i["code"],
                i["message"],
            )
            for i in items
        ]
