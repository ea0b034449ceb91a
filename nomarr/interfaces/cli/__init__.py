"""The ``nomarr`` command line: one module per command, errors mapped in :mod:`.errors`."""

from nomarr.interfaces.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
