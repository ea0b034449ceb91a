"""A collection's committed documents: the interface every store offers, and the in-memory one.

Transactions read the committed state through :class:`CommittedState` (corrected by their
snapshot's ``undo`` and their own writes, see :mod:`arangolite.storage.handle`) and change it only
at commit. :class:`MemoryState` keeps the documents in an insertion-ordered dict (a write moves a
document to the end, like ArangoDB's revision-ordered storage); it serves ``Engine(None)``.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Collection, Iterator, Sequence
from typing import Any, Protocol

__all__ = ["CommittedState", "KeyBounds", "MemoryState", "in_scan_order", "keys_past"]

Document = dict[str, Any]
# bounds on keys: (low, low inclusive, high, high inclusive), None unbounded (``key_order``)
KeyBounds = tuple[str | None, bool, str | None, bool]


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

    # whether :meth:`keys_in_order` reads an index (on disk) rather than sorting the keys
    keys_indexed: bool

    def keys_in_order(
        self, bounds: KeyBounds, after: str | None, descending: bool, size: int
    ) -> list[str]:
        """Up to ``size`` keys within ``bounds`` (``storage.key_order``), in key order (reversed
        when ``descending``), past ``after`` (the last key of the previous call) when given."""

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


def keys_past(bounds: KeyBounds, after: str | None, descending: bool) -> KeyBounds:
    """``bounds`` narrowed to the keys past ``after`` in the read's direction (``after``: a key
    an earlier read within them gave; None: the bounds as they are)."""
    if after is None:
        return bounds
    low, low_incl, high, high_incl = bounds
    return (low, low_incl, after, False) if descending else (after, False, high, high_incl)


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
        # the keys in order (``keys_in_order``: ``SORT d._key``), made at the first such read
        # after a document was added or removed
        self._sorted: list[str] | None = None

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

    def keys_in_order(
        self, bounds: KeyBounds, after: str | None, descending: bool, size: int
    ) -> list[str]:
        keys = self._sorted
        if keys is None:
            keys = self._sorted = sorted(self._docs)
        low, low_incl, high, high_incl = keys_past(bounds, after, descending)
        start, stop = 0, len(keys)
        if low is not None:
            start = (bisect.bisect_left if low_incl else bisect.bisect_right)(keys, low)
        if high is not None:
            stop = (bisect.bisect_right if high_incl else bisect.bisect_left)(keys, high, lo=start)
        if stop <= start:
            return []
        if descending:
            return keys[max(start, stop - size):stop][::-1]
        return keys[start:min(stop, start + size)]

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
