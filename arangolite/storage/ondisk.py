"""An on-disk engine's read side: pinned snapshots, the document cache, catching up.

:class:`DiskBacking` gives each collection of a data directory its on-disk state
(:mod:`arangolite.storage.disk_state`) and moves the engine's read snapshot forward
(:meth:`DiskBacking.refresh`): after its own commit, on catalogue changes, and when another
process committed. Moving forward first hands the versions about to change to the running
transactions (read from the old snapshot, so their ``undo`` holds what they began with), then
drops those keys from the cache, keeps the collection counts and the in-memory geo and fulltext
indexes up to date (once built: they are built at their first read), and makes the new snapshot current. Only then does the cache say which
snapshot its entries belong to again (its tag, for reads without the engine lock, which read
their own snapshot from :attr:`DiskBacking.readers`); after a catalogue change it says so only
at the next catch-up, since a rename rewrites documents without change rows and clears the cache
only after its catch-up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from arangolite.storage.built_on_read import BuiltOnRead
from arangolite.storage.cache import DocCache
from arangolite.storage.disk_state import (
    DiskEdgeIndex,
    DiskState,
    SqliteEntries,
    fetch_docs,
    index_table,
)
from arangolite.storage.first_read import FirstReadBuild
from arangolite.storage.index_rows import has_table
from arangolite.storage.pins import Pin, Pins
from arangolite.storage.precopy import LogPrecopy
from arangolite.storage.readers import ReadPool, snapshot_tag

if TYPE_CHECKING:
    from arangolite.storage.collection import Collection
    from arangolite.storage.durability import Store
    from arangolite.storage.snapshots import Snapshots

__all__ = ["DiskBacking"]

Document = dict[str, Any]
Known = dict[int, dict[str, tuple[Document | None, Document | None]]]
_WAL_LIMIT = 64 << 20  # log size past which a commit checkpoints (see trim_log)


class DiskBacking:
    """The pinned snapshots and document cache of one on-disk engine."""

    def __init__(self, db_file: str, timeout: float, cache_bytes: int) -> None:
        self.pins = Pins(db_file, timeout)
        self.precopy = LogPrecopy(db_file, timeout)  # the log's copy after a commit (trim_log)
        self.readers = ReadPool(db_file, timeout)  # for reads without the engine lock
        self.cache = DocCache(cache_bytes)
        self.known: Known = {}  # this process's last commit: cid -> key -> (old, new)
        self.known_seq = 0
        # a commit writing its rows with the engine lock let go (``Store.commit``, ``apart``):
        # True from then until it is visible; ``pending`` makes it visible once stored
        self.writing_apart = False
        self.pending: Callable[[], None] | None = None
        tag = snapshot_tag(self.pins.current.conn)
        self._catalog = tag[1]
        self.cache.set_tag(tag)

    @property
    def conn(self) -> Any:
        """The current snapshot's connection."""
        return self.pins.current.conn

    def attach(self, coll: Collection) -> None:
        """Read ``coll``'s documents and edges from disk."""
        coll.state = DiskState(coll.cid, self.pins, self.cache)
        if coll.is_edge:
            coll.edge_index = DiskEdgeIndex(coll.cid, self.pins)  # type: ignore[assignment]

    def attach_index(self, coll: Collection, index: Any) -> None:
        """Read ``index`` from its table (geo and fulltext indexes are built in memory, at
        their first read: :mod:`arangolite.storage.built_on_read`)."""
        if has_table(index):
            index.entries = SqliteEntries(self.pins, index_table(coll.cid, index.id))
        else:
            index.build_later(FirstReadBuild(self.pins, coll))

    def remember_many(
        self, cid: int, pairs: dict[str, tuple[Document | None, Document | None]]
    ) -> None:
        """Record documents this process is committing, ``key -> (old, new)`` (for the next
        :meth:`refresh`)."""
        self.known.setdefault(cid, {}).update(pairs)

    def publish_pending(self) -> None:
        """Make a commit stored with the engine lock let go visible, if one waits (under the
        lock; before anything moves the snapshot past it: see :meth:`refresh`)."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending()

    def refresh(self, colls: dict[int, Collection], snapshots: Snapshots) -> int:
        """Move to a snapshot of what is committed now; return its catalogue version. A commit
        stored with the engine lock let go and not visible yet is made visible first, as its own
        commit makes it (its replaced versions handed to the running transactions before any
        snapshot shows it, its key locks given back): read as another process's, its keys would
        reach those transactions unannounced."""
        self.publish_pending()
        pins = self.pins
        old, new = pins.current, pins.begin()
        self.cache.set_tag(None)
        try:
            known, self.known = self.known, {}
            only_own = _only_own(known, old.seq, new.seq, self.known_seq)
            if only_own:  # this process's commit alone: its keys are known, not read back
                changed, complete = {cid: list(own) for cid, own in known.items()}, True
            else:
                changed, complete = _changed_keys(new, old.seq)
            beyond_own = new.seq > self.known_seq
            for cid, keys in changed.items():
                coll = colls.get(cid)
                if coll is not None:
                    own = known.get(cid, {})
                    _move(coll, keys, own, beyond_own, new, snapshots, only_own=only_own)
            if not complete:  # fell behind the kept change rows: forget everything
                self.cache.clear()
                for coll in colls.values():
                    if isinstance(coll.state, DiskState):
                        coll.state.changed([], None)
                        coll.version += 1  # unknown writes: the query results cache drops all
            seq, catalog = snapshot_tag(new.conn)
        except BaseException:
            pins.drop(new)
            raise
        pins.swap(new)
        if catalog == self._catalog:
            self.cache.set_tag((seq, catalog))
        self._catalog = catalog
        return catalog

    def trim_log(self, store: Store, *, background: bool = False) -> None:
        """Keep SQLite's write-ahead log from growing without end.

        A snapshot that reads from the log stops SQLite from starting it over, and this engine
        always holds one. When the log passes a limit and is wholly copied into the database
        file, the snapshot is begun again under the write lock (so it is the same state) and
        then reads the file alone; the next commit starts the log from the beginning. SQLite's
        own automatic checkpoints are off (:meth:`Store.checkpoint_by_hand`): under the pinned
        snapshot they ran after every commit past 4 MB of log, two ``fsync`` calls each. While a
        scan holds an older snapshot nothing is copied (a checkpoint could copy only the log
        before that snapshot, about this limit); the first commit after it ends copies it all.
        ``background`` (after this engine's own commit): the copy runs on a thread of its own
        (:mod:`arangolite.storage.precopy`) while the next request is prepared, and
        :meth:`settle`, right before the next commit, finishes it.
        """
        if store.wal_bytes() < _WAL_LIMIT or self.pins.live != 1:
            return
        if background and self.precopy.start():
            return  # settle() finishes it before the next commit
        self.precopy.wait()
        self._copy_and_renew(store)

    def settle(self, store: Store) -> None:
        """Finish a copy :meth:`trim_log` left to a thread (call before a commit, under the
        engine lock): wait for it, copy what is left on the writing connection (little or
        nothing) and begin the snapshot again on the file alone, so the commit starts the log
        over. Nothing to do when no copy was left."""
        if self.precopy.wait():
            self._copy_and_renew(store)

    def _copy_and_renew(self, store: Store) -> None:
        if not store.gate.acquire(blocking=False):  # a commit writes: the next one copies
            return
        try:
            if store.wal_bytes() < _WAL_LIMIT or self.pins.live != 1 or not store.checkpoint():
                return
            with store.transaction():
                self.pins.renew()
        finally:
            store.gate.release()

    def close(self) -> None:
        self.precopy.close()
        self.pins.close()
        self.readers.close()


def _only_own(known: Known, since: int, seq: int, own_seq: int) -> bool:
    """True when the change rows after ``since`` up to ``seq`` are this process's last commit
    alone: it ended at ``own_seq`` and wrote one row per key of ``known`` (a commit's rows are
    consecutive, so that many rows right before ``own_seq`` are all of them)."""
    rows = sum(len(keys) for keys in known.values())
    return rows > 0 and seq == own_seq and seq - since == rows


def _changed_keys(new: Pin, since: int) -> tuple[dict[int, list[str]], bool]:
    """Keys committed after ``since`` up to the snapshot ``new``, by collection; False when
    change rows after ``since`` were pruned already."""
    if new.seq <= since:
        return {}, True
    first = new.conn.execute("SELECT MIN(seq) FROM changes").fetchone()[0]
    rows = new.conn.execute(
        "SELECT DISTINCT cid, key FROM changes WHERE seq > ?", (since,)
    ).fetchall()
    out: dict[int, list[str]] = defaultdict(list)
    for cid, key in rows:
        out[cid].append(key)
    return out, first is None or first <= since + 1


def _move(
    coll: Collection,
    keys: list[str],
    own: dict[str, tuple[Document | None, Document | None]],
    beyond_own: bool,
    new: Pin,
    snapshots: Snapshots,
    *,
    only_own: bool = False,
) -> None:
    """Tell running transactions, update counts and in-memory indexes, forget cached keys
    (``only_own``: ``keys`` are those of ``own``)."""
    state = coll.state
    if not isinstance(state, DiskState):
        return
    coll.version += 1  # committed writes (the query results cache checks it)
    others = [] if only_own else [k for k in keys if k not in own]
    if others:
        snapshots.hand_over(coll, others)
    memory_indexes = [i for i in coll.indexes if isinstance(i, BuiltOnRead) and i.built]
    pairs = list(own.values())
    delta: int | None = 0
    if others and (memory_indexes or state.counted):
        olds = state.get_many(others)
        news = fetch_docs(new.conn, coll.cid, others)
        pairs.extend((olds.get(k), news.get(k)) for k in others)
    elif others:
        delta = None
    if delta is not None and state.counted:  # (an uncounted state has no count to move)
        delta = sum((n is not None) - (o is not None) for o, n in pairs)
        if beyond_own and own:
            delta = None  # others may have changed this process's keys too: count again
    for index in memory_indexes:
        for o, n in pairs:
            if o is not None:
                index.remove(o)
            if n is not None:
                index.insert(n)
    state.changed(keys, delta)
