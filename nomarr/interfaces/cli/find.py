"""``nomarr find --tag genre=jazz [--tag ...]``: files carrying every given tag."""

from __future__ import annotations

import argparse
import json
from typing import Any

from nomarr.components.tag_normalize import parse_tag_filter
from nomarr.helpers.dto import TagValue
from nomarr.interfaces.cli.context import CliContext
from nomarr.interfaces.cli.errors import EXIT_OK, UsageError
from nomarr.workflows.lookup import find_files

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Register ``find``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "find",
        help="list files carrying every given tag",
        description="Print the path of every file carrying all the given tags, one per line. "
        "Values are matched after the same normalisation as tagging (case and spaces do not matter).",
    )
    parser.add_argument(
        "--tag", action="append", required=True, metavar="NAME=VALUE",
        help="a tag to match, e.g. genre=jazz (repeat to require several)",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)
    return parser


def _filters(texts: list[str]) -> list[TagValue]:
    try:
        return [parse_tag_filter(text) for text in texts]
    except ValueError as exc:
        raise UsageError(f"--tag {exc}") from None


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run ``find``."""
    filters = _filters(args.tag)
    with ctx.database() as db:
        found = find_files(db, filters)
    if args.json:
        rows = [{"path": str(f.path), "library": f.library.name, "status": f.file.status} for f in found]
        ctx.out.print_json(json.dumps(rows))
        return EXIT_OK
    for item in found:
        ctx.out.print(str(item.path), markup=False, highlight=False)
    wanted = " and ".join(f"{tag.name}={tag.value}" for tag in filters)
    ctx.err.print(f"{len(found)} file{'s' if len(found) != 1 else ''} with {wanted}", markup=False)
    return EXIT_OK
