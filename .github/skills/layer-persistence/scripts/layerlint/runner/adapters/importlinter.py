"""import-linter: the declarative import contracts in ``.importlinter`` (``lint-imports``)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from ...finding import Finding
from .base import Adapter, RunContext, fail

_SUMMARY = re.compile(r"^Contracts: (\d+) kept, (\d+) broken\.", re.MULTILINE)
_CHAIN = re.compile(r"^-\s+(?P<importer>[\w.]+) -> (?P<imported>[\w.]+) \(l\.(?P<line>\d+)")


class ImportLinterAdapter(Adapter):
    """Runs ``lint-imports`` on the whole tree (contracts are global, so findings are kept
    wherever they are). Output without a contracts summary (bad configuration, a missing
    module) is a tool error."""

    name = "lint-imports"
    executable = "lint-imports"
    scoped = False

    def command(self, program: str, ctx: RunContext) -> list[str]:
        """Return the lint-imports command line."""
        return [program, "--no-cache", "--no-logo"]

    def parse(self, proc: subprocess.CompletedProcess[str], ctx: RunContext) -> list[Finding]:
        """Read the broken contracts' import chains into findings."""
        summary = _SUMMARY.search(proc.stdout)
        if summary is None or proc.returncode not in (0, 1):
            raise fail(proc, "lint-imports could not check the contracts")
        findings = list(self._chains(proc.stdout, ctx.root))
        if int(summary.group(2)) and not findings:
            raise fail(proc, "lint-imports reported broken contracts in an unreadable form")
        return findings

    def _chains(self, output: str, root: Path) -> list[Finding]:
        lines = (
            output.split("Broken contracts", 1)[-1].splitlines()
            if "Broken contracts" in output
            else []
        )
        contract, found = "", []
        for index, line in enumerate(lines):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if line.strip() and set(following.strip()) == {"-"}:
                contract = line.strip()
            match = _CHAIN.match(line)
            if match:
                message = f"imports {match['imported']}, breaking contract: {contract}"
                path = _module_path(root, match["importer"])
                found.append(self.finding(path, int(match["line"]), 1, "contract", message))
        return found


def _module_path(root: Path, module: str) -> str:
    base = Path(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if (root / candidate).is_file():
            return candidate.as_posix()
    return module
