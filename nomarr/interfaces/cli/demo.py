"""``nomarr demo [DIR]``: generate a small tagged library, then scan, work and status on it.

The library (a dozen real audio files in four formats, plus one deliberately unreadable file)
is written below DIR (default: a new temporary directory; the demo says where and how to remove
it). DIR must be empty or new unless --force. Unless a backend is configured (``--data-dir``,
``NOMARR_DATA_DIR`` or ``ARANGO_HOST``), the embedded engine keeps its data in ``DIR/data``, so
the demo never touches your real library database.
"""

from __future__ import annotations

import argparse
import dataclasses
import shlex
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nomarr.components.file_query import parse_query
from nomarr.interfaces.cli.context import CliContext
from nomarr.interfaces.cli.errors import EXIT_OK, UsageError
from nomarr.interfaces.cli.scan import render_scan, run_scan
from nomarr.interfaces.cli.status import render_status, status_report
from nomarr.interfaces.cli.work import render_work, run_work, stopped_by
from nomarr.services.workers import WorkerOptions
from nomarr.workflows.demo import prepare_demo_library
from nomarr.workflows.lookup import file_tags, iter_found

if TYPE_CHECKING:
    from nomarr.persistence import Database

__all__ = ["add_parser", "run"]

_SAMPLE = "Blue Quartet/Night Sessions/01 Slow Burn.flac"


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Register ``demo``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "demo",
        help="generate a small tagged library and run scan, work and status on it",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument("dir", metavar="DIR", nargs="?", help="where to write the demo (default: a new temp dir)")
    parser.add_argument("--workers", type=int, default=2, metavar="N", help="worker threads (default 2)")
    parser.add_argument("--force", action="store_true", help="write into DIR even when it is not empty")
    parser.set_defaults(run=run)
    return parser


def _configured(ctx: CliContext) -> bool:
    env = ctx.config.environ
    return bool(ctx.config.data_dir or env.get("NOMARR_DATA_DIR") or env.get("ARANGO_HOST"))


_TERMS = (
    ("library", "a name and a root folder; files are stored relative to the root"),
    ("scan", "walks the folder, stores new and changed files, queues them for tagging"),
    ("work", "worker threads copy each queued file's embedded tags into the database"),
    ("claim", "a worker's exclusive hold on a file while it reads it, so no file is tagged twice"),
    ("unreadable", "a file the scan could not read; kept with the reason (nomarr files)"),
    ("verdict", "a worker is alive, stopped (said goodbye) or dead (its files go back to the queue)"),
)


def _earlier_demo(base: Path) -> bool:
    """True when ``base`` holds only what an earlier demo wrote there (rerunning rewrites it)."""
    names = {path.name for path in base.iterdir()}
    return names <= {"music", "data"} and (base / "music" / "Unsorted" / "broken.flac").is_file()


def _base(args: argparse.Namespace) -> Path:
    if not args.dir:
        return Path(tempfile.mkdtemp(prefix="nomarr-demo-"))
    base = Path(args.dir)
    if base.exists() and not base.is_dir():
        raise UsageError(f"{args.dir} is not a directory: give a new or empty folder for the demo")
    if base.is_dir() and any(base.iterdir()) and not args.force and not _earlier_demo(base):
        raise UsageError(f"{args.dir} is not empty: give a new or empty folder, or pass --force to write into it")
    return base


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run ``demo``."""
    base = _base(args)
    if not _configured(ctx):
        ctx.config = dataclasses.replace(ctx.config, data_dir=str(base / "data"))
    library = prepare_demo_library(base / "music")
    total = len(library.tracks) + len(library.broken)
    ctx.out.print(
        f"nomarr demo: wrote {total} files to {library.root}: {len(library.tracks)} tagged audio files "
        f"and {len(library.broken)} deliberately unreadable one", markup=False,
    )  # fmt: skip
    ctx.out.print(f"Database: {ctx.config.backend().describe()}", markup=False)
    ctx.out.rule("terms")
    for term, meaning in _TERMS:
        ctx.out.print(f"{term:<11} {meaning}", markup=False)
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
        _show_results(ctx, db, library.root)
    _next_steps(ctx, base, library.root, temporary=not args.dir)
    return EXIT_OK


def _show_results(ctx: CliContext, db: Database, root: Path) -> None:
    ctx.out.rule(f"nomarr tags {_SAMPLE}")
    found = file_tags(db, root / _SAMPLE)
    for tag in found.tags:
        ctx.out.print(f"  {tag.name:<7} {tag.value}", markup=False)
    ctx.out.rule("nomarr find genre:jazz ^mood:calm")
    for item in iter_found(db, parse_query(["genre:jazz", "^mood:calm"])):
        ctx.out.print(f"  {item.path}", markup=False, soft_wrap=True)


def _next_steps(ctx: CliContext, base: Path, root: Path, *, temporary: bool) -> None:
    prefix = f"NOMARR_DATA_DIR={shlex.quote(ctx.config.data_dir)} " if ctx.config.data_dir else ""
    sample = shlex.quote(str(root / _SAMPLE))
    ctx.out.rule("try")
    for command in ("find --tag genre=jazz", "find 'year>=2020' , genre:rock", f"tags {sample}", "tags --name mood", "files"):
        ctx.out.print(f"{prefix}nomarr {command}", markup=False, soft_wrap=True)
    where = "a temporary folder" if temporary else "the folder you gave"
    ctx.out.print(f"The demo's files and database are in {where}: remove them with rm -rf {shlex.quote(str(base))}", markup=False, soft_wrap=True)
