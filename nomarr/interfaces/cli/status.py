"""``nomarr status [--json]``: libraries, files by state, queue depth and workers."""

from __future__ import annotations

import argparse
import json
import time
from typing import TYPE_CHECKING, Any

from rich import box
from rich.table import Table

from nomarr.interfaces.cli.context import CliContext
from nomarr.interfaces.cli.errors import EXIT_OK
from nomarr.services.status import StatusReport, collect_status

if TYPE_CHECKING:
    from nomarr.persistence import Database

__all__ = ["add_parser", "render_status", "run", "status_report"]

_STATE_ORDER = ("pending", "processing", "tagged", "error", "unreadable")


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Register ``status``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "status",
        help="show libraries, files by state, the queue and the workers",
        description="Show every library with its files by state, the queue depth, and every worker "
        "with its last heartbeat and the health service's verdict (alive, stopped or dead).",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--stale-after", type=float, default=None, metavar="SECONDS",
        help="heartbeat silence after which a worker is dead (default: NOMARR_STALE_AFTER or 30)",
    )  # fmt: skip
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run ``status``."""
    with ctx.database() as db:
        report = status_report(ctx, db, args.stale_after)
    if args.json:
        ctx.out.print_json(json.dumps(report.as_dict()))
    else:
        render_status(ctx, report)
    return EXIT_OK


def status_report(ctx: CliContext, db: Database, stale_after: float | None = None) -> StatusReport:
    """Collect the status report with the configured staleness threshold."""
    threshold = ctx.config.stale_after() if stale_after is None else stale_after
    return collect_status(db, ctx.config.backend(), threshold)


def render_status(ctx: CliContext, report: StatusReport) -> None:
    """Print the status report as tables."""
    ctx.out.print(f"Backend: {report.backend.describe()}, schema version {report.schema_version}", markup=False)
    ctx.out.print(_libraries(report))
    queue = report.queue
    jobs = ", ".join(f"{state} {count}" for state, count in queue.jobs.items()) or "none"
    ctx.out.print(
        f"Queue: {queue.depth} files to tag ({queue.pending} waiting, {queue.in_progress} claimed by a worker); "
        f"scan batches: {jobs}"
    )
    ctx.out.print(_workers(report))
    problems = sum(library.by_state.get(state, 0) for library in report.libraries for state in ("error", "unreadable"))
    if problems:
        ctx.out.print(f"{problems} file{'' if problems == 1 else 's'} could not be read or tagged: see why with nomarr files")
    for library in report.libraries:
        for folder in library.folder_problems:
            ctx.out.print(f"Library {library.name}: folder {folder['path']} could not be read ({folder['reason']}); "
                          "its stored files are kept: see nomarr files --status unreadable", markup=False)  # fmt: skip
    if report.scans:
        ctx.out.print(_scans(report))


def _states(report: StatusReport) -> list[str]:
    seen = {state for library in report.libraries for state in library.by_state}
    return [s for s in _STATE_ORDER if s in seen] + sorted(seen - set(_STATE_ORDER))


def _libraries(report: StatusReport) -> Table | str:
    if not report.libraries:
        return "No libraries yet: run nomarr scan DIR (or nomarr demo)."
    states = _states(report)
    table = Table("library", "root", "files", *states, title="Libraries", box=box.SIMPLE_HEAD, title_justify="left")
    for library in report.libraries:
        counts = [str(library.by_state.get(state, 0)) for state in states]
        table.add_row(library.name, library.root_path, str(library.files), *counts)
    return table


def _ago(seconds: float) -> str:
    """Return ``"12 s ago"``, ``"5 min ago"``, ``"3 h ago"`` or ``"2 days ago"``."""
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size * (2 if unit == "days" else 1):
            return f"{seconds / size:.0f} {unit} ago"
    return f"{seconds:.0f} s ago"


def _workers(report: StatusReport) -> Table | str:
    if not report.workers:
        return "Workers: none has reported yet (start one with nomarr work)."
    title = f"Workers (dead after {report.stale_after_s:g} s without a heartbeat)"
    table = Table("worker", "last heartbeat", "verdict", "claims", "tagged", title=title, box=box.SIMPLE_HEAD, title_justify="left")
    for worker in report.workers:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(worker.last_heartbeat_ms / 1000))
        table.add_row(
            worker.worker_id, f"{stamp} ({_ago(worker.age_s)})", worker.verdict,
            str(worker.claims), str(worker.info.get("tagged", "")),
        )  # fmt: skip
    return table


def _scans(report: StatusReport) -> Table:
    table = Table("library", "started", "took", "outcome", "found", "new", "modified", "removed", title="Recent scans", box=box.SIMPLE_HEAD, title_justify="left")
    for scan in report.scans:
        started = time.strftime("%m-%d %H:%M:%S", time.localtime(scan["started_at"] / 1000))
        took = "" if scan["finished_at"] is None else f"{(scan['finished_at'] - scan['started_at']) / 1000:.1f}s"
        counts = [str(scan["counts"].get(name, "")) for name in ("found", "new", "modified", "removed")]
        table.add_row(scan["library"], started, took, scan["outcome"], *counts)
    return table
