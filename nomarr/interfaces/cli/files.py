"""``nomarr files --status STATUS``: list files by state, with the reason of each problem."""

from __future__ import annotations

import argparse
import json
from typing import Any

from nomarr.interfaces.cli.context import CliContext
from nomarr.interfaces.cli.errors import EXIT_OK, UsageError
from nomarr.workflows.libraries import find_library, library_path
from nomarr.workflows.scan_guard import folder_problems

__all__ = ["STATUSES", "add_parser", "run"]

STATUSES = ("pending", "tagged", "error", "unreadable")


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Register ``files``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "files",
        help="list files by state (error, unreadable, pending, tagged) with the reasons",
        description="List the files of every library (or of --library) in the given states, one per "
        "line with the reason of each problem: unreadable (the scan could not read it: damaged, not "
        "audio, permission denied, dangling link...), error (tagging failed), pending (waiting for "
        "nomarr work), tagged. Folders the last scan could not read are listed with unreadable.",
    )
    parser.add_argument(
        "--status", action="append", choices=STATUSES, metavar="STATUS",
        help=f"one of {', '.join(STATUSES)} (repeatable; default: error and unreadable)",
    )  # fmt: skip
    parser.add_argument("--library", metavar="NAME", help="only this library")
    parser.add_argument("--json", action="store_true", help="print JSON lines: one object per file or folder")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run ``files``."""
    statuses = args.status or ["error", "unreadable"]
    count = 0
    with ctx.database() as db:
        libraries = {lib.key_: lib for lib in db.libraries.list()}
        only = None
        if args.library is not None:
            only = find_library(db, args.library)
            if only is None:
                raise UsageError(f"no library is called {args.library!r}: see nomarr library ls")
        for file in db.file_problems.iter_by_status(statuses, None if only is None else only.key_):
            library = libraries.get(file.library_key)
            if library is None:
                continue
            path = str(library_path(library, file.path))
            _line(ctx, args.json, {"path": path, "library": library.name, "status": file.status, "problem": file.problem})
            count += 1
        if "unreadable" in statuses:
            for library in libraries.values() if only is None else [only]:
                for problem in folder_problems(db, library.key_):
                    path = str(library_path(library, problem["path"]))
                    row = {"path": path, "library": library.name, "status": "unreadable folder", "problem": problem["reason"]}
                    _line(ctx, args.json, row)
                    count += 1
    if not args.json:
        ctx.err.print(f"{count:,} {'entry' if count == 1 else 'entries'} with status {' or '.join(statuses)}", markup=False)
    return EXIT_OK


def _line(ctx: CliContext, as_json: bool, row: dict[str, Any]) -> None:
    if as_json:
        ctx.line(json.dumps(row))
        return
    reason = f"  ({row['status']}: {row['problem']})" if row["problem"] else f"  ({row['status']})"
    ctx.line(f"{row['path']}{reason}")
