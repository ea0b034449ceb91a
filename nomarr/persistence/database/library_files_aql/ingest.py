"""Scan ingest of library files: batched upserts with their library edges, discovery marks.

A file's ``_key`` derives from its library and path (:func:`nomarr.helpers.keys.file_key`), so a
rescan upserts the same documents. :meth:`LibraryFileIngestMixin.upsert_batch` writes a whole
batch of files *and* their edges with one query (two collections, one modification each), i.e.
one HTTP request per batch.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from nomarr.helpers.dto import FileStatus, LibraryFileCreate, UpsertReport
from nomarr.helpers.keys import file_key, validate_key
from nomarr.helpers.many import many, many_keys
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.operations_base import BaseOperations, BindVars
from nomarr.persistence.schema import LIBRARIES, LIBRARY_FILES, LIBRARY_HAS_FILE

__all__ = ["UPSERT_BATCH_SIZE", "LibraryFileIngestMixin", "upsert_bind"]

UPSERT_BATCH_SIZE = 1000

# bind: @@files, @@has_file, files: [{_key, library_key, path, ..., status, *_at}], now,
#       libraries (the libraries collection name, for edge _from values)
# -> [{new: [_key], modified: [_key], unchanged: [_key]}]
# New files are inserted as given; modified ones (size or mtime changed) are replaced except for
# created_at; unchanged ones only get scanned_at. Every file gets its library edge.
UPSERT_BATCH = """
LET written = (
  FOR file IN @files
    UPSERT { _key: file._key }
    INSERT file
    UPDATE (OLD.size == file.size AND OLD.mtime_ms == file.mtime_ms)
      ? { scanned_at: @now }
      : UNSET(file, "_key", "created_at")
    IN @@files
    OPTIONS { mergeObjects: false }
    RETURN {
      _key: NEW._key,
      _id: NEW._id,
      library_key: file.library_key,
      change: OLD == null ? "new"
        : ((OLD.size == file.size AND OLD.mtime_ms == file.mtime_ms) ? "unchanged" : "modified")
    }
)
LET linked = (
  FOR w IN written
    INSERT { _key: w._key, _from: CONCAT(@libraries, "/", w.library_key), _to: w._id }
    INTO @@has_file
    OPTIONS { overwriteMode: "ignore" }
    RETURN 1
)
RETURN {
  new: (FOR w IN written FILTER w.change == "new" RETURN w._key),
  modified: (FOR w IN written FILTER w.change == "modified" RETURN w._key),
  unchanged: (FOR w IN written FILTER w.change == "unchanged" RETURN w._key)
}
"""

# bind: @@files, keys, discovered_at, now -> [number of files updated]
MARK_DISCOVERED = """
FOR f IN @@files
  FILTER f._key IN @keys
  UPDATE f WITH { discovered_at: @discovered_at, updated_at: @now } IN @@files
  COLLECT WITH COUNT INTO updated
  RETURN updated
"""

# bind: @@files, candidates: [{_key, size, mtime_ms}] -> [_key] of files stored with same size/mtime
FIND_UNCHANGED = """
FOR c IN @candidates
  FOR f IN @@files
    FILTER f._key == c._key AND f.size == c.size AND f.mtime_ms == c.mtime_ms
    RETURN f._key
"""


class LibraryFileIngestMixin(BaseOperations):
    """The scan-ingest methods of :class:`~.operations.LibraryFilesOperations`."""

    def upsert_batch(
        self, files: Sequence[LibraryFileCreate], batch_size: int = UPSERT_BATCH_SIZE
    ) -> UpsertReport:
        """Insert or update scanned files and link them to their libraries.

        New files and files whose size or mtime changed get status ``pending``; unchanged files
        keep their status and are reported so callers can skip them. One query per
        ``batch_size`` files.

        Raises:
            InvalidKeyError: a ``library_key`` or ``folder_key`` is not a valid key (nothing
                of that batch is written).
        """
        report: dict[str, list[str]] = {"new": [], "modified": [], "unchanged": []}
        for chunk in _chunks(many(files, "library_files.upsert_batch(files)"), batch_size):
            for change, keys in self._upsert_chunk(chunk).items():
                report[change].extend(keys)
        return UpsertReport(
            new_keys=report["new"], modified_keys=report["modified"], unchanged_keys=report["unchanged"]
        )

    def _upsert_chunk(self, chunk: Sequence[LibraryFileCreate]) -> dict[str, list[str]]:
        bind = upsert_bind(chunk)
        row: dict[str, list[str]] = self._first(
            lambda db: db.aql.execute(UPSERT_BATCH, bind_vars=bind), "upsert_batch", idempotent=True
        )
        return row

    def find_unchanged(self, files: Sequence[LibraryFileCreate]) -> list[str]:
        """Return the keys of ``files`` stored with the same size and mtime (skippable)."""
        candidates = [
            {"_key": file_key(f.library_key, f.path), "size": f.size, "mtime_ms": f.mtime_ms} for f in many(files, "library_files.find_unchanged(files)")
        ]
        bind: BindVars = {"@files": LIBRARY_FILES, "candidates": candidates}
        return self._rows(lambda db: db.aql.execute(FIND_UNCHANGED, bind_vars=bind), "find_unchanged", idempotent=True)

    def mark_discovered(self, keys: Sequence[str], discovered_at: int | None = None) -> int:
        """Set ``discovered_at`` on the given files; return how many exist and were updated."""
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "keys": many_keys(keys, "library_files.mark_discovered(keys)"),
            "discovered_at": now_ms() if discovered_at is None else int(discovered_at),
            "now": now_ms(),
        }
        row = self._first(lambda db: db.aql.execute(MARK_DISCOVERED, bind_vars=bind), "mark_discovered", idempotent=True)
        return int(row or 0)


def upsert_bind(chunk: Sequence[LibraryFileCreate]) -> BindVars:
    """Bind variables of :data:`UPSERT_BATCH` for one chunk of scanned files."""
    now = now_ms()
    return {
        "@files": LIBRARY_FILES,
        "@has_file": LIBRARY_HAS_FILE,
        "files": _file_documents(chunk, now),
        "now": now,
        "libraries": LIBRARIES,
    }


def _file_documents(chunk: Sequence[LibraryFileCreate], now: int) -> list[dict[str, Any]]:
    """Return the documents of newly seen files (validating library and folder keys)."""
    checked: set[str] = set()
    docs = []
    for file in chunk:
        if file.library_key not in checked:
            checked.add(validate_key(file.library_key, "library_key"))
        if file.folder_key is not None:
            validate_key(file.folder_key, "folder_key")
        doc = file.model_dump()
        doc.update(
            _key=file_key(file.library_key, file.path),
            status=FileStatus.PENDING.value,
            created_at=now,
            updated_at=now,
            scanned_at=now,
        )
        docs.append(doc)
    return docs


def _chunks(items: Sequence[LibraryFileCreate], size: int) -> Iterator[Sequence[LibraryFileCreate]]:
    if size < 1:
        raise ValueError(f"batch_size must be positive, got {size}")
    for start in range(0, len(items), size):
        yield items[start : start + size]
