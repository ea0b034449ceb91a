"""Command line of ``check_naming.py``: parse arguments, check, render, pick the exit code."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from .aql import AqlUnavailable
from .cache import DEFAULT_DIR, ENV_VAR, ResultCache
from .engine import check
from .report import render
from .rules import ALL_RULES, rules_by_code
from .source import TOP_PACKAGE

__all__ = ["EXIT_CLEAN", "EXIT_ERROR", "EXIT_FINDINGS", "main"]

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    parser = argparse.ArgumentParser(
        prog="check_naming.py",
        description="Check nomarr's persistence naming, layering and AQL rules.",
        epilog="Exit codes: 0 clean, 1 findings, 2 usage or internal error.",
    )
    parser.add_argument("--path", default=".", help="root of the tree to check (holds nomarr/)")
    parser.add_argument(
        "--only",
        action="append",
        metavar="PATH",
        help="report only findings in files under PATH, relative to --path (repeatable); "
        "the whole tree is still read, for cross-module rules",
    )
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text", dest="fmt")
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="report only on these files or folders (as --only; pre-commit passes them)",
    )
    parser.add_argument("--select", help="comma-separated rule codes to run (default: all)")
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        help=f"where results are cached (default: ${ENV_VAR}, else <path>/{DEFAULT_DIR})",
    )
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write a cache")
    parser.add_argument("--hints", action="store_true", help="print a fix hint under each finding")
    parser.add_argument("--explain", metavar="CODE", help="print a rule's documentation")
    parser.add_argument("--list-rules", action="store_true", help="list the rule codes")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_rules:
        print("\n".join(f"{r.code} {r.name}: {r.message}" for r in ALL_RULES))
        return EXIT_CLEAN
    if args.explain:
        return _explain(args.explain.upper())
    select = _selection(args.select)
    root = Path(args.path)
    if not (root / TOP_PACKAGE).is_dir():
        print(f"error: {root} has no {TOP_PACKAGE}/ package to check", file=sys.stderr)
        return EXIT_ERROR
    if select is not None and not select <= rules_by_code().keys():
        unknown = ", ".join(sorted(select - rules_by_code().keys()))
        print(f"error: unknown rule code(s): {unknown}", file=sys.stderr)
        return EXIT_ERROR
    return _run(root, args, select)


def _run(root: Path, args: argparse.Namespace, select: set[str] | None) -> int:
    try:
        only = [*(args.only or []), *(_relative(root, f) for f in args.files)]
        cache = None if args.no_cache else ResultCache.for_root(root, args.cache_dir)
        result = check(root, shown_root=args.path, select=select, only=only or None, cache=cache)
    except AqlUnavailable as exc:
        print(f"error: cannot check AQL: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception:  # a bug in a rule must not look like a clean tree
        print("internal error in check_naming:\n" + traceback.format_exc(), file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(render(result, args.fmt, hints=args.hints))
    return EXIT_FINDINGS if result.findings else EXIT_CLEAN


def _selection(raw: str | None) -> set[str] | None:
    if not raw:
        return None
    return {code.strip().upper() for code in raw.split(",") if code.strip()}


def _explain(code: str) -> int:
    rule = rules_by_code().get(code)
    if rule is None:
        print(f"error: unknown rule code {code}", file=sys.stderr)
        return EXIT_ERROR
    print(rule.describe())
    return EXIT_CLEAN


def _relative(root: Path, file: str) -> str:
    path = Path(file)
    if path.is_absolute():
        try:
            return path.relative_to(root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()
