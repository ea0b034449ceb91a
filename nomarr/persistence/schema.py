"""Every collection, edge collection and index of nomarr, declared once as data.

:func:`ensure_schema` creates whatever is missing (it is idempotent and safe to run at every
start), then runs the forward-only migrations of :mod:`nomarr.persistence.migrations` that the
database has not seen, in order, recording each in the ``meta`` collection. The schema version is
the ``meta`` document ``schema_version``.

Cluster notes: no unique secondary index is declared, because a cluster only allows unique
indexes that contain the shard key (``_key`` by default). Uniqueness comes from deterministic
keys instead (a file's ``_key`` derives from its library and path). TTL fields hold unix time in
seconds, as ArangoDB's TTL indexes expect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, cast

from arango.database import StandardDatabase

from nomarr.helpers.errors import MigrationError
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.error_mapping import translate
from nomarr.persistence.migrations import MIGRATIONS, Migration

__all__ = [
    "COLLECTIONS",
    "FILE_HAS_TAG",
    "HEALTH",
    "LIBRARIES",
    "LIBRARY_FILES",
    "LIBRARY_FOLDERS",
    "LIBRARY_HAS_FILE",
    "LIBRARY_STATS",
    "LOCKS",
    "META",
    "QUEUE",
    "SCAN_RUNS",
    "SCHEMA_VERSION_KEY",
    "TAGS",
    "WORKER_CLAIMS",
    "CollectionSpec",
    "IndexSpec",
    "collection_names",
    "ensure_schema",
    "schema_version",
]

META: Final = "meta"
LIBRARIES: Final = "libraries"
LIBRARY_FOLDERS: Final = "library_folders"
LIBRARY_FILES: Final = "library_files"
LIBRARY_HAS_FILE: Final = "library_has_file"
QUEUE: Final = "queue"
WORKER_CLAIMS: Final = "worker_claims"
TAGS: Final = "tags"
FILE_HAS_TAG: Final = "file_has_tag"
HEALTH: Final = "health"
LOCKS: Final = "locks"
LIBRARY_STATS: Final = "library_stats"
SCAN_RUNS: Final = "scan_runs"

SCHEMA_VERSION_KEY: Final = "schema_version"


@dataclass(frozen=True, slots=True)
class IndexSpec:
    """One secondary index.

    Attributes:
        fields: indexed attribute paths, in order.
        unique: reject duplicate values (avoid on sharded collections, see module doc).
        sparse: leave out documents where a field is null or missing.
        type: ``"persistent"`` or ``"ttl"``.
        expire_after: seconds after the field's timestamp a TTL index removes the document.
    """

    fields: tuple[str, ...]
    unique: bool = False
    sparse: bool = False
    type: Literal["persistent", "ttl"] = "persistent"
    expire_after: int | None = None

    @property
    def name(self) -> str:
        """Deterministic index name, e.g. ``idx_library_key_status``."""
        return f"{'ttl' if self.type == 'ttl' else 'idx'}_{'_'.join(self.fields)}".replace(".", "_")

    def definition(self) -> dict[str, object]:
        """Return the index definition python-arango's ``add_index`` takes."""
        data: dict[str, object] = {"type": self.type, "fields": list(self.fields), "name": self.name}
        if self.type == "ttl":
            data["expireAfter"] = self.expire_after or 0
        else:
            data.update(unique=self.unique, sparse=self.sparse)
        return data


@dataclass(frozen=True, slots=True)
class CollectionSpec:
    """One collection, its indexes and how a cluster shards and replicates it.

    The cluster options are sent on creation and take effect on an ArangoDB cluster only; a
    single server ignores them (see ``docs/scaling.md``). They cannot change after creation.

    Attributes:
        name: collection name.
        edge: True for an edge collection.
        indexes: secondary indexes (primary and edge indexes exist implicitly).
        number_of_shards: ``numberOfShards``; collections of a few documents use 1 (one shard
            is enough, and cheaper to query).
        shard_keys: ``shardKeys``; ``("_key",)`` spreads documents by their (hash-like) keys, and
            is the only choice that keeps every ``_key``-based lookup and upsert single-shard.
        replication_factor: ``replicationFactor``, copies of each shard (2 survives one
            DB-server failure).
        write_concern: ``writeConcern``, copies that must acknowledge a write (at most
            ``replication_factor``).
    """

    name: str
    edge: bool = False
    indexes: tuple[IndexSpec, ...] = ()
    number_of_shards: int = 3
    shard_keys: tuple[str, ...] = ("_key",)
    replication_factor: int = 2
    write_concern: int = 1

    def cluster_options(self) -> dict[str, Any]:
        """Return the keyword arguments python-arango's ``create_collection`` takes for them."""
        return {
            "shard_count": self.number_of_shards,
            "shard_fields": list(self.shard_keys),
            "replication_factor": self.replication_factor,
            "write_concern": self.write_concern,
        }


COLLECTIONS: tuple[CollectionSpec, ...] = (
    CollectionSpec("meta", number_of_shards=1),
    CollectionSpec("libraries", indexes=(IndexSpec(("name",)),), number_of_shards=1),
    CollectionSpec("library_folders", indexes=(IndexSpec(("library_key", "path")),)),
    CollectionSpec(
        "library_files",
        indexes=(
            IndexSpec(("library_key", "status")),
            IndexSpec(("library_key", "path")),
            IndexSpec(("folder_key",), sparse=True),
            # keyset pagination: files of a status / of a folder in path order
            IndexSpec(("library_key", "status", "path")),
            IndexSpec(("folder_key", "path"), sparse=True),
        ),
    ),
    # libraries/<key> -> library_files/<key>; the edge's _key is the file's _key
    CollectionSpec("library_has_file", edge=True),
    CollectionSpec(
        "queue",
        indexes=(
            IndexSpec(("status", "priority", "created_at")),
            IndexSpec(("job_type", "status")),
            IndexSpec(("created_at",)),
            IndexSpec(("finished_at",), sparse=True),
        ),
    ),
    CollectionSpec("worker_claims", indexes=(IndexSpec(("claimed_at",)), IndexSpec(("worker_id",)))),
    CollectionSpec("tags", indexes=(IndexSpec(("name", "value")),)),
    # library_files/<key> -> tags/<key>; (_to, _from) streams a tag's files in file order
    CollectionSpec("file_has_tag", edge=True, indexes=(IndexSpec(("_to", "_from")),)),
    CollectionSpec("health", indexes=(IndexSpec(("last_heartbeat_ms",)),), number_of_shards=1),
    CollectionSpec("locks", indexes=(IndexSpec(("expires_at",), type="ttl", expire_after=0),), number_of_shards=1),
    CollectionSpec("library_stats", number_of_shards=1),
    CollectionSpec(
        "scan_runs",
        indexes=(IndexSpec(("started_at",)), IndexSpec(("library_key", "started_at"))),
        number_of_shards=1,
    ),
)


def collection_names() -> tuple[str, ...]:
    """Return every declared collection name, in declaration order."""
    return tuple(spec.name for spec in COLLECTIONS)


def ensure_schema(
    db: StandardDatabase, migrations: Sequence[Migration] = MIGRATIONS
) -> int:
    """Create missing collections and indexes, run pending migrations; return the version.

    Args:
        db: the database handle (not a transaction: DDL cannot run in one).
        migrations: forward-only migrations ordered by version (tests pass their own).

    Raises:
        MigrationError: a migration failed, or the database is newer than this code.
    """
    for spec in COLLECTIONS:
        _ensure_collection(db, spec)
    return _migrate(db, migrations)


def _ensure_collection(db: StandardDatabase, spec: CollectionSpec) -> None:
    try:
        if not db.has_collection(spec.name):
            _create_collection(db, spec)
        collection = db.collection(spec.name)
        existing = {index.get("name") for index in cast(list[dict[str, Any]], collection.indexes())}
        for index in spec.indexes:
            if index.name not in existing:
                collection.add_index(index.definition())
    except Exception as exc:
        raise translate(exc, f"ensuring collection {spec.name!r}") from exc


def _create_collection(db: StandardDatabase, spec: CollectionSpec) -> None:
    try:
        db.create_collection(spec.name, edge=spec.edge, **spec.cluster_options())
    except Exception:
        if not db.has_collection(spec.name):  # a concurrent ensure_schema may have won
            raise


# bind: @@meta, key -> [stored value] or []
GET_META_VALUE = """
FOR entry IN @@meta
  FILTER entry._key == @key
  RETURN entry.value
"""

# bind: @@meta, key, value, now -> [] (records one meta value)
SET_META_VALUE = """
UPSERT { _key: @key }
INSERT { _key: @key, value: @value, updated_at: @now }
REPLACE { _key: @key, value: @value, updated_at: @now }
IN @@meta
"""


def schema_version(db: StandardDatabase) -> int:
    """Return the recorded schema version (0 for a database never migrated)."""
    try:
        cursor = db.aql.execute(GET_META_VALUE, bind_vars={"@meta": META, "key": SCHEMA_VERSION_KEY})
        rows = list(cursor)  # type: ignore[arg-type]
    except Exception as exc:
        raise translate(exc, "reading the schema version") from exc
    return int(rows[0]) if rows and rows[0] is not None else 0


def _migrate(db: StandardDatabase, migrations: Sequence[Migration]) -> int:
    current = schema_version(db)
    latest = max((m.version for m in migrations), default=0)
    if current > latest:
        raise MigrationError(f"database is at schema version {current}, this code knows {latest}")
    for migration in sorted(migrations, key=lambda m: m.version):
        if migration.version > current:
            _apply(db, migration)
            current = migration.version
    return current


def _apply(db: StandardDatabase, migration: Migration) -> None:
    try:
        migration.apply(db)
    except Exception as exc:
        raise MigrationError(f"{migration.label}: {type(exc).__name__}: {exc}") from exc
    record = {"version": migration.version, "name": migration.name, "applied_at": now_ms()}
    _set_meta(db, migration.record_key, record)
    _set_meta(db, SCHEMA_VERSION_KEY, migration.version)


def _set_meta(db: StandardDatabase, key: str, value: object) -> None:
    bind: dict[str, Any] = {"@meta": META, "key": key, "value": value, "now": now_ms()}
    try:
        db.aql.execute(SET_META_VALUE, bind_vars=bind)
    except Exception as exc:
        raise translate(exc, f"recording meta {key!r}") from exc
