"""``nomarr find QUERY...``: files matching a beets-style query, streamed one path per line.

Query terms (see ``docs/find.md``): ``rock`` (anywhere), ``genre:rock`` (substring),
``genre:=rock`` or ``--tag genre=rock`` (exact), ``year:1990..1999`` or ``year>=1990``
(ranges), ``path:live/``, ``title:blue``, ``^term`` (NOT) and a lone ``,`` (OR).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from nomarr.components.discovery import decode_raw_path
from nomarr.components.file_query import QueryError, parse_query, tag_names_in
from nomarr.interfaces.cli.context import CliContext
from nomarr.interfaces.cli.errors import EXIT_OK, UsageError
from nomarr.workflows.libraries import find_library
from nomarr.workflows.lookup import FoundFile, check_tag_names, iter_found

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Register ``find``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "find",
        help="list files matching a query (beets style: genre:rock year:1990.. ^mood:calm , ...)",
        description="Print the path of every file matching the query, one per line, as results "
        "arrive (no cap). Terms are AND-ed; a lone comma separates OR-ed groups. TERM forms: "
        "WORD (any tag, path or title contains it), NAME:TEXT (a NAME tag contains TEXT), "
        "NAME:=VALUE or NAME=VALUE (exact), NAME:LOW..HIGH, NAME>=N, NAME<N (numeric ranges), "
        "path:TEXT, title:TEXT, ^TERM (NOT). Values compare case-insensitively after Unicode "
        "NFC normalisation. Put -- before terms that start with '-'.",
    )
    parser.add_argument("terms", metavar="TERM", nargs="*", help="query terms, e.g. genre:rock year>=1990")
    parser.add_argument(
        "--tag", action="append", default=[], metavar="NAME=VALUE",
        help="an exact tag to require, e.g. genre=jazz (repeatable; same as the term genre:=jazz)",
    )  # fmt: skip
    parser.add_argument("--library", metavar="NAME", help="only files of this library")
    parser.add_argument("-0", "--null", dest="null", action="store_true", help="end each path with NUL, not newline (for xargs -0)")
    parser.add_argument("--json", action="store_true", help="print JSON lines: one object per file")
    parser.set_defaults(run=run)
    return parser


def _groups(args: argparse.Namespace) -> list[list[dict[str, Any]]]:
    exact = []
    for text in args.tag:
        if "=" not in text:
            raise UsageError(f"--tag {text!r} is not name=value (for example genre=jazz)")
        exact.append(text)
    terms = list(args.terms)
    if not terms and not exact:
        raise UsageError("give a query, for example: nomarr find genre:rock year>=1990")
    try:
        groups = parse_query(terms) if terms else [[]]
        extra = parse_query(exact)[0] if exact else []
    except QueryError as exc:
        raise UsageError(str(exc)) from None
    return [group + extra for group in groups]


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run ``find``."""
    groups = _groups(args)
    with ctx.database() as db:
        check_tag_names(db, tag_names_in(groups))
        library = None
        if args.library is not None:
            library = find_library(db, args.library)
            if library is None:
                raise UsageError(f"no library is called {args.library!r}: see nomarr library ls")
        count = _emit(ctx, iter_found(db, groups, library), args)
    if not args.json and not args.null:
        ctx.err.print(f"{count:,} file{'' if count == 1 else 's'} found", markup=False)
    return EXIT_OK


def _emit(ctx: CliContext, found: Any, args: argparse.Namespace) -> int:
    """Write each file as it arrives; return how many."""
    count = 0
    out = sys.stdout
    for item in found:
        count += 1
        if args.json:
            out.write(json.dumps(_as_dict(item)) + "\n")
        elif args.null:
            out.flush()
            sys.stdout.buffer.write(os.fsencode(_disk_path(item)) + b"\0")
        else:
            out.write(f"{item.path}\n")
        if count % 256 == 0:
            out.flush()
    out.flush()
    return count


def _disk_path(item: FoundFile) -> str:
    raw = item.file.metadata.get("raw_path_b64")
    return os.path.join(item.library.root_path, decode_raw_path(raw)) if isinstance(raw, str) else str(item.path)


def _as_dict(item: FoundFile) -> dict[str, Any]:
    return {"path": str(item.path), "library": item.library.name, "status": item.file.status}
