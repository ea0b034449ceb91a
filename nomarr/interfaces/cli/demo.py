"""``nomarr demo [DIR]``: generate a small tagged library, then scan, work and status on it.

The library (a dozen real audio files in four formats, plus one deliberately unreadable file)
is written below DIR (default: a new temporary directory). Unless a backend is configured
(``--data-dir``, ``NOMARR_DATA_DIR`` or ``ARANGO_HOST``), the embedded engine keeps its data in
``DIR/data``, so the demo never touches your real library database.
"""

from __future__ import annotations

import argparse
import dataclasses
import shlex
import tempfile
from pathlib import Path
from typing import Any

from nomarr.interfaces.cli.context import CliContext
from nomarr.interfaces.cli.errors import EXIT_OK
from nomarr.interfaces.cli.scan import render_scan, run_scan
from nomarr.interfaces.cli.status import render_status, status_report
from nomarr.interfaces.cli.work import render_work, run_work, stopped_by
from nomarr.services.workers import WorkerOptions
from nomarr.workflows.demo import prepare_demo_library

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Register ``demo``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "demo",
        help="generate a small tagged library and run scan, work and status on it",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument("dir", metavar="DIR", nargs="?", help="where to write the demo (default: a new temp dir)")
    parser.add_argument("--workers", type=int, default=2, metavar="N", help="worker threads (default 2)")
    parser.set_defaults(run=run)
    return parser


def _configured(ctx: CliContext) -> bool:
    env = ctx.config.environ
    return bool(ctx.config.data_dir or env.get("NOMARR_DATA_DIR") or env.get("ARANGO_HOST"))


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run ``demo``."""
    base = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="nomarr-demo-"))
    if not _configured(ctx):
        ctx.config = dataclasses.replace(ctx.config, data_dir=str(base / "data"))
    library = prepare_demo_library(base / "music")
    ctx.out.print(
        f"nomarr demo: wrote {len(library.tracks)} tagged audio files (+{len(library.broken)} unreadable) "
        f"to {library.root}", markup=False,
    )  # fmt: skip
    ctx.out.print(f"Database: {ctx.config.backend().describe()}", markup=False)
    ctx.out.rule("scan")
    render_scan(ctx, run_scan(ctx, library.root, "demo"))
    ctx.out.rule("work")
    with ctx.database() as db:
        report, interrupted = run_work(ctx, db, WorkerOptions(workers=args.workers, once=True))
        if interrupted is not None:
            return stopped_by(ctx, report, interrupted)
        if report.error is not None:
            raise report.error
        render_work(ctx, report)
        ctx.out.rule("status")
        render_status(ctx, status_report(ctx, db))
    _next_steps(ctx, library.root)
    return EXIT_OK


def _next_steps(ctx: CliContext, root: Path) -> None:
    prefix = f"NOMARR_DATA_DIR={shlex.quote(ctx.config.data_dir)} " if ctx.config.data_dir else ""
    sample = shlex.quote(str(root / "Blue Quartet/Night Sessions/01 Slow Burn.flac"))
    ctx.out.rule("try")
    for command in ("find --tag genre=jazz", f"tags {sample}", "tags --name mood"):
        ctx.out.print(f"{prefix}nomarr {command}", markup=False, soft_wrap=True)
