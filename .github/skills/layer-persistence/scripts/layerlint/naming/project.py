"""The checked tree: its Python files under ``nomarr/``, its schema and a shared AQL parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .aql import AqlParser
from .cache import content_hash
from .calls import ExecuteCall, Helper, find_helpers, is_candidate, query_sites
from .files import list_files
from .fragments import link_shared_constants
from .queries import QueryText, query_texts
from .schema import SCHEMA_PATH, declared_collections
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
    _first_sites: dict[str, list[ExecuteCall]] = field(default_factory=dict, repr=False)

    @cached_property
    def paths(self) -> list[str]:
        """Return the ``.py`` files of the ``nomarr`` package, in ``Path`` order.

        Symlinked folders are not entered (as ``rglob`` does not enter them), skipped folders
        are pruned.
        """
        return list_files(
            str(self.root / TOP_PACKAGE), (".py",), recursive=True, skip=_SKIPPED_DIRS
        )

    @cached_property
    def contents(self) -> dict[str, bytes]:
        """Return every file's bytes (read once, for hashing and parsing)."""
        contents: dict[str, bytes] = {}
        for path in self.paths:
            with open(path, "rb") as handle:
                contents[path] = handle.read()
        return contents

    def fingerprint(self) -> list[list[str]]:
        """Return ``[relative path, content hash]`` of every file: what a cached result is for."""
        root = str(self.root)
        return [
            [relative_posix(path, root), content_hash(data)] for path, data in self.contents.items()
        ]

    @cached_property
    def files(self) -> list[SourceFile]:
        """Return every module of the ``nomarr`` package, parsed and walked, in path order.

        Each module is walked (``SourceFile.calls`` and the typed index), and its query sites
        looked for as if the tree had no helper (``find_helpers``' first pass), right after it
        is parsed, while its tree is still in the CPU cache: done after all of them were
        parsed, most nodes would be read back from memory.
        """
        files = []
        for path, data in self.contents.items():
            src = SourceFile.load(path, self.root, self.shown_root, data)
            src.calls  # noqa: B018 - the walk, done now on a tree still in cache
            if is_candidate(src):
                self._first_sites[src.rel] = query_sites(src, {})
            files.append(src)
        link_shared_constants(files)
        return files

    @cached_property
    def collections(self) -> frozenset[str] | None:
        """Return the declared collection names, or None when the tree has no schema module."""
        schema = SCHEMA_PATH.as_posix()
        parsed = next((src for src in self.files if src.rel == schema), None)
        return declared_collections(self.root, parsed)

    @cached_property
    def helpers(self) -> dict[str, Helper]:
        """Return the tree's functions that pass a parameter on as a query text."""
        return find_helpers(self.files, self._calls, self._first_sites)

    def release(self, src: SourceFile) -> None:
        """Forget the tree of ``src`` and what was read from it (its rules have run).

        Rules read other modules only through ``helpers``, ``collections``, the constants
        linked by ``files`` and the parser's cache, all read before any module is released.
        """
        self._calls.pop(src.rel, None)
        self._queries.pop(src.rel, None)
        self._first_sites.pop(src.rel, None)
        src.release()

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
