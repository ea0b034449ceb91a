"""``nomarr export FILE`` and ``nomarr import FILE``: back up and restore the whole database."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from nomarr.interfaces.cli.context import CliContext
from nomarr.interfaces.cli.errors import EXIT_OK, UsageError
from nomarr.workflows.backup import export_archive, import_archive

__all__ = ["add_import_parser", "add_parser", "run_export", "run_import"]


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Register ``export``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "export",
        help="back up the database to FILE (.zip) or a directory",
        description="Write every collection to FILE: a zip archive when FILE ends in .zip, else a "
        "directory. Written atomically; an existing FILE is kept unless --force.",
    )
    parser.add_argument("file", metavar="FILE", help="archive to write (e.g. nomarr-backup.zip)")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    parser.set_defaults(run=run_export)
    return parser


def add_import_parser(commands: Any) -> argparse.ArgumentParser:
    """Register ``import``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "import",
        help="restore a backup into an empty database",
        description="Restore an archive written by nomarr export. The target database must be empty "
        "(use a fresh --data-dir, or an empty ARANGO_DB on a server).",
    )
    parser.add_argument("file", metavar="FILE", help="archive written by nomarr export")
    parser.set_defaults(run=run_import)
    return parser


def _print_counts(ctx: CliContext, verb: str, path: Path, counts: dict[str, int]) -> None:
    documents = sum(counts.values())
    detail = ", ".join(f"{name} {count}" for name, count in counts.items() if count)
    ctx.out.print(f"{verb} {documents} documents {'to' if verb == 'Exported' else 'from'} {path}", markup=False)
    ctx.out.print(f"  {detail}", markup=False)


def run_export(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run ``export``."""
    path = Path(args.file)
    with ctx.database() as db, ctx.progress("export", None, unit="documents") as progress:
        counts = export_archive(db, path, overwrite=args.force, on_progress=progress.update)
    _print_counts(ctx, "Exported", path, counts)
    return EXIT_OK


def run_import(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run ``import``."""
    path = Path(args.file)
    if not path.exists():
        raise UsageError(f"{args.file}: no such file (give an archive written by nomarr export)")
    with ctx.database() as db, ctx.progress("import", None, unit="documents") as progress:
        counts = import_archive(db, path, on_progress=progress.update)
    _print_counts(ctx, "Imported", path, counts)
    return EXIT_OK
