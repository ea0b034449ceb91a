"""``Database``: the connection owner and the entry point of nomarr's persistence.

::

    with Database.open() as db:                  # ARANGO_* env vars, or embedded arangolite
        lib = db.libraries.create(LibraryCreate(name="Music", root_path="/music"))
        report = db.library_files.upsert_batch(scanned)          # runs on its own
        with db.unit_of_work(write=[QUEUE, WORKER_CLAIMS]) as uow:
            uow.queue.enqueue("tag", {"file_key": key})        # joins the transaction
            uow.worker_claims.try_claim(key, "worker-1")

Conventions of every Operations class: ``get*`` raises
:class:`~nomarr.helpers.errors.DocumentNotFoundError` for a missing document; ``find*`` returns
None. Only ``Database`` connects, and only ``Database``'s units of work commit or abort.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from arango.http import HTTPClient

from nomarr.helpers.progress import ProgressCallback
from nomarr.persistence.arango_client import ArangoConnection, ConnectionSettings, connect
from nomarr.persistence.bound_operations import BoundOperations
from nomarr.persistence.database.collections_aql import CollectionsOperations
from nomarr.persistence.progress_buffer import ProgressBuffer
from nomarr.persistence.query_runner import QueryRunner
from nomarr.persistence.schema import ensure_schema, schema_version
from nomarr.persistence.transaction_scope import OpensUnitsOfWork
from nomarr.persistence.transfer import export_database, import_database
from nomarr.persistence.unit_of_work import UnitOfWork

__all__ = ["Database"]


class Database(BoundOperations, OpensUnitsOfWork[UnitOfWork]):
    """Owns the connection and exposes one Operations object per collection.

    Args:
        connection: an open connection (see :func:`nomarr.persistence.arango_client.connect`).
        ensure: create missing collections and run pending migrations now.
    """

    unit_of_work_class = UnitOfWork

    def __init__(self, connection: ArangoConnection, *, ensure: bool = True) -> None:
        self.connection = connection
        self._progress = ProgressBuffer()
        self._runner = QueryRunner(connection.db, connection.settings.retry)
        self._collections = CollectionsOperations(self._runner)
        self._bind_operations(self._runner, self._progress)
        if ensure:
            self.ensure_schema()

    @classmethod
    def open(
        cls,
        settings: ConnectionSettings | None = None,
        *,
        http_client: HTTPClient | None = None,
        ensure: bool = True,
    ) -> Database:
        """Connect (settings default to the environment) and return the Database.

        Raises:
            BackendUnavailableError, AuthenticationError, DatabaseMissingError: see
                :func:`~nomarr.persistence.arango_client.connect`.
        """
        return cls(connect(settings, http_client), ensure=ensure)

    @property
    def name(self) -> str:
        """The ArangoDB database name."""
        return self.connection.settings.db_name

    def ensure_schema(self) -> int:
        """Create what is missing, run pending migrations; return the schema version."""
        return ensure_schema(self.connection.db)

    def schema_version(self) -> int:
        """Return the schema version recorded in ``meta``."""
        return schema_version(self.connection.db)

    def rebuild(self) -> int:
        """Recompute all derived data (library statistics); return libraries recomputed."""
        return self.stats.rebuild()

    def export(self, path: str | Path, on_progress: ProgressCallback | None = None) -> dict[str, int]:
        """Write every collection to an archive (``.zip`` file or directory), atomically;
        ``on_progress(documents written, documents in all)`` as it goes.

        Returns:
            Documents written per collection.
        """
        return export_database(self._collections, Path(path), self.schema_version(), on_progress)

    def import_(self, path: str | Path, on_progress: ProgressCallback | None = None) -> dict[str, int]:
        """Restore an archive written by :meth:`export` into this database, which must be empty;
        ``on_progress(documents written, documents in the archive)`` as it goes.

        Returns:
            Documents per collection after the import.

        Raises:
            ImportTargetNotEmptyError: this database already holds data.
            ArchiveError: the archive is invalid.
        """
        return import_database(self.connection.db, self._collections, self.meta, Path(path), on_progress)

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close()
