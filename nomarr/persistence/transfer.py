"""Export a database to an archive, and import an archive into an empty database.

An import is all or nothing. Before anything is written it checks the target (empty), the
archive's schema version (known to this code) and every document of the archive (valid JSON
lines whose number matches the manifest), reading the archive once in constant memory. If
writing then fails anyway (the server goes away, a document is refused), every collection is
emptied again and the schema re-created, so the database is as empty as before and a retry of
the same import works.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from arango.database import StandardDatabase

from nomarr.helpers.errors import ArchiveError, ImportTargetNotEmptyError, MigrationError
from nomarr.helpers.progress import ProgressCallback
from nomarr.persistence.archive import ArchiveReader, write_archive
from nomarr.persistence.database.collections_aql import CollectionsOperations
from nomarr.persistence.database.meta_aql import MetaOperations
from nomarr.persistence.migrations import MIGRATIONS
from nomarr.persistence.schema import META, SCHEMA_VERSION_KEY, collection_names, ensure_schema

__all__ = ["export_database", "import_database"]

IMPORT_BATCH_SIZE = 1000
PROGRESS_EVERY = 1000  # documents between two reports of an export's progress

_log = logging.getLogger(__name__)


def export_database(
    collections: CollectionsOperations, path: Path, schema_version: int,
    on_progress: ProgressCallback | None = None,
) -> dict[str, int]:
    """Write every collection of the schema to the archive ``path``; return counts.
    ``on_progress``: called every :data:`PROGRESS_EVERY` documents and at the end, with the
    collections' counts at the start as the whole (documents written meanwhile may pass it)."""
    names = collection_names()
    streams = {name: collections.iter_documents(name) for name in names}
    if on_progress is not None:
        total = sum(collections.count(name) for name in names)
        streams = _reporting(streams, total, on_progress)
    return write_archive(Path(path), schema_version, streams)


def _reporting(
    streams: dict[str, Iterator[dict[str, Any]]], total: int, on_progress: ProgressCallback
) -> dict[str, Iterator[dict[str, Any]]]:
    """``streams`` as they are, counted: ``on_progress`` every :data:`PROGRESS_EVERY` documents
    and after the last one of the last stream."""
    done = 0

    def counted(docs: Iterator[dict[str, Any]], last: bool) -> Iterator[dict[str, Any]]:
        nonlocal done
        for doc in docs:
            yield doc
            done += 1
            if done % PROGRESS_EVERY == 0:
                on_progress(done, max(total, done))
        if last:
            on_progress(done, max(total, done))

    final = list(streams)[-1] if streams else None
    return {name: counted(docs, name == final) for name, docs in streams.items()}


def import_database(
    db: StandardDatabase, collections: CollectionsOperations, meta: MetaOperations, path: Path,
    on_progress: ProgressCallback | None = None,
) -> dict[str, int]:
    """Restore the archive ``path`` into ``db``, which must hold no data; return counts.
    ``on_progress``: called after every batch written, with the archive's count as the whole.

    Raises:
        ArchiveError: the archive is invalid, its documents do not match its manifest, or
            writing failed (the database was emptied again; the message says why).
        ImportTargetNotEmptyError: ``db`` already holds data (nothing is written).
        MigrationError: the archive is newer than this code (nothing is written).
    """
    reader = ArchiveReader(Path(path))
    try:
        _check_target(collections, meta)
        _check_version(reader.schema_version)
        _check_documents(reader)
        return _load_all(db, collections, reader, on_progress)
    finally:
        reader.close()


def _check_target(collections: CollectionsOperations, meta: MetaOperations) -> None:
    holding = [name for name in collection_names() if name != META and collections.count(name)]
    extra_meta = [e.key_ for e in meta.list_entries() if not _is_schema_record(e.key_)]
    if holding or extra_meta:
        raise ImportTargetNotEmptyError(f"documents found in {sorted(holding + ([META] if extra_meta else []))}")


def _is_schema_record(key: str) -> bool:
    return key == SCHEMA_VERSION_KEY or key.startswith("migration:")


def _check_version(version: int) -> None:
    latest = max(m.version for m in MIGRATIONS)
    if version > latest:
        raise MigrationError(
            f"archive is at schema version {version}, this code knows {latest}: "
            "upgrade nomarr before importing it (nothing was written)"
        )


def _check_documents(reader: ArchiveReader) -> None:
    """Read every document once (constant memory); raise ArchiveError before any write."""
    for name, expected in reader.counts().items():
        found = sum(1 for _ in reader.documents(name))
        if found != expected:
            raise ArchiveError(f"{name}: the archive holds {found} documents, its manifest says {expected}")


def _load_all(
    db: StandardDatabase, collections: CollectionsOperations, reader: ArchiveReader,
    on_progress: ProgressCallback | None = None,
) -> dict[str, int]:
    total, done = sum(reader.counts().values()), 0

    def report(written: int) -> None:
        if on_progress is not None:
            on_progress(written, total)

    try:
        for name in reader.counts():
            done = _load(collections, reader, name, done, report)
        ensure_schema(db)  # migrate from the archive's version to this code's
        return _verify(collections, reader)
    except Exception as exc:
        _empty_again(db, collections)
        raise ArchiveError(
            f"import of {str(reader.path)!r} failed and was undone (the database is empty again): "
            f"{type(exc).__name__}: {exc}"
        ) from exc


def _empty_again(db: StandardDatabase, collections: CollectionsOperations) -> None:
    try:
        for name in collection_names():
            collections.truncate(name)
        ensure_schema(db)
    except Exception:  # the original failure is what the caller must see
        _log.exception("undoing a failed import failed: empty the database by hand before a retry")


def _load(
    collections: CollectionsOperations, reader: ArchiveReader, name: str, done: int,
    report: Callable[[int], None],
) -> int:
    """Write collection ``name`` of the archive in batches; ``done``: documents written before
    it (each batch reported), returned with this collection's added."""
    docs = reader.documents(name)
    while batch := list(islice(docs, IMPORT_BATCH_SIZE)):
        collections.insert_many(name, batch, replace=name == META)
        done += len(batch)
        report(done)
    return done


def _verify(collections: CollectionsOperations, reader: ArchiveReader) -> dict[str, int]:
    counts = {name: collections.count(name) for name in reader.counts()}
    wrong = {name: n for name, n in counts.items() if name != META and n != reader.counts()[name]}
    if wrong:
        raise ArchiveError(f"imported counts {wrong} differ from the manifest {reader.counts()}")
    return counts
