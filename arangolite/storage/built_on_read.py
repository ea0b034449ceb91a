"""Indexes a data directory keeps in memory (geo, fulltext), built when first read.

A persistent index is a SQLite table, read on demand; a geo or fulltext index lives in memory.
Building those when a data directory is opened would decode every document of their collections
at open, so an open would cost as much as the data. Instead :meth:`BuiltOnRead.build_later`
gives the index a way to read the collection, and the first read of the index builds it from the
engine's current snapshot; until then commits leave it alone (the build will see them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["BuiltOnRead"]

Document = dict[str, Any]


class BuiltOnRead:
    """Mixin of an in-memory index: ``build_later``, ``built`` and ``_build`` (call it first in
    every read); the class provides ``bulk_load`` and ``clear``."""

    _loader: Callable[[], Iterable[Document]] | None = None

    def bulk_load(self, docs: list[Document]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def build_later(self, documents: Callable[[], Iterable[Document]]) -> None:
        """Build from ``documents()`` (the committed documents then) at the first read."""
        self.clear()
        self._loader = documents

    @property
    def built(self) -> bool:
        """False until the first read (commits need not update it before then)."""
        return self._loader is None

    def _build(self) -> None:
        loader = self._loader
        if loader is not None:
            docs = list(loader())
            self._loader = None
            self.bulk_load(docs)
