"""Check the import contracts of the tree in the working directory and print them as JSON.

Run by the import-linter adapter as ``python contracts_probe.py`` with the tree as working
directory. It uses import-linter's Python API (``create_report``), never its rendered text, and
prints ``{"contracts": [{"id", "name", "kept", "chains": [[{"importer", "imported",
"line_numbers"}, ...], ...]}]}``; on failure ``{"error": "..."}`` with exit status 2. Standalone:
it imports nothing from ``layerlint``.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

Link = dict[str, Any]


def main() -> int:
    """Check the contracts and print the report; return the exit status."""
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    try:
        report = _report()
    except Exception as exc:  # any failure to check is a tool error, reported as data
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
        return 2
    print(json.dumps({"contracts": report}))
    return 0


def _report() -> list[dict[str, Any]]:
    from importlinter import configuration
    from importlinter.application import use_cases

    configuration.configure()
    options = use_cases.read_user_options()
    _register_contract_types(use_cases, options)
    report = use_cases.create_report(options, cache_dir=None)
    if report.could_not_run:
        raise RuntimeError(f"contracts could not run: {report.invalid_contract_options}")
    return [_contract(contract, check) for contract, check in report.get_contracts_and_checks()]


def _register_contract_types(use_cases: Any, options: Any) -> None:
    if hasattr(use_cases, "_register_built_in_contract_types"):  # import-linter >= 2.2
        use_cases._register_built_in_contract_types()
    elif hasattr(use_cases, "_register_contract_types"):  # older releases
        use_cases._register_contract_types(options)


def _contract(contract: Any, check: Any) -> dict[str, Any]:
    return {
        "id": contract.contract_options.get("id") or contract.name,
        "name": contract.name,
        "kept": bool(check.kept),
        "chains": [] if check.kept else _chains(check.metadata),
    }


def _chains(metadata: dict[str, Any]) -> list[list[Link]]:
    """Return every illegal chain of a broken contract, whatever its type."""
    chains: list[list[Link]] = []
    for group in metadata.get("invalid_chains", []):  # forbidden, independence
        for item in group.get("chains", []):
            chains.extend(_expanded(item))
    for dependency in metadata.get("invalid_dependencies", []):  # layers
        for route in dependency.get("routes", []):
            chains.extend(_expanded(route))
    return [chain for chain in chains if chain]


def _expanded(item: list[dict[str, Any]] | dict[str, Any]) -> list[list[Link]]:
    """Return a chain, or a detailed chain's main chain plus one chain per extra first import.

    Forbidden contracts give plain chains (lists of links); independence and layers contracts
    give ``{"chain", "extra_firsts", "extra_lasts"}``, where each extra first import is another
    module starting the same route: a violation at its own place.
    """
    if isinstance(item, list):
        return [_links(item)]
    main = _links(item.get("chain", []))
    extra = [_links([first, *item.get("chain", [])[1:]]) for first in item.get("extra_firsts", [])]
    return [main, *extra]


def _links(chain: list[dict[str, Any]]) -> list[Link]:
    return [
        {
            "importer": link["importer"],
            "imported": link["imported"],
            "line_numbers": sorted(int(n) for n in link.get("line_numbers", ())),
        }
        for link in chain
    ]


if __name__ == "__main__":
    sys.exit(main())
