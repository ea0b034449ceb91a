"""``nomarr library ls|add|rm|mv|rename``: list and manage libraries (nothing on disk is touched)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich import box
from rich.table import Table

from nomarr.interfaces.cli.context import CliContext
from nomarr.interfaces.cli.errors import EXIT_OK, UsageError
from nomarr.interfaces.cli.scan import ask
from nomarr.workflows.libraries import (
    add_library,
    find_library,
    move_library,
    remove_library,
    rename_library,
)
from nomarr.workflows.scan_directory import checked_root

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Register ``library`` and its subcommands."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "library",
        help="list, add, remove, move or rename libraries",
        description="Manage libraries. A library is a name and a root folder; its files are stored "
        "relative to the root, so mv keeps every file's tags. rm forgets a library's files and tags "
        "(the files on disk are not touched).",
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = sub.add_parser("ls", help="list libraries with their root and file counts")
    ls.add_argument("--json", action="store_true", help="print JSON")
    add = sub.add_parser("add", help="create a library NAME at DIR (then run nomarr scan DIR)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("dir", metavar="DIR")
    rm = sub.add_parser("rm", help="forget a library, its files and their tags")
    rm.add_argument("name", metavar="NAME")
    rm.add_argument("--yes", action="store_true", help="do not ask (needed when not on a terminal)")
    mv = sub.add_parser("mv", help="give library NAME the new root DIR (after moving the folder)")
    mv.add_argument("name", metavar="NAME")
    mv.add_argument("dir", metavar="DIR")
    rename = sub.add_parser("rename", help="rename library OLD to NEW")
    rename.add_argument("name", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    for action in (add, rm, mv, rename):
        action.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run ``library ACTION``."""
    with ctx.database() as db:
        if args.action == "ls":
            return _ls(ctx, db, args.json)
        if args.action == "rm":
            return _rm(ctx, db, args)
        if args.action == "add":
            library = add_library(db, args.name, checked_root(Path(args.dir)))
            verb = f"Added library {library.name!r} at {library.root_path}: now run nomarr scan {library.root_path}"
        elif args.action == "mv":
            library = move_library(db, args.name, checked_root(Path(args.dir)))
            verb = f"Library {library.name!r} now has its root at {library.root_path}: run nomarr scan {library.root_path}"
        else:
            library = rename_library(db, args.name, args.new)
            verb = f"Renamed library {args.name!r} to {library.name!r}"
    if args.json:
        ctx.out.print_json(json.dumps({"name": library.name, "root": library.root_path}))
    else:
        ctx.out.print(verb, markup=False)
    return EXIT_OK


def _ls(ctx: CliContext, db: Any, as_json: bool) -> int:
    rows = []
    for library in db.libraries.list():
        counts = db.library_files.count_by_status(library.key_)
        exists = Path(library.root_path).is_dir()
        rows.append({"name": library.name, "root": library.root_path, "root_exists": exists,
                     "files": sum(counts.values()), "by_status": dict(sorted(counts.items()))})  # fmt: skip
    if as_json:
        ctx.out.print_json(json.dumps(rows))
        return EXIT_OK
    if not rows:
        ctx.out.print("No libraries yet: run nomarr scan DIR (or nomarr library add NAME DIR).")
        return EXIT_OK
    table = Table("library", "root", "files", "by status", box=box.SIMPLE_HEAD)
    for row in rows:
        root = row["root"] if row["root_exists"] else f"{row['root']} (missing: moved? nomarr library mv)"
        states = ", ".join(f"{state} {count}" for state, count in row["by_status"].items())
        table.add_row(row["name"], root, str(row["files"]), states)
    ctx.out.print(table)
    return EXIT_OK


def _rm(ctx: CliContext, db: Any, args: argparse.Namespace) -> int:
    library = find_library(db, args.name)
    if library is None:
        raise UsageError(f"no library is called {args.name!r}: see nomarr library ls")
    if not args.yes and not ask(ctx, f"Forget library {library.name!r} ({library.root_path}) with its files and tags?"):
        raise UsageError(f"library {library.name!r} not removed: confirm on a terminal, or pass --yes")
    _library, counts = remove_library(db, args.name)
    files = counts.get("library_files", 0)
    if args.json:
        ctx.out.print_json(json.dumps({"name": library.name, "root": library.root_path, "removed": counts}))
    else:
        ctx.out.print(f"Removed library {library.name!r}: forgot {files} files and their tags (nothing on disk changed).", markup=False)
    return EXIT_OK
