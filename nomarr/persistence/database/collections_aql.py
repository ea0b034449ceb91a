"""Whole-collection queries for export and import; the collection is a ``@@collection`` bind."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from nomarr.persistence.operations_base import BaseOperations, BindVars
from nomarr.persistence.schema import collection_names

__all__ = ["CollectionsOperations"]

EXPORT_BATCH_SIZE = 1000

# bind: @@collection -> [document] ordered by _key
EXPORT_DOCUMENTS = """
FOR doc IN @@collection
  SORT doc._key
  RETURN doc
"""

# bind: @@collection -> [number of documents]
COUNT_DOCUMENTS = """
FOR doc IN @@collection
  COLLECT WITH COUNT INTO documents
  RETURN documents
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

    def stream(self, name: str) -> Iterator[dict[str, Any]]:
        """Yield every document of collection ``name`` in ``_key`` order, batch by batch."""
        bind: BindVars = {"@collection": _declared(name)}
        yield from self._runner.stream(
            lambda db: db.aql.execute(EXPORT_DOCUMENTS, bind_vars=bind, batch_size=EXPORT_BATCH_SIZE),
            context="collections.stream",
        )

    def insert_many(self, name: str, docs: Sequence[dict[str, Any]], *, replace: bool = False) -> None:
        """Insert ``docs`` with their keys; with ``replace``, overwrite same-key documents."""
        bind: BindVars = {"@collection": _declared(name), "docs": list(docs)}
        if replace:
            self._rows(lambda db: db.aql.execute(IMPORT_REPLACING, bind_vars=bind), "insert_many", idempotent=True)
        else:
            self._rows(lambda db: db.aql.execute(IMPORT_DOCUMENTS, bind_vars=bind), "insert_many", idempotent=False)


def _declared(name: str) -> str:
    if name not in collection_names():
        raise ValueError(f"{name!r} is not a collection of the schema")
    return name
