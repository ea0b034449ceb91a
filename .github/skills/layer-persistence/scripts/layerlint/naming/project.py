"""The checked tree: its Python files under ``nomarr/``, its schema and a shared AQL parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .aql import AqlParser
from .cache import content_hash
from .calls import ExecuteCall, Helper, find_helpers, query_sites
from .fragments import link_shared_constants
from .queries import QueryText, query_texts
from .schema import declared_collections
from .source import TOP_PACKAGE, SourceFile, relative_posix

__all__ = ["Project"]

_SKIPPED_DIRS = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".venv", "venv"})


@dataclass
class Project:
    """A tree to check.

    Attributes:
        root: the directory that contains the ``nomarr`` package.
        shown_root: how ``root`` is printed in finding paths.
        parser: the AQL parser adapter shared by the AQL rules (one parse per text).
    """

    root: Path
    shown_root: str = "."
    parser: AqlParser = field(default_factory=AqlParser)
    _queries: dict[str, list[QueryText]] = field(default_factory=dict, repr=False)
    _calls: dict[str, list[ExecuteCall]] = field(default_factory=dict, repr=False)

    @cached_property
    def paths(self) -> list[Path]:
        """Return the ``.py`` files of the ``nomarr`` package, in path order."""
        package = self.root / TOP_PACKAGE
        base = str(package)
        return sorted(p for p in package.rglob("*.py") if not _skipped(str(p), base))

    @cached_property
    def contents(self) -> dict[Path, bytes]:
        """Return every file's bytes (read once, for hashing and parsing)."""
        return {path: path.read_bytes() for path in self.paths}

    def fingerprint(self) -> list[list[str]]:
        """Return ``[relative path, content hash]`` of every file: what a cached result is for."""
        root = str(self.root)
        return [
            [relative_posix(str(path), root), content_hash(data)]
            for path, data in self.contents.items()
        ]

    @cached_property
    def files(self) -> list[SourceFile]:
        """Return every module of the ``nomarr`` package, parsed, in path order."""
        files = [
            SourceFile.load(p, self.root, self.shown_root, data)
            for p, data in self.contents.items()
        ]
        link_shared_constants(files)
        return files

    @cached_property
    def collections(self) -> frozenset[str] | None:
        """Return the declared collection names, or None when the tree has no schema module."""
        return declared_collections(self.root)

    @cached_property
    def helpers(self) -> dict[str, Helper]:
        """Return the tree's functions that pass a parameter on as a query text."""
        return find_helpers(self.files, self._calls)

    def queries(self, src: SourceFile) -> list[QueryText]:
        """Return the AQL texts of ``src`` (computed once per module)."""
        if src.rel not in self._queries:
            self._queries[src.rel] = query_texts(src, self.calls(src))
        return self._queries[src.rel]

    def calls(self, src: SourceFile) -> list[ExecuteCall]:
        """Return where ``src`` runs queries: execute calls, aliases, helpers (once per module)."""
        helpers = self.helpers  # may fill self._calls on the way
        if src.rel not in self._calls:
            self._calls[src.rel] = query_sites(src, helpers)
        return self._calls[src.rel]


def _skipped(path: str, package: str) -> bool:
    return any(part in _SKIPPED_DIRS for part in relative_posix(path, package).split("/"))
