"""import-linter: the declarative import contracts in ``.importlinter``, read through its API.

``contracts_probe.py`` runs in a subprocess with the running interpreter, checks the contracts
with import-linter's ``create_report`` and prints each broken contract's chains as JSON. Nothing
is read back from lint-imports' rendered text, so no chain is lost to line wrapping.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from ...finding import Finding
from .base import Adapter, RunContext, fail

PROBE = Path(__file__).resolve().parents[1] / "contracts_probe.py"


class ImportLinterAdapter(Adapter):
    """Checks every contract of the tree's import-linter configuration.

    One finding per illegal import chain, at the importing module's line of the chain's first
    import. A broken contract whose chains cannot be read is still one finding, never a pass.
    Contracts are about the whole import graph: the graph is always built whole, and findings
    are limited to the linted paths only when the user chose them (``--path``).
    """

    name = "lint-imports"
    module = "importlinter"
    package = "import-linter"
    scoped = False

    def command(self, ctx: RunContext) -> list[str]:
        """Return the probe's command line (run by the current interpreter)."""
        return [sys.executable, str(PROBE)]

    def parse(self, proc: subprocess.CompletedProcess[str], ctx: RunContext) -> list[Finding]:
        """Turn the probe's JSON report into findings."""
        try:
            report = json.loads(proc.stdout)
        except json.JSONDecodeError as exc:
            raise fail(proc, "import-linter could not check the contracts") from exc
        if proc.returncode != 0 or "error" in report:
            raise fail(proc, f"import-linter could not check the contracts: {report.get('error')}")
        return [
            finding
            for contract in report["contracts"]
            if not contract["kept"]
            for finding in self._contract(contract, ctx.root)
        ]

    def _contract(self, contract: dict[str, Any], root: Path) -> list[Finding]:
        label = f"breaking contract: {contract['name']}"
        code = contract["id"]
        found = []
        for chain in contract["chains"]:
            first = chain[0]
            line = first["line_numbers"][0] if first["line_numbers"] else 1
            via = " -> ".join([first["importer"], *(link["imported"] for link in chain)])
            message = (
                f"imports {first['imported']}, {label}"
                if len(chain) == 1
                else f"reaches {chain[-1]['imported']} through {via}, {label}"
            )
            found.append(
                self.finding(_module_path(root, first["importer"]), line, 1, code, message)
            )
        if not found:
            where = contract.get("config") or ".importlinter"
            found.append(self.finding(where, 1, 1, code, f"contract broken, {label}"))
        return found


def _module_path(root: Path, module: str) -> str:
    base = Path(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if (root / candidate).is_file():
            return candidate.as_posix()
    return module
