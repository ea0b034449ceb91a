"""``nomarr scan DIR [--library NAME]``: read a directory into a library and queue tagging."""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from pathlib import Path
from typing import Any

from nomarr.interfaces.cli.context import CliContext
from nomarr.interfaces.cli.errors import EXIT_OK, UsageError
from nomarr.services.worker_liveness import ALIVE, worker_states
from nomarr.workflows.scan_directory import SCAN_BATCH_SIZE, DirectoryScanReport, scan_directory

__all__ = ["add_parser", "ask", "plural", "render_scan", "run", "run_scan"]


def plural(count: int, noun: str) -> str:
    """Return ``"1 file"`` / ``"2 files"``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Register ``scan``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "scan",
        help="scan a directory of audio files into a library",
        description="Walk DIR, read each audio file's tags and duration, store new and changed files "
        "in batches, forget files that disappeared, and queue new or changed files for tagging. "
        "Unchanged files (same size and mtime) are not read again.",
    )
    parser.add_argument("dir", metavar="DIR", help="the library's root directory")
    parser.add_argument("--library", metavar="NAME", help="library name (default: the library at DIR, else DIR's name)")
    parser.add_argument("--batch-size", type=int, default=SCAN_BATCH_SIZE, metavar="N", help="files stored per batch")
    parser.add_argument(
        "--move", action="store_true",
        help="--library NAME exists with another root: move it to DIR (its files keep their tags)",
    )  # fmt: skip
    parser.add_argument(
        "--allow-removals", action="store_true",
        help="forget files gone from DIR even when that is all or most of the library (asked on a terminal)",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run ``scan``."""
    root = Path(args.dir)
    if not root.exists():
        raise UsageError(f"{args.dir}: no such directory (give the folder holding your music)")
    if not root.is_dir():
        raise UsageError(f"{args.dir}: not a directory (give the folder holding your music)")
    if args.batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    if args.library is not None and not args.library.strip():
        raise UsageError("--library is empty: give the library's name, for example --library Music")
    report = run_scan(ctx, root, args.library, args.batch_size, move=args.move, allow_removals=args.allow_removals)
    if args.json:
        ctx.out.print_json(json.dumps(scan_summary(report)))
    else:
        render_scan(ctx, report)
    return EXIT_OK


def run_scan(
    ctx: CliContext,
    root: Path,
    library: str | None,
    batch_size: int = SCAN_BATCH_SIZE,
    *,
    move: bool = False,
    allow_removals: bool = False,
) -> DirectoryScanReport:
    """Scan ``root`` with a progress display; return the report."""
    holder = f"scan-{socket.gethostname()}-{os.getpid()}"
    with ctx.database() as db, ctx.progress("scan", None) as progress:

        def confirm(question: str) -> bool:
            if allow_removals:
                return True
            progress.close()
            return ask(ctx, question)

        working = any(state.verdict == ALIVE for state in worker_states(db, ctx.config.stale_after()))
        return scan_directory(
            db, root, library_name=library, holder=holder, batch_size=batch_size,
            on_progress=lambda done, total: progress.update(done, total), allow_move=move, confirm=confirm,
            prune_tags=not working,
        )  # fmt: skip


def ask(ctx: CliContext, question: str) -> bool:
    """Ask a yes/no question on the terminal; False (no) when stdin or stderr is not a terminal."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return False
    ctx.err.print(f"{question} [y/N] ", end="", markup=False)
    try:
        answer = sys.stdin.readline()
    except (OSError, ValueError):
        return False
    return answer.strip().lower() in ("y", "yes")


def scan_summary(report: DirectoryScanReport) -> dict[str, Any]:
    """Return the scan report as JSON-ready data."""
    return {
        "library": report.library.name,
        "root": report.library.root_path,
        "found": report.found,
        "new": report.new,
        "changed": report.modified,
        "unchanged": report.unchanged,
        "removed": report.removed,
        "unreadable": [{"path": path, "reason": reason} for path, reason in report.unreadable],
        "duplicates": [{"path": path, "same_as": first} for path, first in report.duplicates],
        "kept_below_unreadable_folders": report.kept,
        "folders": report.folders,
        "queued": report.new + report.modified,
        "elapsed_s": round(report.elapsed_s, 3),
    }


def render_scan(ctx: CliContext, report: DirectoryScanReport) -> None:
    """Print the human summary of a scan."""
    rate = report.found / report.elapsed_s if report.elapsed_s else 0.0
    ctx.out.print(
        f"Scanned {report.library.root_path} into library {report.library.name!r}: "
        f"{plural(report.found, 'audio file')} in {plural(report.folders, 'folder')}, "
        f"{report.elapsed_s:.1f} s ({rate:,.0f} files/s)", markup=False,
    )  # fmt: skip
    counts = (("new", report.new), ("changed", report.modified), ("unchanged", report.unchanged),
              ("removed", report.removed), ("unreadable", len(report.unreadable)))  # fmt: skip
    ctx.out.print("  " + "   ".join(f"{name} {count}" for name, count in counts))
    if report.unreadable:
        ctx.out.print("Unreadable (kept with status unreadable; list them with nomarr files --status unreadable):")
        for path, reason in report.unreadable:
            ctx.out.print(f"  {path}: {reason}", markup=False)
    if report.duplicates:
        ctx.out.print(f"Counted once ({plural(len(report.duplicates), 'link')} to files already counted):")
        for path, first in report.duplicates:
            ctx.out.print(f"  {path} -> {first}", markup=False)
    if report.kept:
        ctx.out.print(f"Kept {plural(report.kept, 'stored file')} below folders that could not be read.")
    queued = report.new + report.modified
    if queued:
        ctx.out.print(f"Queued {queued} files for tagging: run `nomarr work --once`.", markup=False)
