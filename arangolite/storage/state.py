"""A collection's committed documents: the interface every store offers, and the in-memory one.

Transactions read the committed state through :class:`CommittedState` (corrected by their
snapshot's ``undo`` and their own writes, see :mod:`arangolite.storage.handle`) and change it only
at commit. :class:`MemoryState` keeps the documents in an insertion-ordered dict (a write moves a
document to the end, like ArangoDB's revision-ordered storage); it serves ``Engine(None)``.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator, Sequence
from typing import Any, Protocol

from arangolite.storage.key_order import KeyList

__all__ = ["CommittedState", "MemoryState", "in_scan_order"]

Document = dict[str, Any]


class CommittedState(Protocol):
    """The committed documents of one collection."""

    def get(self, key: str) -> Document | None:
        """The document ``key`` (None when absent)."""

    def __contains__(self, key: object) -> bool: ...

    def get_many(self, keys: list[str]) -> dict[str, Document]:
        """The documents of those ``keys`` that exist."""

    def get_present(self, keys: list[str]) -> list[Document]:
        """The documents of those ``keys`` that exist, in the keys' order (an index read's
        chunk: no dictionary to build and look up again)."""

    def in_order(self, keys: Collection[str], limit: int | None = None) -> list[Document]:
        """The documents of those of ``keys`` that exist, in the order of :meth:`scan` (a
        ``FULLTEXT``'s hits: on disk read by key when they are few); the first ``limit`` of
        them (None: all), reading no more than needed."""

    def count(self) -> int:
        """How many documents."""

    # whether :meth:`key_entries` reads an index (on disk) rather than sorting the keys
    keys_indexed: bool

    def key_entries(self) -> Any:
        """The primary index's entries in key order, read as a persistent index's are
        (``chunk``, ``native``; ``storage.key_order``)."""

    def scan(
        self, *, keep: bool = True, where: Sequence[tuple[str, str, Any]] = (),
        first: int | None = None,
    ) -> Iterator[Document]:
        """Every document in write order, as of this call (later commits stay unseen).

        ``keep=False``: a one-off pass (an index build, a rename) that an on-disk state streams
        a page at a time without keeping the documents for later scans. ``where``: ``(path,
        op, value)`` conditions the caller checks on every document itself; a state may then yield
        only a superset of the documents that satisfy them (on disk: an SQL prefilter).
        ``first``: how many documents the caller expects to take (a LIMIT): on disk the first
        page read is no longer."""

    def replace(self, key: str, new: Document | None) -> Document | None:
        """Store ``new`` as ``key`` (remove when None); return the replaced version."""

    def load(self, docs: dict[str, Document]) -> None:
        """Replace every document."""

    def rename(self, coll_name: str) -> None:
        """Rewrite every ``_id`` for a collection's new name."""


def in_scan_order(
    state: CommittedState, keys: Collection[str], limit: int | None = None
) -> list[Document]:
    """:meth:`CommittedState.in_order` by one pass over ``state``, stopped after ``limit``."""
    wanted = keys if isinstance(keys, set | frozenset) else set(keys)
    if not wanted or limit == 0:
        return []
    return list(itertools.islice((d for d in state.scan() if d["_key"] in wanted), limit))


class MemoryState:
    """Committed documents in a dict, in write order."""

    keys_indexed = False

    def __init__(self) -> None:
        self._docs: dict[str, Document] = {}
        # the documents in write order as a list nobody changes: what scans iterate (a write
        # after the scan began, in a gap between its rows, must not change what it reads), made
        # at the first scan after a write instead of at every scan
        self._values: list[Document] | None = None
        # the keys in order (``key_entries``: ``SORT d._key``), made at the first such read
        # after a document was added or removed
        self._sorted: KeyList | None = None

    def get(self, key: str) -> Document | None:
        return self._docs.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._docs

    def get_many(self, keys: list[str]) -> dict[str, Document]:
        docs = self._docs
        return {k: d for k in keys if (d := docs.get(k)) is not None}

    def get_present(self, keys: list[str]) -> list[Document]:
        docs = self._docs
        return [d for k in keys if (d := docs.get(k)) is not None]

    def in_order(self, keys: Collection[str], limit: int | None = None) -> list[Document]:
        return in_scan_order(self, keys, limit)

    def count(self) -> int:
        return len(self._docs)

    def key_entries(self) -> KeyList:
        entries = self._sorted
        if entries is None:
            entries = self._sorted = KeyList(sorted(self._docs))
        return entries

    def scan(
        self, *, keep: bool = True, where: Sequence[tuple[str, str, Any]] = (),
        first: int | None = None,
    ) -> Iterator[Document]:
        values = self._values
        if values is None:
            values = self._values = list(self._docs.values())
        return iter(values)

    def replace(self, key: str, new: Document | None) -> Document | None:
        self._values = None
        old = self._docs.pop(key, None)
        if new is not None:
            self._docs[key] = new
        if (old is None) != (new is None):
            self._sorted = None
        return old

    def load(self, docs: dict[str, Document]) -> None:
        self._docs, self._values, self._sorted = docs, None, None

    def rename(self, coll_name: str) -> None:
        self._values = None
        docs = self._docs
        for key, doc in docs.items():
            docs[key] = {**doc, "_id": f"{coll_name}/{key}"}
