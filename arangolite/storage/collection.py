"""A collection's committed state: documents, indexes, properties and key locks.

Documents live in a :class:`~arangolite.storage.state.CommittedState` (``state``). Only
transactions change it, through :meth:`apply` at commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from arangolite.errors import (
    DUPLICATE_NAME,
    UNIQUE_CONSTRAINT_VIOLATED,
    ArangoError,
)
from arangolite.storage.index_specs import (
    SecondaryIndex,
    describe,
    describe_edge,
    describe_primary,
    same_definition,
)
from arangolite.storage.indexes import EdgeIndex, PersistentIndex, TtlIndex
from arangolite.storage.keys import KeyGenerator
from arangolite.storage.state import CommittedState, MemoryState

if TYPE_CHECKING:
    from arangolite.storage.rules import RuleBook

__all__ = ["Collection", "unique_violation"]

Document = dict[str, Any]
DOCUMENT_TYPE = 2
EDGE_TYPE = 3
SETTABLE_PROPERTIES = (
    "waitForSync",
    "schema",
    "computedValues",
    "cacheEnabled",
    "replicationFactor",
    "writeConcern",
    "numberOfShards",
    "shardKeys",
    "shardingStrategy",
)


def unique_violation(index: PersistentIndex | None, key: str) -> ArangoError:
    """ArangoDB's 1210 error for a collision in ``index`` (None: the primary index)."""
    if index is None:
        return ArangoError(UNIQUE_CONSTRAINT_VIOLATED, "primary", "primary", "_key", key)
    return ArangoError(
        UNIQUE_CONSTRAINT_VIOLATED, index.name, "persistent", ", ".join(index.fields), key
    )


class Collection:
    """One collection of one database."""

    def __init__(
        self, cid: int, name: str, ctype: int, props: dict[str, Any], keygen: KeyGenerator,
        rules: RuleBook,
    ) -> None:
        self.cid = cid
        self.name = name
        self.type = ctype
        self.is_edge = ctype == EDGE_TYPE
        self.props = props
        self.keygen = keygen
        self.state: CommittedState = MemoryState()
        self.edge_index = EdgeIndex() if self.is_edge else None
        self.indexes: list[SecondaryIndex] = []
        self.locks: dict[str, str] = {}
        self.exclusive: str | None = None
        self.dropped = False
        self.renames = 0  # how many times it was renamed (running transactions' ``_id``s follow)
        self.version = 0  # counts committed writes (the query results cache checks it)
        self._rules = rules
        self.write_rules = rules.compile(props)  # computed values and schema (None: neither)

    @property
    def is_system(self) -> bool:
        return self.name.startswith("_")

    # -- committed writes ------------------------------------------------------------------------

    def apply(self, key: str, new: Document | None) -> None:
        """Replace (or remove, ``new`` None) the committed document ``key`` and its index entries."""
        self.version += 1
        old = self.state.replace(key, new)
        if self.edge_index is not None:
            if old is not None:
                self.edge_index.remove(old)
            if new is not None:
                self.edge_index.insert(new)
        for index in self.indexes:
            if old is not None and new is not None and index.same_entries(old, new):
                continue  # an update that leaves this index's values alone
            if old is not None:
                index.remove(old)
            if new is not None:
                index.insert(new)

    def bulk_load(self, docs: dict[str, Document]) -> None:
        """Install loaded documents and build every index in one pass."""
        self.version += 1
        self.state.load(docs)
        values = list(docs.values())
        if self.edge_index is not None:
            for doc in values:
                self.edge_index.insert(doc)
        for index in self.indexes:
            index.bulk_load(values)

    def reload(self, docs: dict[str, Document]) -> None:
        """Replace every committed document (another process rewrote more than it logged)."""
        if self.edge_index is not None:
            self.edge_index.clear()
        for index in self.indexes:
            index.clear()
        self.bulk_load(docs)

    def rename(self, new_name: str) -> None:
        """Take a new name (``_id`` is derived from it; running transactions give the documents
        they wrote the new one, ``Overlay.follow_name``)."""
        self.name = new_name
        self.renames += 1
        self.state.rename(new_name)

    # -- indexes ---------------------------------------------------------------------------------

    def find_index(self, spec: dict[str, Any]) -> SecondaryIndex | None:
        """An existing index with exactly this definition."""
        for index in self.indexes:
            if same_definition(index, spec):
                return index
        return None

    def index_by_ref(self, ref: str) -> SecondaryIndex | None:
        """An index by id or name."""
        for index in self.indexes:
            if ref in (index.id, index.name):
                return index
        return None

    def check_new_index(self, index: SecondaryIndex) -> None:
        """1207 when ``index`` may not join this collection's indexes."""
        if any(i.name == index.name for i in self.indexes) or index.name in ("primary", "edge"):
            raise ArangoError(DUPLICATE_NAME, message=f"duplicate value for `name`: {index.name}")
        if isinstance(index, TtlIndex) and any(isinstance(i, TtlIndex) for i in self.indexes):
            raise ArangoError(
                DUPLICATE_NAME, message="there can only be one ttl index per collection"
            )

    def drop_index(self, index: SecondaryIndex) -> None:
        self.indexes.remove(index)

    def ttl_index(self) -> TtlIndex | None:
        for index in self.indexes:
            if isinstance(index, TtlIndex):
                return index
        return None

    def describe_indexes(self) -> list[dict[str, Any]]:
        """Every index, as ``GET /_api/index`` lists them."""
        out = [describe_primary(self.name)]
        if self.is_edge:
            out.append(describe_edge(self.name))
        out.extend(describe(i, self.name) for i in self.indexes)
        return out

    # -- properties ------------------------------------------------------------------------------

    def stored_props(self) -> dict[str, Any]:
        """What the catalogue keeps (including the key generator state)."""
        return {**self.props, "type": self.type, "keyOptions": self.keygen.describe()}

    def update_props(self, changes: dict[str, Any]) -> None:
        for name in SETTABLE_PROPERTIES:
            if name in changes:
                self.props[name] = changes[name]
        self.write_rules = self._rules.compile(self.props)

    def info(self) -> dict[str, Any]:
        """The short description (``GET /_api/collection`` entries, rename, truncate ...)."""
        return {
            "id": str(self.cid),
            "name": self.name,
            "status": 3,
            "type": self.type,
            "isSystem": self.is_system,
            "globallyUniqueId": f"h{self.cid:x}/{self.cid}",
        }

    def properties(self) -> dict[str, Any]:
        """The full property set (``GET /_api/collection/<name>/properties``)."""
        return {
            "writeConcern": self.props.get("writeConcern", 1),
            "waitForSync": bool(self.props.get("waitForSync", False)),
            "usesRevisionsAsDocumentIds": True,
            "syncByRevision": True,
            "supportsRBAC": True,
            "statusString": "loaded",
            "id": str(self.cid),
            "isSmartChild": False,
            "schema": self.props.get("schema"),
            "name": self.name,
            "type": self.type,
            "status": 3,
            "cacheEnabled": bool(self.props.get("cacheEnabled", False)),
            "isSystem": self.is_system,
            "internalValidatorType": 0,
            "globallyUniqueId": f"h{self.cid:x}/{self.cid}",
            "keyOptions": self.keygen.describe(),
            "computedValues": self.props.get("computedValues"),
            "objectId": str(self.cid + 1),
        }
