"""``nomarr work [--workers N] [--once]``: tag queued files from their embedded metadata.

Ctrl-C (or SIGTERM) stops cleanly: every worker finishes or releases the file in hand, and the
command exits 130 (143 for SIGTERM) with one line saying so. Nothing is lost or claimed twice.
With failed files the command exits 1 and says how to list them; files still claimed by workers
of other processes are reported.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from nomarr.interfaces.cli.context import CliContext, ProgressLine
from nomarr.interfaces.cli.errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_RUNTIME,
    EXIT_TERMINATED,
    Terminated,
    UsageError,
)
from nomarr.services.status import collect_status
from nomarr.services.workers import PoolReport, WorkerOptions, WorkerPool

if TYPE_CHECKING:
    from nomarr.persistence import Database

__all__ = ["add_parser", "render_work", "run", "run_work"]


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Register ``work``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "work",
        help="tag queued files (workers claim each file exactly once)",
        description="Start worker threads that claim queued files, read their embedded metadata and "
        "store normalised tags (artist, album, genre, mood, bpm, year). Workers send heartbeats; "
        "claims of a worker silent for --stale-after seconds go back to the queue.",
    )
    parser.add_argument("--workers", type=int, default=2, metavar="N", help="worker threads (default 2)")
    parser.add_argument("--once", action="store_true", help="process what is queued, then exit")
    parser.add_argument("--poll", type=float, default=2.0, metavar="SECONDS", help="idle poll interval (default 2)")
    parser.add_argument("--batch-size", type=int, default=32, metavar="N", help="files claimed at once (default 32)")
    parser.add_argument(
        "--stale-after", type=float, default=None, metavar="SECONDS",
        help="heartbeat silence after which a worker is dead (default: NOMARR_STALE_AFTER or 30)",
    )  # fmt: skip
    parser.add_argument("--tag-delay", type=float, default=0.0, help=argparse.SUPPRESS)  # test hook
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run ``work``."""
    if args.workers < 1 or args.batch_size < 1:
        raise UsageError("--workers and --batch-size must be at least 1")
    if args.poll <= 0:
        raise UsageError("--poll must be a positive number of seconds")
    stale_after = ctx.config.stale_after() if args.stale_after is None else args.stale_after
    options = WorkerOptions(
        workers=args.workers, once=args.once, poll_s=args.poll, batch_size=args.batch_size,
        stale_after_s=stale_after, tag_delay_s=args.tag_delay,
    )  # fmt: skip
    with ctx.database() as db:
        report, interrupted = run_work(ctx, db, options)
    if interrupted is not None:
        return stopped_by(ctx, report, interrupted)
    if report.error is not None:
        raise report.error
    if args.json:
        ctx.out.print_json(json.dumps(work_summary(report)))
    else:
        render_work(ctx, report)
    return failed_exit(ctx, report)


def stopped_by(ctx: CliContext, report: PoolReport, interrupt: KeyboardInterrupt) -> int:
    """Say the run was stopped cleanly; return 143 for SIGTERM, else 130."""
    what = "terminated" if isinstance(interrupt, Terminated) else "interrupted"
    ctx.err.print(
        f"nomarr: {what}: stopped cleanly after tagging {report.total_tagged} files; "
        "claims released, nothing left half-done", markup=False,
    )  # fmt: skip
    return EXIT_TERMINATED if isinstance(interrupt, Terminated) else EXIT_INTERRUPTED


def failed_exit(ctx: CliContext, report: PoolReport) -> int:
    """Return 1 (with one line on stderr) when files failed, else 0."""
    if not report.total_failed:
        return EXIT_OK
    ctx.err.print(
        f"nomarr: error: {_files(report.total_failed)} could not be tagged: see why with "
        "nomarr files --status error, fix them, then rescan", markup=False,
    )  # fmt: skip
    return EXIT_RUNTIME


def _files(count: int) -> str:
    return f"{count} file{'' if count == 1 else 's'}"


def run_work(ctx: CliContext, db: Database, options: WorkerOptions) -> tuple[PoolReport, KeyboardInterrupt | None]:
    """Run the pool with a progress display until done or interrupted; return (report, interrupt)."""
    queued = collect_status(db, ctx.config.backend(), options.stale_after_s).queue.depth
    label = f"work ({options.workers} worker{'s' if options.workers > 1 else ''})"
    with ctx.progress(label, queued if options.once else None) as progress:
        pool = WorkerPool(db, options, on_progress=lambda done, failed: _show(progress, done, failed))
        interrupted = _start_and_wait(pool)
        return pool.join(), interrupted


def _show(progress: ProgressLine, done: int, failed: int) -> None:
    progress.update(done + failed, extra=f"{failed} failed" if failed else "")


def _start_and_wait(pool: WorkerPool) -> KeyboardInterrupt | None:
    """Start the workers and wait for them; on Ctrl-C or SIGTERM ask them to stop, return it."""
    try:
        pool.start()
        while not pool.wait(0.2):
            pass
    except KeyboardInterrupt as interrupt:  # Terminated (SIGTERM) too
        pool.stop()
        return interrupt
    return None


def work_summary(report: PoolReport) -> dict[str, Any]:
    """Return the pool report as JSON-ready data."""
    return {
        "tagged": report.total_tagged,
        "failed": report.total_failed,
        "per_worker": {worker: report.tagged[worker] for worker in report.tagged},
        "released_from_dead_workers": report.released_dead,
        "settled_jobs": report.settled_jobs,
        "claimed_elsewhere": report.claimed_elsewhere,
        "elapsed_s": round(report.elapsed_s, 3),
    }


def render_work(ctx: CliContext, report: PoolReport) -> None:
    """Print the human summary of a work run."""
    rate = report.total_tagged / report.elapsed_s if report.elapsed_s else 0.0
    workers = len(report.tagged)
    ctx.out.print(
        f"Tagged {_files(report.total_tagged)} ({report.total_failed} failed) with {workers} "
        f"worker{'' if workers == 1 else 's'} in {report.elapsed_s:.1f} s ({rate:,.0f} files/s)"
    )
    if report.released_dead:
        ctx.out.print(f"Returned {_files(report.released_dead)} claimed by dead workers to the queue.")
    for worker, claims in report.claimed_elsewhere.items():
        ctx.out.print(
            f"Still claimed: {_files(claims)} by {worker} (another process; see nomarr status). They are "
            "tagged by it, or returned to the queue once it is found dead.", markup=False,
        )  # fmt: skip
