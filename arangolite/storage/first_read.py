"""Building an on-disk geo or fulltext index at its first read, with the engine lock let go.

On disk a geo or fulltext index lives in memory and is built at its first read
(``storage.built_on_read``): the whole collection decoded, seconds at a million documents. A
query that reads it first builds it in a gap of its own (its ``off_lock``: the engine lock let
go, other requests running, as during a sort), on a snapshot begun before the gap, into an index
of its own; then, holding the lock again, it installs those entries and brings them to the
engine's current snapshot (the one the index follows), with every key of the collection
committed between the two snapshots, by this process or another (their ``changes`` rows): the
entries of the version read are removed, those of the current version added. Two first reads at
once each build; the first back installs its entries and the other's are dropped. Any other
read (not through a query's view) builds holding the lock.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from arangolite import gc_pause
from arangolite.errors import DATA_SOURCE_NOT_FOUND, ArangoError
from arangolite.storage import index_build
from arangolite.storage.disk_state import fetch_docs

if TYPE_CHECKING:
    from arangolite.storage.built_on_read import BuiltOnRead, Gap
    from arangolite.storage.collection import Collection
    from arangolite.storage.disk_state import DiskState
    from arangolite.storage.pins import Pin, Pins

__all__ = ["FirstReadBuild", "keys_between"]

Document = dict[str, Any]
_ATTEMPTS = 3  # builds in a gap before one holding the lock (writes outran the change rows)


class FirstReadBuild:
    """The builder (``built_on_read.Builder``) of one index of ``coll``, on ``pins``."""

    def __init__(self, pins: Pins, coll: Collection) -> None:
        self._pins = pins
        self._coll = coll

    def __call__(self, index: BuiltOnRead, gap: Gap | None) -> None:
        state: DiskState = self._coll.state  # type: ignore[assignment]
        if gap is not None:
            for _ in range(_ATTEMPTS):
                if self._in_gap(index, gap, state):
                    return
        if not index.built:  # on the current snapshot, the lock held throughout
            index.take_entries(_made(index, list(state.scan())))

    def _in_gap(self, index: BuiltOnRead, gap: Gap, state: DiskState) -> bool:
        """One build in ``gap``; False when it must start again (the change rows between its
        snapshot and the current one were pruned meanwhile). The collection's documents kept
        whole by the cache (the current snapshot's) are read there, else from a snapshot begun
        now, and then kept for the scans that follow (a ``FULLTEXT`` reads the collection in
        its order) if they fit and that snapshot is still the current one."""
        pins, coll, cache = self._pins, self._coll, state.cache
        kept = cache.get_scan(coll.cid)
        pin = pins.acquire() if kept is not None else pins.begin()
        generation = cache.generation
        try:
            costs: list[int] = []
            with gap():
                docs = kept if kept is not None else list(state.scan_on(pin, costs))
                made = _made(index, docs)
            if index.built:  # another read built it meanwhile
                return True
            if coll.dropped:
                raise ArangoError(DATA_SOURCE_NOT_FOUND, coll.name)
            keys = keys_between(pin, pins.current, coll.cid)
            if keys is None:
                return False
            read = fetch_docs(pin.conn, coll.cid, keys) if keys else {}
            now = state.get_many(keys) if keys else {}
            index.take_entries(made)
            for key in keys:
                old, new = read.get(key), now.get(key)
                if old is not None:
                    index.remove(old)
                if new is not None:
                    index.insert(new)
            if kept is None and pin.seq == pins.current.seq:
                cache.put_scan(coll.cid, docs, sum(costs), generation)
            return True
        finally:
            if kept is not None:
                pins.release(pin)
            else:
                pins.drop(pin)


def _made(index: BuiltOnRead, docs: list[Document]) -> BuiltOnRead:
    """A new index of ``index``'s definition holding ``docs`` (nobody else reads it)."""
    made = copy.copy(index)
    made.clear()  # (new containers: the copy shares none of the index's)
    with gc_pause.paused():  # (entries by the million, none in a cycle)
        index_build.fill(made, docs)
    return made


def keys_between(a: Pin, b: Pin, cid: int) -> list[str] | None:
    """Keys of collection ``cid`` committed between snapshots ``a`` and ``b`` (either may be
    the newer); None when change rows between them were pruned."""
    newer, older = (a, b) if a.seq >= b.seq else (b, a)
    if newer.seq == older.seq:
        return []
    first = newer.conn.execute("SELECT MIN(seq) FROM changes").fetchone()[0]
    if first is not None and first > older.seq + 1:
        return None
    rows = newer.conn.execute(
        "SELECT DISTINCT key FROM changes WHERE cid = ? AND seq > ?", (cid, older.seq)
    ).fetchall()
    return [r[0] for r in rows]
