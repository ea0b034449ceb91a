"""The engine's persistence: the catalogue and commits written to the store of a data directory.

:class:`EnginePersistence` is the part of :class:`arangolite.storage.engine.Engine` that writes
to SQLite (catalogue statements, a committing transaction's documents with their index and edge
rows) and makes a commit visible: applied in memory, or, on disk, by moving the read snapshot.
"""

from __future__ import annotations

import contextlib
import functools
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from arangolite.errors import CONFLICT, DATA_SOURCE_NOT_FOUND, ArangoError
from arangolite.storage.collection import Collection, unique_violation
from arangolite.storage.disk_state import index_table
from arangolite.storage.durability import Statement, Store, dumps
from arangolite.storage.index_build import IndexBuild, MemoryBuild, TableBuild
from arangolite.storage.index_rows import (
    Ahead,
    build_rows,
    commit_rows,
    duplicate_key,
    has_table,
    rows_ahead,
    rows_caught_up,
    table_statements,
)
from arangolite.storage.keys import RevisionClock
from arangolite.storage.ondisk import DiskBacking
from arangolite.storage.overlay import Overlay
from arangolite.storage.snapshots import Snapshots
from arangolite.storage.sync import catch_up_documents, catch_up_in_commit
from arangolite.storage.transactions import serialize

if TYPE_CHECKING:
    from arangolite.storage.database import Database
    from arangolite.storage.sync import Replica

__all__ = ["EnginePersistence", "Prepared", "drop_collection_sql"]


class Prepared:
    """What the commit of one overlay works out before the engine lock
    (:meth:`EnginePersistence.prepare`): its documents' JSON text and the index rows of its new
    versions. Both depend only on the committing transaction's own writes, which nobody else
    changes; what depends on the committed state (the versions replaced, conflicts) is left to
    the commit, under the lock."""

    __slots__ = ("deletes", "rows", "upserts")

    def __init__(self, overlay: Overlay) -> None:
        self.upserts, self.deletes = serialize([overlay])
        self.rows: Ahead = rows_ahead(overlay.coll.indexes, overlay.writes)


# a new index's rows written with the engine lock let go, on disk (as a commit's from
# ``transactions.PREPARE_AHEAD`` writes): fewer are written in about a millisecond
APART_ROWS = 1000
_ATTEMPTS = 3  # writes of a commit whose collection another process keeps renaming (then 1200)


class _Renamed(Exception):  # a signal for ``persist`` (make the text again), not an error
    pass


def _follow_names(overlays: list[Overlay], ready: dict[Overlay, Prepared]) -> None:
    """Documents written under a collection's earlier name take the current one
    (``Overlay.follow_name``); their prepared text, made with the earlier name, is dropped."""
    for overlay in overlays:
        if overlay.renames != overlay.coll.renames and overlay.follow_name():
            ready.pop(overlay, None)


def _refuse_duplicates(index: Any, rows: list[tuple[bytes, str]] | None) -> None:
    """1210 when a new unique ``index`` holds a value twice (its table's ``rows``; None: its
    in-memory entries)."""
    if getattr(index, "unique", False):
        dup = index.entries.duplicate() if rows is None else duplicate_key(rows)
        if dup is not None:
            raise unique_violation(index, dup)


class EnginePersistence:
    """Catalogue and commit persistence (a base of ``Engine``)."""

    store: Store | None
    disk: DiskBacking | None
    databases: dict[str, Database]
    snapshots: Snapshots
    clock: RevisionClock
    seq: int
    catalog_version: int
    data_version: int
    applying: threading.RLock

    def _catalog(
        self, statements: list[tuple[str, tuple[Any, ...]]], many: Sequence[Statement] | None = None,
        *, before: Callable[[], list[Statement]] | None = None,
    ) -> None:
        if self.store is not None:
            self._catalogued(self.store.execute(statements, self.clock.last, many, before=before))

    def _catalogued(self, version: int) -> None:
        """A catalogue change of this process is stored as ``version``."""
        if version == self.catalog_version + 1:  # else another process changed it too
            self.catalog_version = version
        if self.disk is not None:  # read what was just written (new tables, documents)
            self.disk.refresh(self._by_cid(), self.snapshots)

    def _by_cid(self) -> dict[int, Collection]:
        return {c.cid: c for db in self.databases.values() for c in db.collections.values()}

    def attach_new(self, coll: Collection) -> None:
        """Give a newly created collection the engine's kind of committed state."""
        if self.disk is not None:
            self.disk.attach(coll)

    def store_collection(
        self, db: Database, coll: Collection, *, rewrite_documents: bool = False
    ) -> None:
        """Persist a collection's catalogue entry (and, after a rename, its documents' ``_id``;
        a rename writes the name alone, so properties another process changed meanwhile stay)."""
        statements: list[tuple[str, tuple[Any, ...]]] = [
            ("UPDATE collections SET name=? WHERE cid=?", (coll.name, coll.cid))
            if rewrite_documents
            else (
                "INSERT OR REPLACE INTO collections VALUES (?, ?, ?, ?)",
                (coll.cid, db.name, coll.name, dumps(coll.stored_props())),
            )
        ]
        many: list[Statement] = []
        before = None
        if rewrite_documents:  # streamed: a list of every document would not fit at 1M
            many.append(("UPDATE documents SET doc=? WHERE cid=? AND key=?", _renamed_rows(coll)))
            before = functools.partial(self._renamed_documents_caught_up, coll)
        self._catalog(statements, many, before=before)
        if rewrite_documents and self.disk is not None:
            self.disk.cache.clear()  # documents read meanwhile were cached with their old _id

    def store_properties(self, coll: Collection, names: Iterable[str]) -> None:
        """Persist the properties ``names`` of ``coll`` over the entry as stored now, read inside
        the store transaction: properties another process set meanwhile stay."""
        store = self.store
        if store is None:
            return
        names = list(names)

        def merged() -> list[Statement]:
            rows = store.collection_props([coll.cid])
            if not rows:  # dropped by another process
                raise ArangoError(DATA_SOURCE_NOT_FOUND, coll.name)
            props = json.loads(rows[0][1])
            for name in names:
                if name in coll.props:
                    props[name] = coll.props[name]
                else:
                    props.pop(name, None)
            return [("UPDATE collections SET props=? WHERE cid=?", [(dumps(props), coll.cid)])]

        self._catalog([], before=merged)

    def _renamed_documents_caught_up(self, coll: Collection) -> list[Statement]:
        """Inside a rename's write transaction, before its documents are read: the documents
        another process committed since this one last looked (under the old name) are read
        too, so every stored ``_id`` takes the new name."""
        seq = self.seq
        catch_up_documents(cast("Replica", self))
        if self.disk is None and self.store is not None and self.store.keys_changed_since(coll.cid, seq):
            coll.state.rename(coll.name)  # documents the catch-up applied carry the old name
        return []

    def forget_collection(self, coll: Collection) -> None:
        self._catalog(drop_collection_sql(coll))
        if self.disk is not None:
            self.disk.cache.forget_scan(coll.cid)  # its documents went without change rows

    def index_build(self, coll: Collection, index: Any) -> IndexBuild | None:
        """A build of ``index`` to run with the engine lock let go
        (:mod:`arangolite.storage.index_build`): in memory (also the in-memory state of a data
        directory, ``on_disk=False``), and on disk for an index kept as a table; else None (on
        disk a geo or fulltext index, built at its first read: ``storage.first_read``)."""
        if self.store is None:
            return MemoryBuild(self.snapshots, coll, index)
        if self.disk is None:  # the in-memory state of a data directory: rows made there too
            build = MemoryBuild(self.snapshots, coll, index, since=self.seq)
            if has_table(index):
                build.rows = []
            return build
        if not has_table(index):
            return None
        return TableBuild(self.disk.pins, coll, index)

    def store_index(
        self, coll: Collection, index: Any, spec: dict[str, Any], build: IndexBuild | None = None,
        *, still_new: Callable[[], None] | None = None,
    ) -> None:
        """Build ``index`` over the committed documents, persist it (1210 on duplicates) and
        add it to ``coll``; ``build``: it, made before (:meth:`index_build`); ``still_new``:
        raises (nothing stored) when, after the catch-up inside the store transaction, the
        collection has an index like it or of its name (another process made it meanwhile).

        The rows come from a snapshot; this process (with the lock let go during a ``build``)
        or another may commit documents of the collection before the index is stored, not
        knowing it yet. So the store's write transaction, where no other process commits, first
        catches up (``sync.catch_up_in_commit``) and brings the index up to date with every key
        of the collection committed after that snapshot (:meth:`_index_caught_up`): the stored
        index holds every stored document, and a later commit anywhere sees it and writes its
        rows. On disk a geo or fulltext index is built at its first read (``built_on_read``).

        On disk, :data:`APART_ROWS` rows or more are written with the engine lock let go, as a
        big commit's (:class:`_Apart`): the index is added to ``coll`` once stored, by this
        request when it has the lock back or by one that catches up or writes first (a writer
        waiting for the store then writes the index's rows of its documents too)."""
        store = self.store
        if store is None:  # in memory: no other process; this one's commits were handed over
            assert isinstance(build, MemoryBuild)  # (``index_build`` always makes one here)
            if build.caught_up():  # (else checked for duplicates as it was made)
                _refuse_duplicates(index, None)
            coll.indexes.append(index)
            return
        tabled = has_table(index)
        rows: list[tuple[bytes, str]] = []
        if isinstance(build, TableBuild | MemoryBuild):  # (checked for duplicates as made)
            rows, since = build.rows or [], build.since
        else:  # on disk a geo or fulltext index: no rows, built at its first read
            assert self.disk is not None and not tabled  # (``index_build`` makes the others)
            since = self.disk.pins.current.seq

        def before() -> list[Statement]:
            catch_up_in_commit(cast("Replica", self))  # an Engine, which is a Replica
            if coll.dropped:  # by another process
                raise ArangoError(DATA_SOURCE_NOT_FOUND, coll.name)
            if still_new is not None:
                still_new()
            moved = isinstance(build, MemoryBuild) and build.caught_up()  # (the entries)
            made = self._index_caught_up(store, coll, index, rows, since)
            if build is None or made is not rows or moved:
                _refuse_duplicates(index, made if tabled else None)
            out: list[Statement] = []
            if tabled:
                out.extend(table_statements(coll.cid, index, made))
            return out

        row = ("INSERT INTO indexes VALUES (?, ?, ?)", (coll.cid, spec["id"], dumps(spec)))
        disk = self.disk
        if disk is None or len(rows) < APART_ROWS:
            self._catalog([row], before=before)
            if disk is not None:
                disk.attach_index(coll, index)
            coll.indexes.append(index)
            return

        def visible(version: int) -> None:
            self._catalogued(version)
            disk.attach_index(coll, index)
            coll.indexes.append(index)

        store.execute([row], self.clock.last, before=before, apart=_Apart(self, disk, visible))
        disk.publish_pending()  # (made visible here unless a request did meanwhile)

    def _index_caught_up(
        self, store: Store, coll: Collection, index: Any, rows: list[tuple[bytes, str]],
        since: int,
    ) -> list[tuple[bytes, str]]:
        """The rows of a new ``index`` made from snapshot ``since`` (an in-memory index: the
        index itself), brought up to date inside the store's write transaction with the keys
        of ``coll`` committed after it (after a catch-up: the committed state now holds them);
        everything read again when those keys are no longer known. ``rows`` itself when
        nothing changed."""
        tabled = has_table(index)
        if self.disk is not None and not tabled:  # built at its first read
            return []
        changed = store.keys_changed_since(coll.cid, since)
        if changed == []:
            return rows
        if self.disk is None and changed is None:  # everything again, from the documents
            docs = list(coll.state.scan())
            index.clear()
            index.bulk_load(docs)
            return build_rows(index, docs) if tabled else []
        if changed is None:
            return build_rows(index, coll.state.scan(keep=False))
        if not tabled:  # (in memory: the entries were brought up to date by the build)
            return []
        return rows_caught_up(index, rows, changed, coll.state.get_many(changed))

    def forget_index(self, coll: Collection, iid: str) -> None:
        self._catalog(
            [
                ("DELETE FROM indexes WHERE cid=? AND iid=?", (coll.cid, iid)),
                (f"DROP TABLE IF EXISTS {index_table(coll.cid, iid)}", ()),
            ]
        )

    def store_graph(self, db: Database, doc: dict[str, Any]) -> None:
        self._catalog(
            [("INSERT OR REPLACE INTO graphs VALUES (?, ?, ?)", (db.name, doc["_key"], dumps(doc)))]
        )

    def forget_graph(self, db: Database, name: str) -> None:
        self._catalog([("DELETE FROM graphs WHERE db=? AND name=?", (db.name, name))])

    @property
    def prepares(self) -> bool:
        """Whether a commit has rows to work out before the engine lock (:meth:`prepare`): with
        a data directory; in memory a commit writes nothing."""
        return self.store is not None

    @property
    def writes_apart(self) -> bool:
        """Whether a big commit writes its rows with the engine lock let go: on disk."""
        return self.disk is not None

    def after_apart(self) -> None:
        """See ``contracts.EngineContext.after_apart``."""
        if self.disk is not None:
            self.disk.publish_pending()
            if self.store is not None and not cast("Any", self).lock.closed:
                self.disk.trim_log(self.store, background=True)

    def wait_for_store(self) -> bool:
        """See ``contracts.EngineContext.wait_for_store``. Every taker of the store's gate holds
        the engine lock when it takes it, so a gate this thread cannot take, holding that lock,
        is a commit writing apart: it is waited for with the lock let go (the requests behind
        this writer run meanwhile) and never held while the lock is taken back (the commit
        takes the lock back after giving the gate back: holding both in the other order would
        deadlock)."""
        if self.store is None or self.disk is None:
            return False
        gate, waited = self.store.gate, False
        while not gate.acquire(blocking=False):
            waited = True
            with cast("Any", self).lock.released(), gate:
                pass  # (the gate given back before the lock is taken again)
        gate.release()
        return waited

    def prepare(self, overlays: list[Overlay]) -> dict[Overlay, Prepared]:
        """What a commit of ``overlays`` can work out before it takes the engine lock. A
        transaction calls it for a big commit with the lock let go (``Transaction.commit``)."""
        return {overlay: Prepared(overlay) for overlay in overlays}

    def persist(
        self, overlays: list[Overlay], *, sync: bool = False, check: Callable[[], None],
        prepared: dict[Overlay, Prepared] | None = None,
        publish: Callable[[], None] | None = None,
    ) -> None:
        """Durably write a committing transaction's changes (in memory: only ``check``).

        Inside the store's write transaction, first catch up on other processes' commits, then
        run ``check`` (which raises to refuse the commit). ``sync`` (or a written collection with
        ``waitForSync``) also fsyncs the log. ``prepared``: :meth:`prepare` of these overlays,
        made before the lock.

        ``publish`` (on disk): the rows are written with the engine lock let go (:class:`_Apart`)
        and, once stored, ``publish`` makes the commit visible, run by whoever takes the lock
        first (``DiskBacking.publish_pending``): this transaction when it has it back, or a
        request that catches up or writes before that.
        """
        ready = dict(prepared or {})
        _follow_names(overlays, ready)
        store = self.store
        if store is None or not overlays:
            check()
            return
        if self.disk is not None:
            self.disk.settle(store)  # the log copied after the last commit: finished first
        sync = sync or any(o.coll.props.get("waitForSync") for o in overlays)
        apart = None
        if publish is not None and self.disk is not None:
            apart = _Apart(self, self.disk, functools.partial(self._published, publish))
        for attempt in range(_ATTEMPTS):
            try:
                seq = self._commit_once(store, overlays, ready, sync, check, apart)
                break
            except _Renamed:  # by another process, seen inside the write: the text again
                if attempt == _ATTEMPTS - 1:
                    raise ArangoError(
                        CONFLICT, message="a written collection was renamed during the commit"
                    ) from None
                _follow_names(overlays, ready)
            except BaseException:
                if self.disk is not None and (apart is None or not apart.let_go):
                    self.disk.known = {}  # (let go: cleared before the gate was given back)
                raise
        if apart is not None:
            return  # (``known_seq`` is set when the commit is made visible)
        if self.disk is not None:
            self.disk.known_seq = seq
        else:
            self.seq = seq

    def _published(self, publish: Callable[[], None], seq: int) -> None:
        """A commit written apart is stored up to change row ``seq``: ``publish`` it."""
        assert self.disk is not None
        self.disk.known_seq = seq
        publish()

    def _commit_once(
        self, store: Store, overlays: list[Overlay], ready: dict[Overlay, Prepared], sync: bool,
        check: Callable[[], None], apart: _Apart | None = None,
    ) -> int:
        """One attempt at the store's write transaction (:meth:`persist`); :class:`_Renamed`
        when another process renamed a written collection since its documents' text was made."""

        props: list[tuple[str, int]] = []

        def before() -> list[Statement]:
            catch_up_in_commit(cast("Replica", self))  # an Engine, which is a Replica
            for overlay in overlays:
                if overlay.coll.dropped:  # by another process: nothing of the commit is kept
                    raise ArangoError(DATA_SOURCE_NOT_FOUND, overlay.coll.name)
                if overlay.coll.renames != overlay.renames:
                    raise _Renamed
            check()
            # the properties as they are now: another process may have changed them (a schema,
            # waitForSync) since this one last looked, and the commit must not write them back
            props[:] = [(dumps(o.coll.stored_props()), o.coll.cid) for o in overlays]
            return self._index_rows(overlays, ready)

        upserts: list[tuple[int, str, str]] = []
        deletes: list[tuple[int, str]] = []
        for overlay in overlays:
            made = ready.get(overlay)
            ups, dels = (made.upserts, made.deletes) if made is not None else serialize([overlay])
            upserts += ups
            deletes += dels
        return store.commit(
            upserts, deletes, props, self.clock.last, sync=sync, before=before, apart=apart
        )

    def _index_rows(
        self, overlays: list[Overlay], ready: dict[Overlay, Prepared]
    ) -> list[Statement]:
        """Index and edge rows a commit writes beside the documents (and, on disk, what it
        replaces, for the catch-up after it)."""
        out: list[Statement] = []
        for overlay in overlays:
            coll, writes = overlay.coll, overlay.writes
            if self.disk is None and not coll.is_edge and not coll.indexes:
                continue
            olds = coll.state.get_many(list(writes))
            if self.disk is not None:
                get = olds.get
                self.disk.remember_many(coll.cid, {k: (get(k), n) for k, n in writes.items()})
            made = ready.get(overlay)
            out.extend(
                commit_rows(
                    coll.cid, coll.indexes, coll.is_edge, writes, olds,
                    None if made is None else made.rows,
                )
            )
        return out

    def committed(self, overlays: list[Overlay], *, trim: bool = True) -> None:
        """Make a durable commit visible (after running transactions were told); ``trim``:
        keep the log short (not when another request makes the commit visible inside its own
        write transaction)."""
        if self.disk is None:
            with self.applying:  # reads without the engine lock see all of it or none
                for overlay in overlays:
                    apply = overlay.coll.apply
                    for key, new in overlay.writes.items():
                        apply(key, new)
        elif overlays:
            self.disk.refresh(self._by_cid(), self.snapshots)
            self.seq = self.disk.pins.current.seq
            assert self.store is not None
            if trim:
                self.disk.trim_log(self.store, background=True)


class _Apart:
    """``Store.commit``'s (or ``execute``'s) ``apart`` for an on-disk engine: the rows written
    with the engine lock let go; once stored, ``visible`` (given the change row or catalogue
    version reached) waits as ``DiskBacking.pending`` to make them visible."""

    def __init__(self, engine: EnginePersistence, disk: DiskBacking, visible: Callable[[int], None]) -> None:
        self._engine = engine
        self._disk = disk
        self._then = visible
        self.let_go = False

    @contextlib.contextmanager
    def gap(self) -> Iterator[None]:
        self._disk.writing_apart = True  # (the request-start catch-up reads nothing meanwhile)
        self.let_go = True
        with cast("Any", self._engine).lock.released():
            yield

    def done(self, seq: int) -> None:
        self._disk.pending = functools.partial(self._visible, seq)

    def failed(self) -> None:
        self._disk.known = {}  # (what ``before`` noted of the commit: not stored)
        self._disk.writing_apart = False

    def _visible(self, seq: int) -> None:
        self._disk.writing_apart = False
        self._then(seq)


def _renamed_rows(coll: Collection) -> Iterator[tuple[str, int, str]]:
    """Every document of ``coll`` with its ``_id`` under the current name, as rows of an
    ``UPDATE``; the documents are read from the first row on, so after the write transaction's
    catch-up (an in-memory state would otherwise give the list it held before it)."""
    prefix, cid = coll.name + "/", coll.cid
    for doc in coll.state.scan(keep=False):
        yield dumps({**doc, "_id": prefix + doc["_key"]}), cid, doc["_key"]


def drop_collection_sql(coll: Collection) -> list[tuple[str, tuple[Any, ...]]]:
    cid = coll.cid
    return [
        ("DELETE FROM counts WHERE cid=?", (cid,)),  # (first: the rows' deletes then count nothing)
        ("DELETE FROM documents WHERE cid=?", (cid,)),
        ("DELETE FROM edges WHERE cid=?", (cid,)),
        ("DELETE FROM indexes WHERE cid=?", (cid,)),
        ("DELETE FROM collections WHERE cid=?", (cid,)),
        *((f"DROP TABLE IF EXISTS {index_table(cid, i.id)}", ()) for i in coll.indexes),
    ]
