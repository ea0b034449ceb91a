"""The on-disk committed state: documents, index entries and edges read from SQLite on demand.

A collection of an on-disk engine reads its documents from the ``documents`` table through the
engine's pinned read snapshot (:mod:`arangolite.storage.pins`) and a bounded cache of decoded
documents (:mod:`arangolite.storage.cache`). Each persistent or TTL index is a table
``(k BLOB, key TEXT, PRIMARY KEY (k, key)) WITHOUT ROWID`` whose ``k`` is the order-preserving
encoding of the indexed values (:mod:`arangolite.storage.keycodec`); the edge index is the
``edges`` table. Nothing is decoded at open. Commits write rows in SQLite (see
:mod:`arangolite.storage.index_rows`); the engine then catches up, which invalidates the cache.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Collection, Iterator, Sequence
from itertools import chain
from typing import Any

from arangolite.storage import doc_text
from arangolite.storage.cache import MISSING, PREFILTERED, TOO_BIG, DocCache, cost
from arangolite.storage.entries import Entry, Window
from arangolite.storage.key_order import KeyRows
from arangolite.storage.keycodec import number_at, past, to_bytes, value_end
from arangolite.storage.pins import Pin, Pins
from arangolite.storage.prefilter import split_fields, where_sql
from arangolite.storage.scan_sql import scan_sql
from arangolite.storage.state import in_scan_order

__all__ = [
    "DiskEdgeIndex",
    "DiskState",
    "SqliteEntries",
    "decode_all",
    "fetch_docs",
    "index_table",
    "stored_rows",
]

Document = dict[str, Any]
_BATCH = 500  # keys per ``IN (...)`` query
_FEW_OF = 8  # ``in_order`` reads by key up to an eighth of the collection (else scans it)
_FIRST_PAGE = 64
_MAX_PAGE = 4096
# Documents, index rows and edge rows are written by a commit (index_rows) and read back after
# the catch-up; nothing changes them in place.
_COMMIT_ONLY = "on-disk documents and index entries change only through a commit"


def decode_all(texts: list[str]) -> list[Document]:
    """Decode many stored JSON documents at once (one parser call: about twice as fast)."""
    if len(texts) == 1:
        return [json.loads(texts[0])]
    found: list[Document] = json.loads("[" + ",".join(texts) + "]")
    return found


def stored_rows(conn: Any, cid: int, keys: list[str]) -> Iterator[list[tuple[str, str]]]:
    """``(key, JSON text)`` of the stored documents among ``keys``, a batch of keys at a time."""
    for start in range(0, len(keys), _BATCH):
        part = keys[start : start + _BATCH]
        marks = ",".join("?" * len(part))
        sql = f"SELECT key, doc FROM documents WHERE cid=? AND key IN ({marks})"
        yield conn.execute(sql, (cid, *part)).fetchall()


def fetch_docs(conn: Any, cid: int, keys: list[str]) -> dict[str, Document]:
    """The stored documents of ``keys`` of collection ``cid`` on ``conn`` (absent ones left out)."""
    out: dict[str, Document] = {}
    for rows in stored_rows(conn, cid, keys):
        out.update(zip((r[0] for r in rows), decode_all([r[1] for r in rows]), strict=True))
    return out


def index_table(cid: int, iid: str) -> str:
    """The SQLite table of index ``iid`` of collection ``cid``."""
    return f"ix_{cid}_{int(iid)}"


class DiskState:
    """A collection's committed documents, read through the pinned snapshot and the cache."""

    keys_indexed = True  # (the documents table's ``UNIQUE (cid, key)``)

    def __init__(self, cid: int, pins: Pins, cache: DocCache) -> None:
        self.cid = cid
        self.pins = pins
        self.cache = cache
        self._count: int | None = None

    def get(self, key: str) -> Document | None:
        doc = self.cache.get(self.cid, key)
        if doc is not MISSING:
            return doc  # type: ignore[no-any-return]
        row = self.pins.current.conn.execute(
            "SELECT doc FROM documents WHERE cid=? AND key=?", (self.cid, key)
        ).fetchone()
        if row is None:
            self.cache.put(self.cid, key, None, 0)
            return None
        found: Document = json.loads(row[0])
        self.cache.put(self.cid, key, found, cost(len(row[0])))
        doc_text.remember(((found, row[0]),))
        return found

    def __contains__(self, key: object) -> bool:
        return type(key) is str and self.get(key) is not None

    def get_present(self, keys: list[str]) -> list[Document]:
        found = self.cache.get_present(self.cid, keys)  # (the common case: all cached)
        if found is None:
            by_key = self.get_many(keys)
            return [by_key[key] for key in keys if key in by_key]
        return found

    def in_order(self, keys: Collection[str], limit: int | None = None) -> list[Document]:
        if not keys or limit == 0:
            return []
        if len(keys) * _FEW_OF > self.count():  # many: one pass over the collection
            return in_scan_order(self, keys, limit)
        keys = list(keys)
        conn, placed = self.pins.current.conn, []
        for start in range(0, len(keys), _BATCH):  # (where each is: the scan's order)
            part = keys[start : start + _BATCH]
            marks = ",".join("?" * len(part))
            sql = f"SELECT rowid, key FROM documents WHERE cid=? AND key IN ({marks})"
            placed += conn.execute(sql, (self.cid, *part)).fetchall()
        placed.sort()
        ordered = [key for _, key in placed][:limit]  # (each placed one is in this snapshot)
        found = self.get_many(ordered)
        return [found[key] for key in ordered if key in found]

    def key_entries(self) -> KeyRows:
        return KeyRows(self.pins, self.cid)

    def get_many(self, keys: list[str]) -> dict[str, Document]:
        out: dict[str, Document] = {}
        missing: list[str] = []
        cid, cache = self.cid, self.cache
        for key, doc in zip(keys, cache.get_many(cid, keys), strict=True):
            if doc is MISSING:
                missing.append(key)
            elif doc is not None:
                out[key] = doc
        if not missing:
            return out
        fill: list[tuple[str, Any, int]] = []
        texts: list[tuple[Document, str]] = []
        few = len(missing) <= doc_text.BATCH
        for rows in stored_rows(self.pins.current.conn, cid, missing):
            for (key, text), doc in zip(rows, decode_all([r[1] for r in rows]), strict=True):
                out[key] = doc
                fill.append((key, doc, cost(len(text))))
                if few:
                    texts.append((doc, text))
        fill += [(key, None, 0) for key in missing if key not in out]
        cache.put_many(cid, fill)
        doc_text.remember(texts)
        return out

    def prefetch(
        self, keys: list[str]
    ) -> tuple[dict[str, Document | None], Callable[[], bool]]:
        """Put ``keys`` in the cache (as documents, or as absent) in chunked reads; return their
        committed versions and a check that they still are: the cache's generation has not
        moved (every change of the committed state moves it: a catch-up, a clear)."""
        found = self.get_many(keys)
        cache = self.cache
        generation = cache.generation
        return {k: found.get(k) for k in keys}, lambda: cache.generation == generation

    @property
    def counted(self) -> bool:
        """True once the count is known (then kept up to date by :meth:`changed`)."""
        return self._count is not None

    def known_count(self) -> int | None:
        """The count if it is known (of the current pinned snapshot), without reading."""
        return self._count

    def seed_count(self, count: int) -> None:
        """Take ``count`` as this state's count (a view of a snapshot whose count is known)."""
        self._count = count

    def count(self) -> int:
        if self._count is None:
            kept = self.cache.get_scan(self.cid)  # every document of this snapshot
            if kept is not None:
                self._count = len(kept)
                return self._count
            row = self.pins.current.conn.execute(
                "SELECT n FROM counts WHERE cid=?", (self.cid,)
            ).fetchone()
            self._count = 0 if row is None else int(row[0])
        return self._count

    def changed(self, keys: list[str], delta: int | None) -> None:
        """``keys`` changed on disk (the count by ``delta``; None: unknown, count again)."""
        self.cache.discard_many(self.cid, keys)
        if delta is None:
            self._count = None
        elif self._count is not None:
            self._count += delta

    def scan(
        self, *, keep: bool = True, where: Sequence[tuple[str, str, Any]] = (),
        first: int | None = None,
    ) -> Iterator[Document]:
        """Every document in write order, on the snapshot current at the first ``next``.

        A collection whose decoded documents fit the cache's share for scans is kept whole
        after a complete scan (:meth:`DocCache.put_scan`), and later scans of the same
        snapshot iterate that list (no SQLite, no JSON). Otherwise pages are decoded whole and
        chained in C (no Python frame per document), and the scan fills no point entries, so
        one big scan leaves the hot documents cached. ``keep=False`` (index builds, renames)
        holds one page at a time and keeps nothing.

        ``where``: ``(path, op, value)`` conditions the caller checks again on every document
        (AQL FILTERs no index serves: ``==``, ``!=``, ``in``, ``not in``, a range bound ``>=`` /
        ``<=``, ``%`` with value ``(n, c)``). When nothing is kept, they may be pushed into the SQL
        as a prefilter (:mod:`arangolite.storage.prefilter`), which then yields a superset of
        the matches, not every document: the first such scan of a collection, and every one of
        a collection found too big to keep; another reads everything and keeps it.

        ``first`` (a LIMIT's rows): the first page is that long (``FOR d IN c LIMIT 1`` reads
        two documents, not 64; ``LIMIT 100`` 101, not 64 then 128); the next at least the usual
        first page.
        """
        return chain.from_iterable(self._pages(keep, where, first=first))

    def scan_on(self, pin: Pin, costs: list[int] | None = None) -> Iterator[Document]:
        """Every document of snapshot ``pin`` (one the caller began and ends, so its reads need
        not hold the engine lock: an index build), a page at a time, nothing kept; ``costs``:
        gets what keeping each page would cost (``DocCache.put_scan``)."""
        return chain.from_iterable(self._pages(False, (), pin, costs))

    def _pages(
        self, keep: bool, where: Sequence[tuple[str, str, Any]], own: Pin | None = None,
        costs: list[int] | None = None, first: int | None = None,
    ) -> Iterator[list[Document]]:
        pins, cid, cache = self.pins, self.cid, self.cache
        pin = pins.acquire() if own is None else own
        try:
            kept = cache.get_scan(cid) if own is None else None
            if kept is not None:
                yield kept
                return
            where, fields = split_fields(where)
            extra, params = where_sql(where) if where else ("", [])
            if extra and not cache.scan_hints.get(cid, False) and keep:
                cache.scan_hints[cid] = PREFILTERED  # the next filtered scan keeps, if it fits
            elif extra and cache.scan_hints.get(cid) != TOO_BIG:
                extra, params = "", []
            if extra or cache.scan_hints.get(cid) == TOO_BIG:
                keep = False  # (too big: do not gather what will not be kept)
            generation = cache.generation
            whole: list[Document] | None = [] if keep else None
            size = 0
            query, last = scan_sql(  # (only a prefiltered scan, never kept, projects)
                pin.conn, cid, self._count, extra, params, fields if extra else None
            )
            page = _FIRST_PAGE if first is None else max(1, min(first, _MAX_PAGE))
            while True:
                rows = pin.conn.execute(query.sql, query.params(last, page)).fetchall()
                if rows:
                    docs = decode_all([r[1] for r in rows])
                    if costs is not None:
                        costs.append(sum(cost(len(r[1])) for r in rows))
                    if whole is not None:
                        size += sum(cost(len(r[1])) for r in rows)
                        if cache.fits_scan(size):
                            whole.extend(docs)
                        else:
                            whole = None  # too big to keep: hold nothing more
                            cache.scan_hints[cid] = TOO_BIG
                    yield docs
                if len(rows) < page:
                    break
                last, page = rows[-1][0], min(max(page * 2, _FIRST_PAGE), _MAX_PAGE)
            if whole is not None and pins.current is pin:
                cache.put_scan(cid, whole, size, generation)
        finally:
            if own is None:
                pins.release(pin)

    def replace(self, key: str, new: Document | None) -> Document | None:
        raise NotImplementedError(_COMMIT_ONLY)

    def load(self, docs: dict[str, Document]) -> None:
        raise NotImplementedError(_COMMIT_ONLY)

    def rename(self, coll_name: str) -> None:
        self.cache.clear()  # the stored ``_id``s are rewritten by the rename's statements


@functools.cache
def _chunk_text(lo: bool, hi: bool, last: bool, descending: bool) -> str:
    """The text of a chunk query of one shape (``{t}``: the table)."""
    where = ["1"]
    if lo:
        where.append("k >= ?")
    if hi:
        where.append("k < ?")
    if last:
        where.append("(k, key) < (?, ?)" if descending else "(k, key) > (?, ?)")
    order = "k DESC, key DESC" if descending else "k, key"
    return f"SELECT k, key FROM {{t}} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?"


# window bounds -> their bytes, for windows whose bytes are short (a query run again with the
# same bind values looks them up); emptied when full
_BOUNDS: dict[tuple[Any, ...], tuple[bytes | None, bytes | None]] = {}
_BOUNDS_MAX = 1024
_BOUNDS_KEPT_LEN = 256  # longer bounds (a long string) are made again each time, never kept


def _window_bytes(
    prefix: bool, low: Any, low_incl: bool, high: Any, high_incl: bool
) -> tuple[bytes | None, bytes | None]:
    """:meth:`SqliteEntries.bounds` of a window (its encoded values are tuples: hashable)."""
    key = (prefix, low, low_incl, high, high_incl)
    found = _BOUNDS.get(key)
    if found is None:
        found = _make_window_bytes(prefix, low, low_incl, high, high_incl)
        if len(found[0] or b"") + len(found[1] or b"") <= _BOUNDS_KEPT_LEN:
            if len(_BOUNDS) >= _BOUNDS_MAX:
                _BOUNDS.clear()
            _BOUNDS[key] = found
    return found


def _make_window_bytes(
    prefix: bool, low: Any, low_incl: bool, high: Any, high_incl: bool
) -> tuple[bytes | None, bytes | None]:
    if prefix:
        assert low is not None
        start = to_bytes(low)
        return start, past(start)
    lo = hi = None
    if low is not None:
        lo = to_bytes((low,))
        if not low_incl:
            lo = past(lo)
    if high is not None:
        hi = to_bytes((high,))
        if high_incl:
            hi = past(hi)
    return lo, hi


def _prefix_then_bytes(
    values: tuple[Any, ...], low: Any, low_incl: bool, high: Any, high_incl: bool
) -> tuple[bytes, bytes]:
    """The byte bounds of ``Window.prefix_then``: the equal values' bytes, then the next
    value's bound (an exclusive low or an inclusive high past every key it begins)."""
    base = to_bytes(values)
    lo = base if low is None else to_bytes((*values, low))
    if low is not None and not low_incl:
        lo = past(lo)
    hi = past(base) if high is None else to_bytes((*values, high))
    if high is not None and high_incl:
        hi = past(hi)
    return lo, hi


class SqliteEntries:
    """A persistent or TTL index's entries in its SQLite table (read on the pinned snapshot).

    Entries read back are ``(k, key)``: ``k`` the encoded values, ordered like the in-memory
    entries they stand for (:meth:`native` converts one).
    """

    def __init__(self, pins: Pins, table: str) -> None:
        self.pins = pins
        self.table = table
        self._texts: dict[str, str] = {}  # chunk query shape -> its text on this table

    def _q(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        return self.pins.current.conn.execute(sql.format(t=self.table), params).fetchall()

    def native(self, entry: Entry) -> tuple[bytes, str]:
        return to_bytes(entry[0]), entry[2]

    @staticmethod
    def bounds(window: Window) -> tuple[bytes | None, bytes | None]:
        """``(low, high)``: the window is ``low <= k < high`` (None: unbounded); worked out once
        per window (a chunked read asks again for every chunk)."""
        found = window.store_bounds
        if found is None and window.then is not None:
            found = window.store_bounds = _prefix_then_bytes(*window.then)
        elif found is None:
            found = window.store_bounds = _window_bytes(
                window.prefix_len is not None, window.low, window.low_incl, window.high,
                window.high_incl,
            )
        return found  # type: ignore[no-any-return]

    @classmethod
    def chunk_sql(cls, window: Window, last: Any, descending: bool) -> tuple[str, list[Any]]:
        """The query of :meth:`chunk` (``{t}``: the table) and its parameters but the limit.

        ``last`` (an entry of the window) replaces the window's bound on its side: with both,
        SQLite seeks to the window's bound and steps over every entry up to ``last``, so a
        long read in chunks would cost the square of its length.
        """
        lo, hi = cls.bounds(window)
        if last is not None:
            if descending:
                hi = None
            else:
                lo = None
        params: list[Any] = []
        if lo is not None:
            params.append(lo)
        if hi is not None:
            params.append(hi)
        if last is not None:
            params.extend(last)
        return _chunk_text(lo is not None, hi is not None, last is not None, descending), params

    def chunk(self, window: Window, last: Any, descending: bool, size: int) -> list[Any]:
        sql, params = self.chunk_sql(window, last, descending)
        text = self._texts.get(sql)  # formatted once per shape (a chunked read asks again)
        if text is None:
            text = self._texts[sql] = sql.format(t=self.table)
        params.append(min(size, 1 << 62))
        return self.pins.current.conn.execute(text, params).fetchall()

    def prefix_keys(self, values: tuple[Any, ...]) -> list[str]:
        low = to_bytes(values)
        rows = self._q(
            "SELECT key FROM {t} WHERE k >= ? AND k < ? ORDER BY k, key", (low, past(low))
        )
        return [r[0] for r in rows]

    def prefix_count(self, values: tuple[Any, ...], cap: int | None = None) -> int:
        """As :meth:`SortedEntries.prefix_count`: one ``COUNT`` over the index rows alone (with
        ``cap``, of at most ``cap`` rows: the count stops there)."""
        low = to_bytes(values)
        if cap is None:
            rows = self._q("SELECT COUNT(*) FROM {t} WHERE k >= ? AND k < ?", (low, past(low)))
        else:
            rows = self._q(
                "SELECT COUNT(*) FROM (SELECT 1 FROM {t} WHERE k >= ? AND k < ? LIMIT ?)",
                (low, past(low), cap),
            )
        return int(rows[0][0])

    def runs(self, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[str, int]]:
        """As :meth:`SortedEntries.runs`: two index seeks per distinct value, no document read."""
        base = to_bytes(prefix) if prefix else b""
        end = past(base) if prefix else None
        low = base
        while True:
            if end is None:
                rows = self._q("SELECT k, key FROM {t} WHERE k >= ? ORDER BY k, key LIMIT 1", (low,))
            else:
                rows = self._q(
                    "SELECT k, key FROM {t} WHERE k >= ? AND k < ? ORDER BY k, key LIMIT 1",
                    (low, end),
                )
            if not rows:
                return
            k, key = rows[0]
            head = k[: value_end(k, len(base))]
            high = past(head)
            count = self._q("SELECT COUNT(*) FROM {t} WHERE k >= ? AND k < ?", (head, high))
            yield key, int(count[0][0])
            low = high

    def min_number(self) -> float | None:
        rows = self._q("SELECT k FROM {t} ORDER BY k LIMIT 1", ())
        return number_at(rows[0][0]) if rows else None

    def add(self, entry: Entry) -> None:
        raise NotImplementedError(_COMMIT_ONLY)

    def discard(self, entry: Entry) -> None:
        raise NotImplementedError(_COMMIT_ONLY)

    def clear(self) -> None:
        raise NotImplementedError(_COMMIT_ONLY)

    def bulk_load(self, entries: list[Entry]) -> None:
        raise NotImplementedError(_COMMIT_ONLY)


# CROSS JOIN fixes the loop order: the vertex's edge rows first, then each one's document by key.
# With a plain JOIN, SQLite's planner may walk every document of the collection (documents_scan)
# and probe the edges for each: one lookup then costs the whole collection (100 s for a `find`
# over 10k files).
EDGE_KEYS_SQL = (
    "SELECT e.key FROM edges AS e CROSS JOIN documents AS d ON d.cid = e.cid AND d.key = e.key"
    " WHERE e.cid=? AND e.dir=? AND e.vertex=? ORDER BY d.rowid"
)


class DiskEdgeIndex:
    """``_from`` / ``_to`` -> edge keys from the ``edges`` table, in write order."""

    kind = "edge"

    def __init__(self, cid: int, pins: Pins) -> None:
        self.cid = cid
        self.pins = pins

    def keys(self, vertex: str, direction: str) -> list[str]:
        rows = self.pins.current.conn.execute(
            EDGE_KEYS_SQL, (self.cid, 0 if direction == "out" else 1, vertex)
        ).fetchall()
        return [r[0] for r in rows]

    def insert(self, doc: Document) -> None:
        raise NotImplementedError(_COMMIT_ONLY)

    def remove(self, doc: Document) -> None:
        raise NotImplementedError(_COMMIT_ONLY)

    def clear(self) -> None:
        raise NotImplementedError(_COMMIT_ONLY)
