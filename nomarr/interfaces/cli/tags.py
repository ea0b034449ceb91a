"""``nomarr tags [PATH]``: a file's tags, or every tag with its file count."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich import box
from rich.table import Table

from nomarr.components.discovery import display_name
from nomarr.components.tag_normalize import clean_text
from nomarr.interfaces.cli.context import CliContext
from nomarr.interfaces.cli.errors import EXIT_OK, UsageError
from nomarr.workflows.lookup import (
    FileTags,
    NotScannedError,
    check_tag_names,
    file_tags,
    tag_counts,
)

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Register ``tags``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "tags",
        help="show a file's tags (or, without PATH, every tag and its file count)",
        description="Show the tags stored for the audio file at PATH. Without PATH, list every tag "
        "with the number of files carrying it.",
    )
    parser.add_argument("path", metavar="PATH", nargs="?", help="an audio file inside a scanned library")
    parser.add_argument("--name", metavar="NAME", help="without PATH: only tags called NAME (e.g. genre)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run ``tags``."""
    path = None if args.path is None else _checked(args.path)
    with ctx.database() as db:
        if path is None:
            name = clean_text(args.name) if args.name else None
            if name:
                check_tag_names(db, [name])
            counts = tag_counts(db, name)
            _print_counts(ctx, [(c.name, c.value, c.file_count) for c in counts], args.json)
            return EXIT_OK
        try:
            found = file_tags(db, path)
        except NotScannedError as exc:
            raise UsageError(str(exc)) from None
    if args.json:
        ctx.out.print_json(json.dumps(_as_dict(found)))
    else:
        _print_file(ctx, found)
    return EXIT_OK


def _checked(text: str) -> Path:
    path = Path(text)
    shown = display_name(text)
    if path.is_dir():
        raise UsageError(f"{shown} is a folder: give one audio file in it (nomarr find path:TEXT lists files by path)")
    if not path.exists() and not path.is_symlink():
        raise UsageError(f"{shown}: no such file (give the path of an audio file in a scanned library)")
    return path


def _as_dict(found: FileTags) -> dict[str, Any]:
    return {
        "path": str(found.path),
        "library": found.library.name,
        "status": found.file.status,
        "problem": found.file.problem,
        "metadata": {k: v for k, v in found.file.metadata.items() if k != "tags"},
        "tags": [{"name": tag.name, "value": tag.value} for tag in found.tags],
    }


def _print_file(ctx: CliContext, found: FileTags) -> None:
    meta = found.file.metadata
    ctx.line(str(found.path))
    ctx.out.print(
        f"  library {found.library.name}, status {found.file.status}, {meta.get('format', '?')}, "
        f"{meta.get('duration_s', 0):.1f} s, {found.file.size:,} bytes",
        markup=False,
    )
    if found.file.problem:
        ctx.out.print(f"  {found.file.status}: {found.file.problem} (fix the file, then rescan)", markup=False)
    if not found.tags:
        hints = {"pending": "run nomarr work --once", "tagged": "its metadata has none"}
        ctx.out.print(f"  no tags ({hints.get(found.file.status, 'it could not be read')})")
        return
    table = Table("tag", "value", box=box.SIMPLE_HEAD)
    for tag in found.tags:
        table.add_row(tag.name, tag.value)
    ctx.out.print(table)


def _print_counts(ctx: CliContext, rows: list[tuple[str, str, int]], as_json: bool) -> None:
    if as_json:
        ctx.out.print_json(json.dumps([{"name": n, "value": v, "files": c} for n, v, c in rows]))
        return
    if not rows:
        ctx.out.print("No tags stored: run nomarr scan DIR, then nomarr work --once.")
        return
    table = Table("tag", "value", "files", box=box.SIMPLE_HEAD)
    for name, value, count in rows:
        table.add_row(name, value, str(count))
    ctx.out.print(table)
