"""Lazy, ordered reads of one transaction's snapshot through a sorted index.

A snapshot of a collection is its committed documents, corrected by a *delta*: for keys another
transaction committed since this one began, their version at the start (``undo``); then this
transaction's own writes. :func:`ordered_scan` walks an index window (an equality prefix or a
range of the first field) and gives the snapshot's documents in index order, merged with the
delta's matching documents, a chunk at a time (:class:`Chunks`: the documents one by one, or the
chunks themselves for a reader that loops over lists, a query's FOR loop). Each round re-finds
its place by the last entry given, so the read stays correct when other transactions commit
while it is paused (a lazy cursor between two requests): their changes are in ``undo`` by then.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

from arangolite.storage.entries import Entry, Window

if TYPE_CHECKING:
    from arangolite.storage.state import CommittedState

__all__ = ["Chunks", "Window", "ordered_scan"]  # Window: re-exported for existing callers

Document = dict[str, Any]
_FIRST_CHUNK = 16
_MAX_CHUNK = 2048


class Sorted(Protocol):
    """What :func:`ordered_scan` walks: a persistent index (``indexes.PersistentIndex``), or the
    primary index in key order (``key_order.KeyOrder``). ``entries`` gives ``chunk(window, last,
    descending, size)`` (entries, each ending with its key) and ``native(entry)`` (a delta
    document's entry in the chunks' form)."""

    @property
    def entries(self) -> Any: ...

    @property
    def expanding(self) -> bool: ...

    def values_of(self, doc: Document) -> list[tuple[Any, ...]]: ...


class Chunks:
    """A lazy read's documents, iterated one by one, or as the lists it reads them in
    (``chunks``: each list complete before it is handed out, none empty). A single pass, as a
    generator is."""

    __slots__ = ("chunks",)

    def __init__(self, chunks: Iterator[list[Document]]) -> None:
        self.chunks = chunks

    def __iter__(self) -> Iterator[Document]:
        return itertools.chain.from_iterable(self.chunks)


def ordered_scan(
    index: Sorted,
    window: Window,
    base: CommittedState,
    undo: dict[str, Document | None],
    writes: dict[str, Document | None],
    *,
    descending: bool = False,
    first: int | None = None,
) -> Chunks:
    """Snapshot documents in ``window`` of ``index``, in index order (each document once).

    Args:
        index: the sorted index.
        window: the entries wanted.
        base: the committed documents (live).
        undo: this transaction's snapshot versions of keys changed since it began (live; grows).
        writes: this transaction's own writes, as of the start of the read (frozen by the caller).
        descending: walk the index backwards.
        first: the entries of the first chunk (the rows a LIMIT stops at; None: 16); each
            next chunk is twice as long, up to 2,048.
    """

    return Chunks(_chunks(index, window, base, undo, writes, descending, first))


def _chunks(
    index: Sorted,
    window: Window,
    base: CommittedState,
    undo: dict[str, Document | None],
    writes: dict[str, Document | None],
    descending: bool,
    first: int | None,
) -> Iterator[list[Document]]:
    entries = index.entries
    native = entries.native

    def pending_after(last: Any) -> list[tuple[Any, Document]]:
        found: list[tuple[Any, Document]] = []
        for key, doc in {**undo, **writes}.items():
            if doc is None:
                continue
            for vals in index.values_of(doc):
                entry: Entry = (vals, "", key)
                if not window.contains(entry):
                    continue
                mine = native(entry)
                if last is None or (mine < last if descending else mine > last):
                    found.append((mine, doc))
        found.sort(key=lambda pair: pair[0], reverse=descending)
        return found

    yielded: set[str] | None = set() if index.expanding else None
    last: Any = None
    # (nothing to merge in the common case, a snapshot no commit has touched, without writes)
    pending = pending_after(None) if undo or writes else []
    undo_size = len(undo)
    size = _FIRST_CHUNK if first is None else min(max(first, 1), _MAX_CHUNK)
    while True:
        if len(undo) != undo_size:  # another transaction committed while this read was paused
            pending, undo_size = pending_after(last), len(undo)
        chunk = entries.chunk(window, last, descending, size)
        exhausted = len(chunk) < size
        size = min(size * 2, _MAX_CHUNK)
        if not pending and not undo and not writes and yielded is None:
            # nothing of the snapshot differs from the committed state (the common case): the
            # chunk's documents in its order, all read before the first is handed out
            docs = base.get_present([e[-1] for e in chunk])
            if docs:
                yield docs
            if exhausted:
                return
            last = chunk[-1]
            continue
        rows: list[tuple[Any, Document]] = []
        wanted = [e for e in chunk if e[-1] not in writes and e[-1] not in undo]
        found = base.get_many([e[-1] for e in wanted])
        for entry in wanted:
            doc = found.get(entry[-1])
            if doc is not None:
                rows.append((entry, doc))
        if exhausted:
            take = len(pending)
        elif chunk:
            edge = chunk[-1]
            take = 0
            # <= (>=): an entry equal to the edge is the edge's own key, changed since this
            # read began; the chunk skipped it, and the next round starts after it
            while take < len(pending) and (
                pending[take][0] >= edge if descending else pending[take][0] <= edge
            ):
                take += 1
        else:
            take = 0
        if take:
            rows.extend(pending[:take])
            del pending[:take]
            rows.sort(key=lambda pair: pair[0], reverse=descending)
        docs = []
        for _, doc in rows:
            if yielded is not None:
                if doc["_key"] in yielded:
                    continue
                yielded.add(doc["_key"])
            docs.append(doc)
        if docs:
            yield docs
        if exhausted:
            return
        last = chunk[-1]
