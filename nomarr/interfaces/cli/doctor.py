"""``nomarr doctor``: which backend, where, schema version, connectivity; the fix for each problem."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from nomarr.interfaces.cli.context import CliContext
from nomarr.interfaces.cli.errors import EXIT_OK, EXIT_RUNTIME
from nomarr.services.doctor import PROBLEM, WARNING, DoctorReport, run_checks

__all__ = ["add_parser", "run"]

_MARKS = {PROBLEM: "PROBLEM", WARNING: "warning"}


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Register ``doctor``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "doctor",
        help="check the configuration, backend and schema; exit 1 on a problem",
        description="Report the backend in use and where it keeps the data, check connectivity and "
        "the schema version, and print the fix for each problem found. Exits 1 when one is found.",
    )
    parser.add_argument("--json", action="store_true", help="print the checks as JSON")
    parser.add_argument(
        "--repair", action="store_true",
        help="also prune old worker rows, release dead workers' claims and remove tags no file carries",
    )  # fmt: skip
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run ``doctor``."""
    report = run_checks(ctx.config, repair=args.repair)
    if args.json:
        data = {"healthy": report.healthy, "checks": [asdict(check) for check in report.checks]}
        data["backend"] = None if report.backend is None else asdict(report.backend)
        ctx.out.print_json(json.dumps(data))
    else:
        _render(ctx, report)
    return EXIT_OK if report.healthy else EXIT_RUNTIME


def _render(ctx: CliContext, report: DoctorReport) -> None:
    for check in report.checks:
        ctx.out.print(f"{_MARKS.get(check.status, 'ok'):<8} {check.name:<11} {check.detail}", markup=False)
        if check.fix:
            ctx.out.print(f"{'':<8} {'':<11} fix: {check.fix}", markup=False)
    problems = [check for check in report.checks if check.status == PROBLEM]
    if problems:
        ctx.err.print(f"nomarr: doctor found {len(problems)} problem(s); fix: {problems[0].fix}", markup=False)
    else:
        ctx.out.print("No problems found.")
