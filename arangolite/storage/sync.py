"""Loading the store into memory on open, and catching up on other processes' commits.

Other processes append one ``changes`` row per document they commit and bump the ``catalog``
version on every catalogue change. :func:`catch_up` reads what is new since this process last
looked: changed documents are applied to the in-memory state after their current versions were
handed to running transactions (so their snapshots stay put); a new catalogue version reconciles
databases, collections, indexes and graphs by id. A process that fell behind the kept change rows
reloads every collection's documents.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Protocol

from arangolite.errors import DATADIR_INVALID, ArangoError
from arangolite.storage.collection import Collection
from arangolite.storage.contracts import EngineContext
from arangolite.storage.database import Database
from arangolite.storage.index_specs import build_index
from arangolite.storage.keys import KeyGenerator

if TYPE_CHECKING:
    from arangolite.storage.durability import Snapshot, Store
    from arangolite.storage.ondisk import DiskBacking

__all__ = ["Replica", "catch_up", "catch_up_documents", "catch_up_in_commit", "load_into"]

Document = dict[str, Any]


class Replica(EngineContext, Protocol):
    """The engine as this module keeps it in step with the store."""

    store: Store | None
    disk: DiskBacking | None  # reads documents on demand (None: all loaded in memory)
    databases: dict[str, Database]
    seq: int  # last change row applied
    catalog_version: int
    data_version: int  # the store's data version when last caught up


def load_into(engine: Replica, store: Store) -> None:
    """Load every database, collection, index, graph and document; 1201 on inconsistent data."""
    try:
        if engine.disk is not None:  # the pinned snapshot: nothing else is read at open
            snap = store.load(engine.disk.conn)
            engine.seq = engine.disk.pins.current.seq
            engine.catalog_version = int(snap.meta.get("catalog", "0"))
            engine.clock.observe(int(snap.meta.get("clock", "0")))
            _reconcile(engine, store, snap)
            return
        with store.reading():
            snap = store.load()
            engine.seq = store.last_seq()
            engine.catalog_version = int(snap.meta.get("catalog", "0"))
            engine.clock.observe(int(snap.meta.get("clock", "0")))
            _reconcile(engine, store, snap)
    except ArangoError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise ArangoError(DATADIR_INVALID, f"{store.path}: inconsistent store ({exc})") from None


def catch_up(engine: Replica) -> None:
    """Apply what other processes committed since this one last looked (callers hold the lock)."""
    store = engine.store
    if store is None:
        return
    disk = engine.disk
    if disk is not None:
        disk.publish_pending()
        if disk.writing_apart:  # the store's connection is inside that commit: read as before it
            return
    version = store.data_version()
    if version == engine.data_version:
        return
    if engine.disk is not None:
        catch_up_in_commit(engine)  # (the disk engine reads on its next snapshot)
        engine.data_version = version
        engine.disk.trim_log(store)  # another process's log: only its readers can let it restart
        return
    with store.reading():
        catch_up_in_commit(engine)
    engine.data_version = version


def catch_up_in_commit(engine: Replica) -> None:
    """Apply what other processes committed since this one last looked, the catalogue included
    (inside a store transaction, or on the disk engine's next snapshot). A commit calls it inside
    its write transaction, where no other process commits: its request caught up at its start,
    but another process may have created an index, renamed or dropped a collection since (a big
    commit prepares its rows with the engine lock let go), and its index rows and its documents'
    ``_id`` must follow that."""
    store = engine.store
    assert store is not None
    if engine.disk is not None:
        catalog = engine.disk.refresh(_by_cid(engine), engine.snapshots)
        engine.seq = engine.disk.pins.current.seq
    else:
        catalog = int(store.meta("catalog") or "0")
    if catalog != engine.catalog_version:
        snap = store.load(engine.disk.conn if engine.disk is not None else None)
        engine.catalog_version = catalog
        _reconcile(engine, store, snap)
    if engine.disk is None:
        catch_up_documents(engine)


def catch_up_documents(engine: Replica) -> None:
    """Apply documents committed by others after ``engine.seq`` (inside a store transaction)."""
    store = engine.store
    assert store is not None
    if engine.disk is not None:
        engine.disk.refresh(_by_cid(engine), engine.snapshots)
        engine.seq = engine.disk.pins.current.seq
        return
    rows, seq, complete = store.changed_since(engine.seq)
    colls = _by_cid(engine)
    if not complete:
        for coll in colls.values():
            _replace_documents(engine, coll, _stored_documents(store, coll.cid))
    touched: dict[int, list[tuple[str, Document | None]]] = defaultdict(list)
    for cid, key, doc_json in rows:
        if cid in colls:
            touched[cid].append((key, None if doc_json is None else json.loads(doc_json)))
    for cid, changes in touched.items():
        coll = colls[cid]
        engine.snapshots.hand_over(coll, [key for key, _ in changes])
        for key, new in changes:
            coll.apply(key, new)
            coll.keygen.track(key)
    for cid, props_json in store.collection_props(list(touched)) if touched else ():
        last = json.loads(props_json).get("keyOptions", {}).get("lastValue", 0)
        colls[cid].keygen.last_value = max(colls[cid].keygen.last_value, int(last))
    engine.seq = max(engine.seq, seq)


def _by_cid(engine: Replica) -> dict[int, Collection]:
    return {c.cid: c for db in engine.databases.values() for c in db.collections.values()}


def _stored_documents(store: Store, cid: int) -> dict[str, Document]:
    loads = json.loads
    return {key: loads(doc) for _, key, doc in store.documents(cid)}


def _replace_documents(engine: Replica, coll: Collection, docs: dict[str, Document]) -> None:
    """Install ``docs`` as ``coll``'s committed documents (telling running transactions)."""
    old = coll.state
    changed = [d["_key"] for d in old.scan() if docs.get(d["_key"]) is not d] + [
        k for k in docs if k not in old
    ]
    engine.snapshots.hand_over(coll, changed)
    coll.reload(docs)


def _reconcile(engine: Replica, store: Store, snap: Snapshot) -> None:
    """Make the in-memory catalogue what ``snap`` says, keeping objects whose ids still exist."""
    names = {row[0] for row in snap.databases}
    for name in [n for n in engine.databases if n not in names]:
        for coll in engine.databases.pop(name).collections.values():
            _dropped(engine, coll)
    for name, dbid, _props in snap.databases:
        if name not in engine.databases:
            engine.databases[name] = Database(engine, name, dbid)
    old = _by_cid(engine)
    fresh: dict[str, dict[str, Collection]] = {name: {} for name in engine.databases}
    for cid, db_name, name, props_json in snap.collections:
        props: dict[str, Any] = json.loads(props_json)
        if cid not in old:
            keygen = KeyGenerator(props.pop("keyOptions", None), engine.tick)
            coll = Collection(cid, name, int(props.pop("type", 2)), props, keygen, engine.rules)
            if engine.disk is not None:
                engine.disk.attach(coll)
            else:
                coll.bulk_load(_stored_documents(store, cid))
        else:
            coll = old.pop(cid)
            if coll.name != name:
                coll.rename(name)
            last = int(props.pop("keyOptions", {}).get("lastValue", 0))
            coll.keygen.last_value = max(coll.keygen.last_value, last)
            props.pop("type", None)
            coll.props = props
        fresh[db_name][name] = coll
    for coll in old.values():
        _dropped(engine, coll)
    specs: dict[int, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for cid, iid, spec_json in snap.indexes:
        specs[cid].append((iid, json.loads(spec_json)))
    for db_name, colls in fresh.items():
        db = engine.databases[db_name]
        db.collections = colls
        for coll in colls.values():
            _reconcile_indexes(engine, coll, specs.get(coll.cid, []))
        db.graphs = {}
    for db_name, _name, doc_json in snap.graphs:
        doc = json.loads(doc_json)
        engine.databases[db_name].graphs[doc["_key"]] = doc


def _dropped(engine: Replica, coll: Collection) -> None:
    coll.dropped = True
    if engine.disk is not None:
        engine.disk.cache.forget_scan(coll.cid)  # its documents went without change rows


def _reconcile_indexes(
    engine: Replica, coll: Collection, specs: list[tuple[str, dict[str, Any]]]
) -> None:
    wanted = {iid for iid, _ in specs}
    coll.indexes = [i for i in coll.indexes if i.id in wanted]
    have = {i.id for i in coll.indexes}
    for iid, spec in specs:
        if iid not in have:
            index = build_index(iid, spec["name"], spec)
            if engine.disk is not None:
                engine.disk.attach_index(coll, index)
            else:
                index.bulk_load(list(coll.state.scan()))
            coll.indexes.append(index)
