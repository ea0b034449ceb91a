"""Rebuilding the in-memory engine from the durable store on open."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from arangolite.errors import DATADIR_INVALID, ArangoError
from arangolite.storage.collection import Collection
from arangolite.storage.database import Database
from arangolite.storage.durability import Store
from arangolite.storage.index_specs import build_index
from arangolite.storage.keys import KeyGenerator

if TYPE_CHECKING:
    from arangolite.storage.engine import Engine

__all__ = ["load_into"]


def load_into(engine: Engine, store: Store) -> None:
    """Load every database, collection, index, graph and document; 1201 on inconsistent data."""
    try:
        _load(engine, store)
    except ArangoError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise ArangoError(DATADIR_INVALID, f"{store.path}: inconsistent store ({exc})") from None


def _load(engine: Engine, store: Store) -> None:
    snap = store.load()
    engine.observe_tick(int(snap.meta.get("tick", "100")))
    engine.clock.observe(int(snap.meta.get("clock", "0")))
    for name, dbid, _props in snap.databases:
        engine.databases[name] = Database(engine, name, dbid)
    by_cid: dict[int, Collection] = {}
    for cid, db_name, name, props_json in snap.collections:
        props: dict[str, Any] = json.loads(props_json)
        keygen = KeyGenerator(props.pop("keyOptions", None), engine.tick)
        coll = Collection(cid, name, int(props.pop("type", 2)), props, keygen)
        engine.databases[db_name].collections[name] = coll
        by_cid[cid] = coll
    for cid, iid, spec_json in snap.indexes:
        spec = json.loads(spec_json)
        by_cid[cid].indexes.append(build_index(iid, spec["name"], spec))
    for db_name, _name, doc_json in snap.graphs:
        doc = json.loads(doc_json)
        engine.databases[db_name].graphs[doc["_key"]] = doc
    docs: dict[int, dict[str, dict[str, Any]]] = {cid: {} for cid in by_cid}
    loads = json.loads
    for cid, key, doc_json in store.documents():
        docs[cid][key] = loads(doc_json)
    for cid, coll in by_cid.items():
        coll.bulk_load(docs[cid])
