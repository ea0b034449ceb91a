"""A bounded cache of decoded documents, shared by every collection of one engine.

Entries are ``(cid, key) -> document or None`` (None: known to be absent), each charged an
estimate of its decoded size (four times its JSON text, plus a constant); the least recently used
go when the total passes the budget. The cache holds the engine's pinned read snapshot (see
:mod:`arangolite.storage.pins`): a catch-up invalidates the keys it changes.

Requests holding the engine lock read and fill it freely (what they read is the pinned snapshot).
Reads without the engine lock (:mod:`arangolite.storage.lockfree`) read their own snapshot and
use the cache only through :meth:`DocCache.get_at` / :meth:`DocCache.put_at`, which answer only
when the cache's ``tag`` (the ``(last change row, catalogue version)`` of the pinned snapshot)
is theirs. Any change of the entries (``discard``, ``clear``) sets the tag to None until the
catch-up that made it has made its snapshot current (:meth:`DocCache.set_tag`). A lock guards
the entries, which both kinds of reader change.

A collection's whole scan (its documents in write order, as one list) may be kept as one more
entry, under ``(cid, None)``: :meth:`DocCache.get_scan` / :meth:`DocCache.put_scan` (the locked
path) and the ``_at`` forms (readers of their own snapshot). It is charged the sum of its
documents' costs against the same budget, and kept only when that is at most three quarters of
the budget (:data:`SCAN_SHARE`), so a quarter at least is left to the point entries. It follows the entries'
rules: any ``discard`` of a key of that collection drops it (so does ``clear``). The locked path
may keep a scan only when nothing changed since the scan began (:attr:`DocCache.generation`,
bumped by every ``discard``, ``clear`` and ``set_tag``) and the pinned snapshot it read is still
current (checked by the caller).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

__all__ = ["MISSING", "PREFILTERED", "TOO_BIG", "DocCache", "Tag", "default_cache_bytes"]

MISSING: Any = object()
_ABSENT_COST = 64
DEFAULT_MB = 128
Tag = tuple[int, int]  # (last change row, catalogue version) of a snapshot
PREFILTERED = 1  # scan hint: a filtered scan of the collection read through an SQL prefilter
TOO_BIG = 2  # scan hint: the collection's scan did not fit the share
SCAN_SHARE = 0.75  # a collection's scan is kept when it costs at most this share of the budget
ENV = "ARANGOLITE_CACHE_MB"


def default_cache_bytes(cache_mb: float | None = None) -> int:
    """The budget in bytes: ``cache_mb``, else ``$ARANGOLITE_CACHE_MB``, else 128 MB."""
    if cache_mb is None:
        text = os.environ.get(ENV, "")
        try:
            cache_mb = float(text) if text else DEFAULT_MB
        except ValueError:
            cache_mb = DEFAULT_MB
    return max(0, int(cache_mb * (1 << 20)))


def cost(text_len: int) -> int:
    """Estimated bytes of a decoded document whose JSON text is ``text_len`` long."""
    return 4 * text_len + 200


class DocCache:
    """Least-recently-used decoded documents within a byte budget."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        # (cid, key) -> (document or None, cost); (cid, None) -> (list of every document, cost)
        self._items: OrderedDict[tuple[int, str | None], tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self._tag: Tag | None = None  # the snapshot every entry belongs to (None: changing)
        self.generation = 0  # bumped by every change of the entries or of the tag
        # cid -> PREFILTERED / TOO_BIG: how full scans with a FILTER read it (a policy, not
        # data: it never decides what a reader sees)
        self.scan_hints: dict[int, int] = {}

    def get(self, cid: int, key: str) -> Any:
        """The cached document (None: known absent), or :data:`MISSING`."""
        with self._lock:
            item = self._items.get((cid, key))
            if item is None:
                return MISSING
            self._items.move_to_end((cid, key))
            return item[0]

    def get_many(self, cid: int, keys: list[str], tag: Tag | None = None) -> list[Any]:
        """:meth:`get` of each of ``keys`` under one lock (one entry per key, :data:`MISSING`
        when not cached); with ``tag``, as :meth:`get_at` (all MISSING for another snapshot)."""
        with self._lock:
            if tag is not None and self._tag != tag:
                return [MISSING] * len(keys)
            items = self._items
            found: list[Any] = []
            for key in keys:
                item = items.get((cid, key))
                if item is None:
                    found.append(MISSING)
                else:
                    items.move_to_end((cid, key))
                    found.append(item[0])
            return found

    def get_present(self, cid: int, keys: list[str], tag: Tag | None = None) -> list[Any] | None:
        """The cached documents of those of ``keys`` that exist, in the keys' order (an index
        read's chunk, the common case); None as soon as one of them is not cached (with
        ``tag``: also when the entries belong to another snapshot, as :meth:`get_at`)."""
        with self._lock:
            if tag is not None and self._tag != tag:
                return None
            items = self._items
            get, move = items.get, items.move_to_end
            found: list[Any] = []
            for key in keys:
                ident = (cid, key)
                item = get(ident)
                if item is None:
                    return None
                move(ident)
                if item[0] is not None:
                    found.append(item[0])
            return found

    def put(self, cid: int, key: str, doc: Any, size: int) -> None:
        """Remember ``doc`` (None: absent) charged ``size`` bytes (documents: :func:`cost`)."""
        with self._lock:
            self._put(cid, key, doc, size)

    def put_many(self, cid: int, items: list[tuple[str, Any, int]], tag: Tag | None = None) -> None:
        """:meth:`put` of each ``(key, doc, size)`` under one lock; with ``tag``, as
        :meth:`put_at` (nothing kept unless the entries belong to that snapshot)."""
        with self._lock:
            if tag is not None and self._tag != tag:
                return
            for key, doc, size in items:
                self._put(cid, key, doc, size)

    def _put(self, cid: int, key: str | None, doc: Any, size: int) -> None:
        if doc is None:
            size = _ABSENT_COST
        if size > self.limit:
            return
        ident = (cid, key)
        old = self._items.pop(ident, None)
        if old is not None:
            self.used -= old[1]
        self._items[ident] = (doc, size)
        self.used += size
        items = self._items
        while self.used > self.limit:
            _, (_, freed) = items.popitem(last=False)
            self.used -= freed

    def discard(self, cid: int, key: str) -> None:
        with self._lock:
            self._tag = None
            self.generation += 1
            for ident in ((cid, key), (cid, None)):  # the key, and the collection's scan
                old = self._items.pop(ident, None)
                if old is not None:
                    self.used -= old[1]

    def forget_scan(self, cid: int) -> None:
        """Drop the kept scan of collection ``cid`` (it was dropped)."""
        with self._lock:
            self.generation += 1
            self.scan_hints.pop(cid, None)
            old = self._items.pop((cid, None), None)
            if old is not None:
                self.used -= old[1]

    def discard_many(self, cid: int, keys: list[str]) -> None:
        """:meth:`discard` of each of ``keys`` under one lock."""
        if not keys:
            return
        with self._lock:
            self._tag = None
            self.generation += 1
            idents = zip(repeat(cid), chain((None,), keys))  # the scan, the keys
            popped = filter(None, map(self._items.pop, idents, repeat(None)))  # (in C)
            self.used -= sum(map(itemgetter(1), popped))

    def clear(self) -> None:
        with self._lock:
            self._tag = None
            self.generation += 1
            self._items.clear()
            self.used = 0
            self.scan_hints.clear()

    # -- whole scans -------------------------------------------------------------------------

    def fits_scan(self, size: int) -> bool:
        """Whether a scan costing ``size`` may be kept."""
        return size <= self.limit * SCAN_SHARE

    def get_scan(self, cid: int) -> list[Any] | None:
        """The kept scan of collection ``cid`` (every document in write order), or None."""
        with self._lock:
            item = self._items.get((cid, None))
            if item is None:
                return None
            self._items.move_to_end((cid, None))
            return item[0]  # type: ignore[no-any-return]

    def put_scan(self, cid: int, docs: list[Any], size: int, generation: int) -> None:
        """Keep ``docs`` as the scan of ``cid`` if nothing changed since ``generation``."""
        with self._lock:
            if generation == self.generation and self.fits_scan(size):
                self._put(cid, None, docs, size)

    def get_scan_at(self, tag: Tag, cid: int) -> list[Any] | None:
        """Like :meth:`get_scan`, for a reader of snapshot ``tag``."""
        with self._lock:
            if self._tag != tag:
                return None
            item = self._items.get((cid, None))
            if item is None:
                return None
            self._items.move_to_end((cid, None))
            return item[0]  # type: ignore[no-any-return]

    def put_scan_at(self, tag: Tag, cid: int, docs: list[Any], size: int) -> None:
        """Like :meth:`put_scan`, for a reader of snapshot ``tag`` (kept only when the entries
        belong to that snapshot)."""
        with self._lock:
            if self._tag == tag and self.fits_scan(size):
                self._put(cid, None, docs, size)

    # -- readers of their own snapshot (without the engine lock) -----------------------------

    def set_tag(self, tag: Tag | None) -> None:
        """Every entry now belongs to the snapshot ``tag`` (None: the entries are changing)."""
        with self._lock:
            self._tag = tag
            self.generation += 1

    @contextlib.contextmanager
    def holding(self, tag: Tag) -> Iterator[bool]:
        """Whether the entries (and the engine's collection counts) belong to snapshot ``tag``;
        it stays so for the ``with`` block (a catch-up clears the tag before it changes any)."""
        with self._lock:
            yield self._tag == tag

    def get_at(self, tag: Tag, cid: int, key: str) -> Any:
        """Like :meth:`get`, for a reader of snapshot ``tag``: :data:`MISSING` unless the
        entries belong to that snapshot."""
        with self._lock:
            if self._tag != tag:
                return MISSING
            item = self._items.get((cid, key))
            if item is None:
                return MISSING
            self._items.move_to_end((cid, key))
            return item[0]

    def put_at(self, tag: Tag, cid: int, key: str, doc: Any, size: int) -> None:
        """Like :meth:`put`, for a reader of snapshot ``tag``: kept only when the entries
        belong to that snapshot."""
        with self._lock:
            if self._tag == tag:
                self._put(cid, key, doc, size)
