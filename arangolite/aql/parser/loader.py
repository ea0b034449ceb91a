"""Builds the lark parser of ``grammar.lark`` once per process, from an on-disk cache if it can.

Analysing the grammar (LALR tables, lexer) takes a few tenths of a second, in every process that
parses AQL. lark's ``cache=`` option pickles the analysed parser to a file and loads it back in
later processes; the transformer is given again at load time, so callbacks are unaffected, and
``reserve_keywords`` patches the loaded lexer as it patches a fresh one. The cache file lives in the
user's cache directory and is named by the grammar's hash, the lark version and the Python
version, and used by one process at a time (``cache_lock``); lark also checks a hash of grammar
and options stored in the file, and rebuilds (and rewrites) a file that does not match or cannot
be read. Without a usable cache directory the parser is built without cache.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path

import platformdirs
from lark import Lark
from lark import __version__ as lark_version

from arangolite.aql.parser.builder import Builder
from arangolite.aql.parser.cache_lock import cache_lock
from arangolite.aql.parser.keywords import reserve_keywords

__all__ = ["build_cached", "build_parser", "cache_file", "lark_parser"]

_GRAMMAR_FILE = Path(__file__).with_name("grammar.lark")
_APP_NAME = "arangolite"


def _cache_dir() -> Path | None:
    """The per-user cache directory, created if needed; ``None`` when it is not usable."""
    try:
        folder = Path(platformdirs.user_cache_dir(_APP_NAME))
        if not folder.is_absolute():  # no home directory: do not write below the cwd
            return None
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def cache_file(grammar: str) -> str | None:
    """Where the analysed ``grammar`` is cached, or ``None`` when there is no usable cache dir."""
    folder = _cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(grammar.encode("utf-8")).hexdigest()[:16]
    python = "{}.{}".format(*sys.version_info[:2])
    return str(folder / f"aql-grammar-{digest}-lark{lark_version}-py{python}.cache")


def build_parser(grammar: str, cache: str | None) -> Lark:
    """A lark LALR parser for ``grammar`` with the AST builder, cached at ``cache`` if given."""
    return Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        transformer=Builder(),
        cache=cache or False,
        maybe_placeholders=False,
    )


def build_cached(grammar: str, path: str) -> Lark:
    """``build_parser`` with the cache at ``path``, under its lock (or without it, see there)."""
    with cache_lock(path) as locked:
        return build_parser(grammar, path if locked else None)


@lru_cache(maxsize=1)
def lark_parser() -> Lark:
    """The process-wide parser: AST builder attached, reserved words kept keywords."""
    grammar = _GRAMMAR_FILE.read_text(encoding="utf-8")
    path = cache_file(grammar)
    parser = build_cached(grammar, path) if path else build_parser(grammar, None)
    reserve_keywords(parser)
    return parser
