"""Indexes a data directory keeps in memory (geo, fulltext), built when first read.

A persistent index is a SQLite table, read on demand; a geo or fulltext index lives in memory.
Building those when a data directory is opened would decode every document of their collections
at open, so an open would cost as much as the data. Instead :meth:`BuiltOnRead.build_later`
gives the index a builder (``storage.first_read``), and the first read of the index has it
built: a query's read with the engine lock let go meanwhile (:meth:`BuiltOnRead.build` with the
query's gap), any other read holding it. Until then commits leave the index alone (the build
reads what they committed).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol

__all__ = ["Builder", "BuiltOnRead", "Gap"]

Document = dict[str, Any]
# ``with gap(): ...``: the block runs with the engine lock let go (a query's ``off_lock``)
Gap = Callable[[], AbstractContextManager[Any]]


class Builder(Protocol):
    def __call__(self, index: BuiltOnRead, gap: Gap | None) -> None:
        """Build ``index`` (holding the engine lock; ``gap``: let it go meanwhile)."""


class BuiltOnRead:
    """Mixin of an in-memory index: ``build_later``, ``built``, ``build`` and ``_build`` (call it
    first in every read); the class provides ``bulk_load``, ``clear``, ``insert``, ``remove`` and
    ``ENTRIES``, the attributes that hold its entries (what :meth:`take_entries` moves)."""

    ENTRIES: tuple[str, ...] = ()
    _builder: Builder | None = None

    def bulk_load(self, docs: list[Document]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def insert(self, doc: Document) -> None:
        raise NotImplementedError

    def remove(self, doc: Document) -> None:
        raise NotImplementedError

    def build_later(self, builder: Builder) -> None:
        """Have ``builder`` build the index at its first read."""
        self.clear()
        self._builder = builder

    @property
    def built(self) -> bool:
        """False until the first read (commits need not update it before then)."""
        return self._builder is None

    def build(self, gap: Gap | None = None) -> None:
        """Build the index now if it is not (``gap``: as :class:`Builder`)."""
        builder = self._builder
        if builder is not None:
            builder(self, gap)

    def _build(self) -> None:
        self.build()

    def take_entries(self, made: BuiltOnRead) -> None:
        """Hold the entries of ``made`` (an index of the same definition, built apart) and count
        as built."""
        for name in self.ENTRIES:
            setattr(self, name, getattr(made, name))
        self._builder = None
