"""Queries on ``meta``: a small key-value store for settings and schema bookkeeping."""

from __future__ import annotations

from typing import Any

from nomarr.helpers.dto import MetaEntry
from nomarr.helpers.keys import validate_key
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.operations_base import BaseOperations, BindVars
from nomarr.persistence.schema import META

__all__ = ["MetaOperations"]

# bind: @@meta, key -> [MetaEntry] or []
GET_ENTRY = """
FOR entry IN @@meta
  FILTER entry._key == @key
  RETURN entry
"""

# bind: @@meta, key, value, now -> [MetaEntry]
SET_ENTRY = """
UPSERT { _key: @key }
INSERT { _key: @key, value: @value, updated_at: @now }
REPLACE { _key: @key, value: @value, updated_at: @now }
IN @@meta
RETURN NEW
"""

# bind: @@meta, key -> [number removed]
DELETE_ENTRY = """
FOR entry IN @@meta
  FILTER entry._key == @key
  REMOVE entry IN @@meta
  COLLECT WITH COUNT INTO removed
  RETURN removed
"""

# bind: @@meta -> [MetaEntry] ordered by key
LIST_ENTRIES = """
FOR entry IN @@meta
  SORT entry._key
  RETURN entry
"""


class MetaOperations(BaseOperations):
    """Get and set named values."""

    group = META

    def get(self, name: str, default: Any = None) -> Any:
        """Return the value stored under ``name``, or ``default``."""
        entry = self.get_entry(name)
        return default if entry is None else entry.value

    def get_entry(self, name: str) -> MetaEntry | None:
        """Return the entry stored under ``name`` with its timestamp, or None."""
        bind: BindVars = {"@meta": META, "key": validate_key(name, "name")}
        row = self._first(lambda db: db.aql.execute(GET_ENTRY, bind_vars=bind), "get", idempotent=True)
        return None if row is None else MetaEntry.model_validate(row)

    def set(self, name: str, value: Any) -> MetaEntry:
        """Store ``value`` (any JSON) under ``name``, replacing what was there."""
        bind: BindVars = {"@meta": META, "key": validate_key(name, "name"), "value": value, "now": now_ms()}
        row = self._first(lambda db: db.aql.execute(SET_ENTRY, bind_vars=bind), "set", idempotent=True)
        return MetaEntry.model_validate(row)

    def delete(self, name: str) -> bool:
        """Remove ``name``; return whether it existed."""
        bind: BindVars = {"@meta": META, "key": validate_key(name, "name")}
        row = self._first(lambda db: db.aql.execute(DELETE_ENTRY, bind_vars=bind), "delete", idempotent=True)
        return bool(row)

    def list_entries(self) -> list[MetaEntry]:
        """Return every entry, ordered by name."""
        bind: BindVars = {"@meta": META}
        rows = self._rows(lambda db: db.aql.execute(LIST_ENTRIES, bind_vars=bind), "list_entries", idempotent=True)
        return [MetaEntry.model_validate(row) for row in rows]
