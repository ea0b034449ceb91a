"""A cache of check results keyed by file contents and the checker's own version.

Like ruff's and mypy's caches: a run whose files, rule selection and checker are unchanged
returns the stored findings without parsing anything; a run with changes recomputes, but
reuses the AQL parse facts of every query text seen before (keyed by the text). The checker's
version is a hash of its own source and of arangolite's AQL parser, so editing a rule or the
grammar invalidates everything.

The cache lives in ``.nomarr_lint_cache/`` under the checked root unless ``--cache-dir`` or
``NOMARR_LINT_CACHE_DIR`` says otherwise; the folder holds a ``.gitignore`` of ``*`` so git
never sees it. Unreadable or foreign cache files are ignored and rewritten, never trusted.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import pickle  # nosec B403 - our own cache files, written and read by this tool only
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..finding import Finding
from .files import list_files

__all__ = ["DEFAULT_DIR", "ENV_VAR", "ResultCache", "checker_version", "content_hash"]

DEFAULT_DIR = ".nomarr_lint_cache"
ENV_VAR = "NOMARR_LINT_CACHE_DIR"
_RESULTS = "check_naming.json"
_AQL = "aql_facts.pickle"
_PACKAGE = Path(__file__).resolve().parents[1]


def content_hash(data: bytes) -> str:
    """Return the hash a file's content is keyed by."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def checker_version() -> str:
    """Return a hash of layerlint's source and arangolite's AQL parser (grammar included)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(sys.version.encode())  # the ast module differs between Python versions
    sources = list_files(str(_PACKAGE), (".py",), recursive=True)
    parser_dir = aql_parser_dir()
    if parser_dir is None:
        digest.update(b"no-arangolite")
    else:
        folder = str(parser_dir)
        sources += list_files(folder, (".py",)) + list_files(folder, (".lark",))
    for file in sources:
        digest.update(os.path.basename(file).encode())
        with open(file, "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()


def aql_parser_dir() -> Path | None:
    """Return arangolite's AQL parser folder, found without importing arangolite (slow)."""
    try:
        spec = importlib.util.find_spec("arangolite")
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    locations.append(str(_PACKAGE.parents[4] / "arangolite"))  # the repository's own copy
    for location in locations:
        folder = Path(location) / "aql" / "parser"
        if (folder / "grammar.lark").is_file():
            return folder.resolve()
    return None


class ResultCache:
    """Stored results of one tree.

    Args:
        directory: where the cache files live (created on first write).
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @classmethod
    def for_root(cls, root: Path, override: str | None = None) -> ResultCache:
        """Return the cache of ``root``: ``override``, else $NOMARR_LINT_CACHE_DIR, else default."""
        chosen = override or os.environ.get(ENV_VAR) or str(root / DEFAULT_DIR)
        return cls(Path(chosen))

    def lookup(self, key: dict[str, Any]) -> tuple[list[Finding], int] | None:
        """Return the findings and module count stored for exactly ``key``, or None."""
        try:
            stored = json.loads((self.directory / _RESULTS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(stored, dict) or stored.get("key") != key:
            return None
        findings = [Finding(**item) for item in stored["findings"]]
        return findings, int(stored["files_checked"])

    def store(self, key: dict[str, Any], findings: Iterable[Finding], files_checked: int) -> None:
        """Remember the result of ``key`` (best effort: a read-only disk only loses speed)."""
        document = {
            "key": key,
            "files_checked": files_checked,
            "findings": [f.to_dict() for f in findings],
        }
        self._write(_RESULTS, json.dumps(document).encode())

    def load_aql(self) -> dict[str, Any]:
        """Return stored AQL parse facts by text hash (empty when absent or stale)."""
        try:
            with (self.directory / _AQL).open("rb") as handle:
                stored = pickle.load(handle)  # nosec B301 - written by store_aql below
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return {}
        if not isinstance(stored, dict) or stored.get("version") != checker_version():
            return {}
        facts = stored.get("facts")
        return facts if isinstance(facts, dict) else {}

    def store_aql(self, facts: dict[str, Any]) -> None:
        """Remember AQL parse facts by text hash."""
        data = {"version": checker_version(), "facts": facts}
        self._write(_AQL, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))

    def _write(self, name: str, data: bytes) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# written by check_naming.py: never commit its cache\n*\n")
            temporary = self.directory / f".{name}.{os.getpid()}.tmp"
            temporary.write_bytes(data)
            temporary.replace(self.directory / name)
        except OSError:
            return
