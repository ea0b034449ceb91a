"""A transaction's uncommitted writes to one collection.

``writes`` maps a key to its new document, or to None for a removal, in write order. For every
unique index the overlay also keeps ``values -> key`` of its own new documents, so unique checks
inside a large transaction stay O(log n) per write; for an edge collection, once an edge lookup
asked, its own edges by ``_from`` and ``_to`` vertex, so a transaction that looks up edges while
it writes many (removing a library's tag links, one file at a time) does not go through all its
writes at every lookup.
"""

from __future__ import annotations

from typing import Any

from arangolite.storage.collection import Collection
from arangolite.storage.indexes import PersistentIndex

__all__ = ["Overlay"]

Document = dict[str, Any]


class Overlay:
    """Uncommitted writes of one transaction to one collection."""

    def __init__(self, coll: Collection) -> None:
        self.coll = coll
        self.writes: dict[str, Document | None] = {}
        self._unique: dict[str, dict[tuple[Any, ...], str]] = {}
        self._indexes: list[Any] = []  # the collection's indexes when ``_uniques`` was made
        self._uniques: list[PersistentIndex] = []
        self.renames = coll.renames  # the collection's renames its documents' ``_id``s follow
        # ``_from`` / ``_to`` -> vertex -> {key: edge} of the new documents (None: not made yet)
        self._vertices: dict[str, dict[str, dict[str, Document]]] | None = None

    def follow_name(self) -> bool:
        """After the collection was renamed while the transaction ran: the documents it wrote
        under an earlier name get the ``_id`` of the current one (new documents: stored ones
        are never changed in place), as ArangoDB derives ``_id`` from the collection; whether
        any changed. (Callers check ``renames`` first: nothing to do without a rename.)"""
        self.renames = self.coll.renames
        prefix = self.coll.name + "/"
        writes = self.writes
        stale = [
            key for key, doc in writes.items() if doc is not None and doc["_id"] != prefix + key
        ]
        for key in stale:
            writes[key] = {**writes[key], "_id": prefix + key}  # type: ignore[dict-item]
        return bool(stale)

    def unique_indexes(self) -> list[PersistentIndex]:
        """The collection's unique persistent indexes (found again only when its indexes
        changed: one list comparison, by identity, per write). A unique index created while
        the transaction runs gets its table of the documents written so far, so a later write
        of one of their values is refused at once (1210), as for an index that was there."""
        indexes = self.coll.indexes
        if indexes != self._indexes:
            self._indexes = list(indexes)
            uniques = [i for i in indexes if isinstance(i, PersistentIndex) and i.unique]
            fresh = [i for i in uniques if i.id not in self._unique]
            self._uniques = uniques
            if fresh:
                for key, doc in self.writes.items():
                    if doc is not None:
                        self._index_unique(key, doc, fresh)
        return self._uniques

    def owner(self, index: PersistentIndex, values: tuple[Any, ...]) -> str | None:
        """Key of this transaction's document holding ``values`` in ``index``."""
        table = self._unique.get(index.id)
        return None if table is None else table.get(values)

    def edges_of(self, attr: str, vertex: str) -> dict[str, Document]:
        """This transaction's new edges whose ``attr`` (``_from`` or ``_to``) is ``vertex``."""
        vertices = self._vertices
        if vertices is None:
            vertices = self._vertices = {"_from": {}, "_to": {}}
            for key, doc in self.writes.items():
                if doc is not None:
                    self._add_edge(key, doc)
        return vertices[attr].get(vertex, {})

    def _add_edge(self, key: str, doc: Document) -> None:
        assert self._vertices is not None
        for attr in ("_from", "_to"):
            vertex = doc.get(attr)
            if type(vertex) is str:
                self._vertices[attr].setdefault(vertex, {})[key] = doc

    def _drop_edge(self, key: str, doc: Document) -> None:
        assert self._vertices is not None
        for attr in ("_from", "_to"):
            vertex = doc.get(attr)
            if type(vertex) is str:
                self._vertices[attr].get(vertex, {}).pop(key, None)

    def put(self, key: str, new: Document | None, uniques: list[PersistentIndex]) -> None:
        """Record a write (moving the key to the end of the write order)."""
        if key in self.writes:
            prev = self.writes.pop(key)
            if prev is not None:
                for index in uniques:
                    table = self._unique.get(index.id, {})
                    for vals in index.values_of(prev):
                        if table.get(vals) == key:
                            del table[vals]
                if self._vertices is not None:
                    self._drop_edge(key, prev)
        self.writes[key] = new
        if new is not None:
            self._index_unique(key, new, uniques)
            if self._vertices is not None:
                self._add_edge(key, new)

    def _index_unique(self, key: str, doc: Document, uniques: list[PersistentIndex]) -> None:
        for index in uniques:
            table = self._unique.setdefault(index.id, {})
            for vals in index.values_of(doc):
                table[vals] = key

    def restore(self, before: dict[str, tuple[bool, Document | None]]) -> None:
        """Put the keys of ``before`` back as they were (``(present, document)`` each) and build
        the unique tables again from the writes (a statement rolled back: ``Savepoint``). Safe
        after a write that was cut short half-way: nothing of the tables is trusted."""
        writes = self.writes
        for key, (present, doc) in before.items():
            if present:
                writes[key] = doc
            else:
                writes.pop(key, None)
        prefix = self.coll.name + "/"
        if any(doc is not None and doc["_id"] != prefix + key for key, (_, doc) in before.items()):
            self.renames = -1  # one put back carries a name from before a rename: look again
        self._unique = {}
        self._vertices = None  # made again at the next edge lookup
        uniques = self.unique_indexes()
        if uniques:
            for key, doc in writes.items():
                if doc is not None:
                    self._index_unique(key, doc, uniques)
