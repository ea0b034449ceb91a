"""Command line of ``lint.py``: every linter on the persistence layer, one report."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .adapters import ADAPTERS, Adapter, RunContext, adapters_by_name
from .config import ConfigError, load_config
from .execute import LintRun, run_tools
from .report import render

__all__ = ["EXIT_CLEAN", "EXIT_FINDINGS", "EXIT_TOOL_ERROR", "exit_code", "main"]

EXIT_CLEAN, EXIT_FINDINGS, EXIT_TOOL_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    parser = argparse.ArgumentParser(
        prog="lint.py",
        description="Run ruff, mypy, vulture, bandit, radon, lint-imports and check_naming.",
        epilog="Exit codes: 0 clean, 1 findings, 2 a tool missing or failing (or bad usage).",
    )
    parser.add_argument("--root", default=".", help="the tree's root; tools run there (default: .)")
    parser.add_argument(
        "--path", action="append", help="path to lint, relative to --root (repeatable)"
    )
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text", dest="fmt")
    names = ",".join(a.name for a in ADAPTERS)
    parser.add_argument("--tools", default=names, help=f"comma-separated subset of: {names}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    args = build_parser().parse_args(argv)
    root = Path(args.root)
    try:
        config = load_config(root)
        adapters = _adapters(args.tools)
        paths = _paths(root, args.path or list(config.paths))
    except (ConfigError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_TOOL_ERROR
    run = run_tools(adapters, RunContext(root, paths, config, narrowed=bool(args.path)))
    sys.stdout.write(render(run, args.fmt))
    return exit_code(run)


def exit_code(run: LintRun) -> int:
    """Return 2 when any tool failed, else 1 when anything was found, else 0."""
    if run.errors:
        return EXIT_TOOL_ERROR
    return EXIT_FINDINGS if run.findings else EXIT_CLEAN


def _adapters(raw: str) -> list[Adapter]:
    known = adapters_by_name()
    chosen = [name.strip() for name in raw.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in known]
    if unknown or not chosen:
        raise ValueError(f"unknown tool(s): {', '.join(unknown) or '(none given)'}")
    return [known[name] for name in chosen]


def _paths(root: Path, paths: list[str]) -> tuple[str, ...]:
    missing = [p for p in paths if not (root / p).exists()]
    if missing:
        raise ValueError(f"no such path under {root}: {', '.join(missing)}")
    return tuple(paths)
