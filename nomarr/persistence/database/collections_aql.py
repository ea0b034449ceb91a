"""Whole-collection queries for export and import; the collection is a ``@@collection`` bind."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from nomarr.helpers.many import many
from nomarr.persistence.operations_base import BaseOperations, BindVars
from nomarr.persistence.schema import collection_names

__all__ = ["CollectionsOperations"]

EXPORT_BATCH_SIZE = 1000

# bind: @@collection, after, limit -> [document] with _key > after, ordered by _key (one page)
PAGE_OF_DOCUMENTS = """
FOR doc IN @@collection
  FILTER doc._key > @after
  SORT doc._key
  LIMIT @limit
  RETURN doc
"""

# bind: @@collection -> [number of documents removed]
REMOVE_ALL_DOCUMENTS = """
FOR doc IN @@collection
  REMOVE doc IN @@collection
  COLLECT WITH COUNT INTO removed
  RETURN removed
"""

# bind: @@collection -> [number of documents] (the collection's kept count on both engines:
# ArangoDB turns LENGTH(collection) into COLLECTION_COUNT, no document is read)
COUNT_DOCUMENTS = """
RETURN LENGTH(@@collection)
"""

# bind: @@collection, docs -> [] (inserts keeping _key, _from, _to)
IMPORT_DOCUMENTS = """
FOR doc IN @docs
  INSERT UNSET(doc, "_id", "_rev") INTO @@collection
"""

# bind: @@collection, docs -> [] (inserts, replacing documents with the same _key)
IMPORT_REPLACING = """
FOR doc IN @docs
  INSERT UNSET(doc, "_id", "_rev") INTO @@collection
  OPTIONS { overwriteMode: "replace" }
"""


class CollectionsOperations(BaseOperations):
    """Read and write whole collections (used by export and import only)."""

    group = "collections"

    def count(self, name: str) -> int:
        """Return the number of documents in collection ``name``."""
        bind: BindVars = {"@collection": _declared(name)}
        row = self._first(lambda db: db.aql.execute(COUNT_DOCUMENTS, bind_vars=bind), "count", idempotent=True)
        return int(row or 0)

    def iter_documents(self, name: str, batch_size: int = EXPORT_BATCH_SIZE) -> Iterator[dict[str, Any]]:
        """Yield every document of collection ``name`` in ``_key`` order.

        Keyset pagination on the primary index: one query per ``batch_size`` documents, each
        starting after the last ``_key`` seen, so memory stays flat and no server cursor is held
        open between batches.
        """
        bind: BindVars = {"@collection": _declared(name), "after": "", "limit": int(batch_size)}
        yield from self._pages(lambda db: db.aql.execute(PAGE_OF_DOCUMENTS, bind_vars=bind, batch_size=bind["limit"]), bind, "iter_documents")

    def truncate(self, name: str) -> int:
        """Remove every document of collection ``name``; return how many were removed."""
        bind: BindVars = {"@collection": _declared(name)}
        row = self._first(lambda db: db.aql.execute(REMOVE_ALL_DOCUMENTS, bind_vars=bind), "truncate", idempotent=True)
        return int(row or 0)

    def insert_many(self, name: str, docs: Sequence[dict[str, Any]], *, replace: bool = False) -> None:
        """Insert ``docs`` with their keys; with ``replace``, overwrite same-key documents."""
        bind: BindVars = {"@collection": _declared(name), "docs": many(docs, "collections.insert_many(docs)")}
        if replace:
            self._rows(lambda db: db.aql.execute(IMPORT_REPLACING, bind_vars=bind), "insert_many", idempotent=True)
        else:
            self._rows(lambda db: db.aql.execute(IMPORT_DOCUMENTS, bind_vars=bind), "insert_many", idempotent=False)


def _declared(name: str) -> str:
    if name not in collection_names():
        raise ValueError(f"{name!r} is not a collection of the schema")
    return name
