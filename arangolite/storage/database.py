"""A database: its collections, named graphs and the transactions started on it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from arangolite import gc_pause, ids
from arangolite.errors import (
    BAD_PARAMETER,
    COLLECTION_TYPE_INVALID,
    DATA_SOURCE_NOT_FOUND,
    DUPLICATE_NAME,
    FORBIDDEN,
    GRAPH_NOT_FOUND,
    ILLEGAL_NAME,
    INDEX_NOT_FOUND,
    SHUTTING_DOWN,
    ArangoError,
)
from arangolite.storage.collection import SETTABLE_PROPERTIES, Collection
from arangolite.storage.index_specs import SecondaryIndex, build_index, normalize, stored_spec
from arangolite.storage.keys import KeyGenerator, is_valid_collection_name
from arangolite.storage.transactions import Transaction

if TYPE_CHECKING:
    from arangolite.storage.contracts import EngineContext
    from arangolite.storage.engine_lock import EngineLock

__all__ = ["Database"]

Document = dict[str, Any]


class _Made(Exception):  # an index like the new one was made meanwhile (``ensure_index``)
    def __init__(self, index: SecondaryIndex) -> None:
        super().__init__()
        self.index = index


class Database:
    """One database (implements ``storage.api.DatabaseHandle``)."""

    def __init__(self, engine: EngineContext, name: str, dbid: str) -> None:
        self.engine = engine
        self.name = name
        self.id = dbid
        self.collections: dict[str, Collection] = {}
        self.graphs: dict[str, Document] = {}

    @property
    def is_system(self) -> bool:
        return self.name == "_system"

    @property
    def engine_lock(self) -> EngineLock:
        """The engine's lock (see ``storage.engine_lock``)."""
        lock: EngineLock = self.engine.lock
        return lock

    # -- transactions ----------------------------------------------------------------------------

    def begin(
        self,
        read: Iterable[str] = (),
        write: Iterable[str] = (),
        exclusive: Iterable[str] = (),
        *,
        lock_timeout: float | None = None,
        stream: bool = False,
        allow_implicit: bool = True,
    ) -> Transaction:
        """Start a transaction; 1203 when a declared collection does not exist."""
        read, write, exclusive = list(read), list(write), list(exclusive)
        with self.engine.lock:
            self.engine.catch_up()
            for name in (*exclusive, *write, *read):
                self.get_collection(name)
            return Transaction(
                self,
                ids.new(),
                read=read,
                write=write,
                exclusive=exclusive,
                stream=stream,
                allow_implicit=allow_implicit,
                lock_timeout=lock_timeout,
            )

    # -- collections -----------------------------------------------------------------------------

    def get_collection(self, name: str) -> Collection:
        """A collection by name (or numeric id); 1203 when missing."""
        coll = self.collections.get(name)
        if coll is None and name.isdigit():
            coll = next((c for c in self.collections.values() if str(c.cid) == name), None)
        if coll is None:
            raise ArangoError(DATA_SOURCE_NOT_FOUND, name)
        return coll

    def create_collection(
        self, name: Any, ctype: Any = 2, options: dict[str, Any] | None = None
    ) -> Collection:
        """Create a collection (1207 duplicate, 1208 illegal name, 1218 bad type)."""
        opts = dict(options or {})
        if not is_valid_collection_name(name, system=bool(opts.get("isSystem"))):
            raise ArangoError(ILLEGAL_NAME, message="illegal name")
        if ctype not in (2, 3):
            raise ArangoError(COLLECTION_TYPE_INVALID, message="invalid collection type")
        opts = self.engine.rules.normalize(opts)
        with self.engine.lock:
            if name in self.collections:
                raise ArangoError(DUPLICATE_NAME, message="duplicate name")
            cid = self.engine.tick()
            keygen = KeyGenerator(opts.get("keyOptions"), self.engine.tick)
            props = {k: opts[k] for k in SETTABLE_PROPERTIES if k in opts}
            coll = Collection(cid, name, ctype, props, keygen, self.engine.rules)
            self.engine.attach_new(coll)
            self.engine.store_collection(self, coll)
            self.collections[name] = coll
            return coll

    def drop_collection(self, name: str, *, is_system: bool = False) -> Collection:
        with self.engine.lock:
            coll = self.get_collection(name)
            if coll.is_system and not is_system:
                raise ArangoError(FORBIDDEN, message="forbidden: cannot drop system collection")
            self.engine.forget_collection(coll)
            del self.collections[coll.name]
            coll.dropped = True
            return coll

    def rename_collection(self, name: str, new_name: Any) -> Collection:
        with self.engine.lock:
            coll = self.get_collection(name)
            if not is_valid_collection_name(new_name, system=coll.is_system):
                raise ArangoError(ILLEGAL_NAME, message="illegal name")
            if new_name in self.collections:
                raise ArangoError(DUPLICATE_NAME, message="duplicate name")
            old_name = coll.name
            with self.engine.applying:  # lock-free readers see the old name or the new one
                coll.rename(new_name)
                try:
                    self.engine.store_collection(self, coll, rewrite_documents=True)
                except BaseException:
                    coll.rename(old_name)  # not stored (e.g. disk full): memory stays as the store
                    raise
                del self.collections[old_name]
                self.collections[new_name] = coll
            return coll

    def set_properties(self, name: str, changes: dict[str, Any]) -> Collection:
        changes = self.engine.rules.normalize(changes)
        with self.engine.lock:
            coll = self.get_collection(name)
            before = dict(coll.props)
            coll.update_props(changes)
            try:  # (over the stored entry: another process may have set other properties)
                self.engine.store_properties(coll, [n for n in SETTABLE_PROPERTIES if n in changes])
            except BaseException:
                coll.props = before  # not stored: memory stays as the store
                raise
            return coll

    # -- indexes ---------------------------------------------------------------------------------

    def ensure_index(self, name: str, spec: Any) -> tuple[SecondaryIndex, bool]:
        """Create an index (or return the identical existing one); ``(index, created)``.

        The index is made with the engine lock let go (``storage.index_build``: in memory, and
        on disk the rows of a persistent or TTL index), so other requests run meanwhile, writes
        to the collection included; what they commit is in the index stored after."""
        norm = normalize(spec)
        lock = self.engine.lock
        with lock:
            coll = self.get_collection(name)
            existing = coll.find_index(norm)
            if existing is not None:
                return existing, False
            iid = str(self.engine.tick())
            index_name = spec.get("name") or f"idx_{int(iid) * 1_000_003}"
            if not isinstance(index_name, str):
                raise ArangoError(BAD_PARAMETER, "index name must be a string")
            index = build_index(iid, index_name, norm)
            coll.check_new_index(index)
            build = self.engine.index_build(coll, index)
            try:
                if build is not None:
                    try:
                        with lock.released():
                            build.run()
                    finally:
                        if lock.closed:  # the engine closed meanwhile: nothing was stored
                            raise ArangoError(SHUTTING_DOWN) from None
                    if coll.dropped:
                        raise ArangoError(DATA_SOURCE_NOT_FOUND, coll.name)

                def still_new() -> None:  # (also in the store transaction, after its catch-up)
                    found = coll.find_index(norm)  # made meanwhile by another request or process
                    if found is not None:
                        raise _Made(found)
                    coll.check_new_index(index)

                still_new()
                with gc_pause.paused():  # (rows by the million, none in a cycle)
                    self.engine.store_index(  # raises before any change
                        coll, index, stored_spec(index), build, still_new=still_new
                    )
            except _Made as made:
                return made.index, False
            finally:
                if build is not None:
                    build.close()
            return index, True

    def drop_index(self, name: str, ref: str) -> None:
        with self.engine.lock:
            coll = self.get_collection(name)
            index = coll.index_by_ref(ref)
            if index is None:
                if ref in ("0", "1", "primary", "edge"):
                    raise ArangoError(FORBIDDEN, message="forbidden: cannot drop this index")
                raise ArangoError(INDEX_NOT_FOUND)
            self.engine.forget_index(coll, index.id)
            coll.drop_index(index)

    # -- graphs ----------------------------------------------------------------------------------

    def graph(self, name: str) -> Document:
        doc = self.graphs.get(name)
        if doc is None:
            raise ArangoError(GRAPH_NOT_FOUND, name)
        return doc

    def put_graph(self, doc: Document) -> None:
        with self.engine.lock:
            self.engine.store_graph(self, doc)
            self.graphs[doc["_key"]] = doc

    def remove_graph(self, name: str) -> Document:
        with self.engine.lock:
            doc = self.graph(name)
            self.engine.forget_graph(self, name)
            del self.graphs[name]
            return doc
