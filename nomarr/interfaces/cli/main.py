"""``nomarr``: the command line. Parses arguments, runs one command, maps failures to exit codes."""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from types import FrameType
from typing import Any

from nomarr.interfaces.cli import (
    backup,
    demo,
    doctor,
    files,
    find,
    library,
    scan,
    status,
    tags,
    work,
)
from nomarr.interfaces.cli.context import CliContext
from nomarr.interfaces.cli.errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    Terminated,
    explain,
)
from nomarr.services.backend import ENVIRONMENT, AppConfig

__all__ = ["build_parser", "main"]

_COMMANDS: tuple[Callable[[Any], argparse.ArgumentParser], ...] = (
    scan.add_parser,
    work.add_parser,
    status.add_parser,
    tags.add_parser,
    find.add_parser,
    files.add_parser,
    library.add_parser,
    backup.add_parser,
    backup.add_import_parser,
    doctor.add_parser,
    demo.add_parser,
)
_DESCRIPTION = "Scan music libraries, tag files from their embedded metadata, and query the tags."


def _version() -> str:
    try:
        return importlib.metadata.version("nomarr")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def _epilog() -> str:
    lines = ["environment variables:"]
    lines += [f"  {name:<20}{text}" for name, text in ENVIRONMENT]
    lines += ["", "Start with: nomarr demo   (a generated library: scan, work and status in one go)"]
    return "\n".join(lines)


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--data-dir", metavar="DIR", default=default,
        help="embedded engine data directory (overrides NOMARR_DATA_DIR; ignored with ARANGO_HOST)",
    )  # fmt: skip
    parser.add_argument(
        "--cache-mb", metavar="MB", type=float, default=default,
        help="embedded engine's cache of decoded documents, in MB (overrides ARANGOLITE_CACHE_MB; "
        "default 128; 0 disables it; ignored with ARANGO_HOST)",
    )  # fmt: skip
    parser.add_argument(
        "--debug", action="store_true", default=False if top else argparse.SUPPRESS,
        help="log details and show tracebacks",
    )  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of ``nomarr`` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="nomarr",
        description=_DESCRIPTION,
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"nomarr {_version()}")
    _global_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add_parser in _COMMANDS:
        sub = add_parser(commands)
        sub.epilog = _epilog()
        sub.formatter_class = argparse.RawDescriptionHelpFormatter
        _global_options(sub, top=False)
    return parser


def _configure_logging(debug: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        stream=sys.stderr,
        format="%(asctime)s %(threadName)s %(name)s: %(message)s" if debug else "nomarr: warning: %(message)s",
    )
    if not debug:  # the driver's transport retries are reported once, as the final error
        logging.getLogger("urllib3").setLevel(logging.ERROR)


def _terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM handler: unwind like Ctrl-C (commands clean up), then exit 143."""
    del signum, frame
    raise Terminated


def _reader_gone() -> int:
    """stdout's reader went away (``nomarr find ... | head``): not an error; silence the final flush."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_OK


# Allocations between two collections of Python's youngest generation (its default: 700). A
# command reads documents by the ten thousand (JSON trees, no cycles among them); with the
# default, the collections those allocations trigger re-scan everything the process holds again
# and again: half the time of `nomarr files` over 100,000 files, a fifth of `nomarr find`, an
# eighth of `nomarr export` (README, Performance). Cycles are still collected, a little later.
_GC_YOUNG = 10_000


def _tune_collector() -> None:
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(_GC_YOUNG, middle, old)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``nomarr`` with ``argv`` (default: the process arguments); return the exit code."""
    _tune_collector()
    args = build_parser().parse_args(argv)
    _configure_logging(args.debug)
    ctx = CliContext(AppConfig(data_dir=args.data_dir, cache_mb=args.cache_mb), debug=args.debug)
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        code = int(args.run(args, ctx))
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return _reader_gone()
    except BaseException as exc:  # every failure leaves through the one mapping
        if isinstance(exc, SystemExit):
            raise
        code, message = explain(exc)
        quiet = code in (EXIT_INTERRUPTED, EXIT_TERMINATED)
        if args.debug and not quiet:
            ctx.err.print_exception()
        print(f"nomarr: {'' if quiet else 'error: '}{message}", file=sys.stderr)
        return code
    finally:
        signal.signal(signal.SIGTERM, previous)
