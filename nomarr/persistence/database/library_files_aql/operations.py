"""Queries on ``library_files`` and the ``library_has_file`` edges that link them to libraries.

A file's ``_key`` derives from its library and path (:func:`nomarr.helpers.keys.file_key`), so a
rescan upserts the same documents. :meth:`LibraryFilesOperations.upsert_batch` writes a whole
batch of files *and* their edges with one query (two collections, one modification each), i.e.
one HTTP request per batch.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from nomarr.helpers.dto import FileStatus, LibraryFile, LibraryFileCreate, UpsertReport
from nomarr.helpers.keys import content_key, file_key, make_id, validate_key
from nomarr.helpers.many import many, many_keys, many_mapping
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.database.file_removal_aql import REMOVE_DOOMED_FILES, REMOVED_FILE_COUNTS
from nomarr.persistence.database.library_files_aql.streams import LibraryFileStreamsMixin
from nomarr.persistence.operations_base import BindVars, DeletionCounts
from nomarr.persistence.schema import (
    FILE_HAS_TAG,
    LIBRARIES,
    LIBRARY_FILES,
    LIBRARY_HAS_FILE,
    WORKER_CLAIMS,
)

__all__ = ["UPSERT_BATCH_SIZE", "LibraryFilesOperations"]

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

# bind: @@files, key -> [LibraryFile] or []
GET_FILE = """
FOR f IN @@files
  FILTER f._key == @key
  RETURN f
"""

# bind: @@files, keys -> [LibraryFile] of the keys that exist
GET_FILES = """
FOR f IN @@files
  FILTER f._key IN @keys
  RETURN f
"""

# bind: @@files, library_key, status, limit -> [LibraryFile]
GET_FILES_BY_STATUS = """
FOR f IN @@files
  FILTER f.library_key == @library_key AND f.status == @status
  LIMIT @limit
  RETURN f
"""

# bind: @@files, @@claims, library_key, status, limit -> [LibraryFile] without a worker claim
GET_UNCLAIMED_FILES_BY_STATUS = """
FOR f IN @@files
  FILTER f.library_key == @library_key AND f.status == @status
  LET claimed = (FOR c IN @@claims FILTER c._key == f._key LIMIT 1 RETURN true)
  FILTER LENGTH(claimed) == 0
  LIMIT @limit
  RETURN f
"""

# bind: @@files, library_key, offset, limit -> [LibraryFile] ordered by path
LIST_FILES = """
FOR f IN @@files
  FILTER f.library_key == @library_key
  SORT f.path
  LIMIT @offset, @limit
  RETURN f
"""

# bind: @@files, @@has_file, @@has_tag, libraries, doc (the file at its new path, new _key),
#       links: [{_key, _from, _to, created_at}] -> [LibraryFile] (the moved copy)
INSERT_MOVED_FILE = """
LET moved = FIRST(INSERT @doc INTO @@files RETURN NEW)
LET linked = (
  INSERT { _key: moved._key, _from: CONCAT(@libraries, "/", moved.library_key), _to: moved._id }
  INTO @@has_file
  OPTIONS { overwriteMode: "ignore" }
  RETURN 1
)
LET tagged = (
  FOR link IN @links
    INSERT link INTO @@has_tag OPTIONS { overwriteMode: "ignore" }
    RETURN 1
)
RETURN moved
"""

# bind: @@has_tag, file_id -> [tag _id] of the file's tags
FILE_TAG_IDS = """
FOR link IN @@has_tag
  FILTER link._from == @file_id
  RETURN link._to
"""

# bind: @@files, keys, discovered_at, now -> [number of files updated]
MARK_DISCOVERED = """
FOR f IN @@files
  FILTER f._key IN @keys
  UPDATE f WITH { discovered_at: @discovered_at, updated_at: @now } IN @@files
  COLLECT WITH COUNT INTO updated
  RETURN updated
"""

# bind: @@files, keys, status, now -> [LibraryFile] of the files updated
UPDATE_STATUS = """
FOR f IN @@files
  FILTER f._key IN @keys
  UPDATE f WITH { status: @status, updated_at: @now } IN @@files
  RETURN NEW
"""

# bind: @@files, items: [{_key, status}], now -> [LibraryFile] of the files updated
UPDATE_STATUSES = """
FOR item IN @items
  FOR f IN @@files
    FILTER f._key == item._key
    UPDATE f WITH { status: item.status, updated_at: @now } IN @@files
    RETURN NEW
"""

# bind: @@files, candidates: [{_key, size, mtime_ms}] -> [_key] of files stored with same size/mtime
FIND_UNCHANGED = """
FOR c IN @candidates
  FOR f IN @@files
    FILTER f._key == c._key AND f.size == c.size AND f.mtime_ms == c.mtime_ms
    RETURN f._key
"""

# bind: @@files, library_key -> [{status, files}]
COUNT_BY_STATUS = """
FOR f IN @@files
  FILTER f.library_key == @library_key
  COLLECT status = f.status WITH COUNT INTO files
  RETURN { status, files }
"""

# bind: @@files, @@has_file, @@has_tag, @@claims, folder_key
# -> [{library_files, library_has_file, file_has_tag, worker_claims}] removal counts
RESET_FOLDER = (
    "LET doomed = (FOR f IN @@files FILTER f.folder_key == @folder_key RETURN f)"
    + REMOVE_DOOMED_FILES
    + "RETURN {"
    + REMOVED_FILE_COUNTS
    + "}"
)

# bind: @@files, @@has_file, @@has_tag, @@claims, keys
# -> [{library_files, library_has_file, file_has_tag, worker_claims}] removal counts
DELETE_FILES = (
    "LET doomed = (FOR f IN @@files FILTER f._key IN @keys RETURN f)"
    + REMOVE_DOOMED_FILES
    + "RETURN {"
    + REMOVED_FILE_COUNTS
    + "}"
)


class LibraryFilesOperations(LibraryFileStreamsMixin):
    """Scan ingest, status tracking, streams and lookups of library files."""

    group = LIBRARY_FILES

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

    def get(self, key: str) -> LibraryFile:
        """Return the file ``key``.

        Raises:
            DocumentNotFoundError: no such file.
        """
        bind: BindVars = {"@files": LIBRARY_FILES, "key": validate_key(key)}
        row = self._first(lambda db: db.aql.execute(GET_FILE, bind_vars=bind), "get", idempotent=True)
        return LibraryFile.model_validate(self._required(row, "get", key))

    def get_many(self, keys: Sequence[str]) -> list[LibraryFile]:
        """Return the files of ``keys`` that exist (in no particular order)."""
        bind: BindVars = {"@files": LIBRARY_FILES, "keys": many_keys(keys, "library_files.get_many(keys)")}
        rows = self._rows(lambda db: db.aql.execute(GET_FILES, bind_vars=bind), "get_many", idempotent=True)
        return [LibraryFile.model_validate(row) for row in rows]

    def get_by_path(self, library_key: str, path: str) -> LibraryFile:
        """Return the file at ``path`` in a library.

        Raises:
            DocumentNotFoundError: no such file.
        """
        return self.get(file_key(library_key, path))

    def get_pending_files(
        self, library_key: str, limit: int = 100, *, unclaimed_only: bool = False
    ) -> list[LibraryFile]:
        """Return up to ``limit`` files of a library with status ``pending``.

        Args:
            library_key: the library.
            limit: maximum number of files.
            unclaimed_only: leave out files a worker has claimed.
        """
        return self.get_files_by_status(library_key, FileStatus.PENDING, limit, unclaimed_only=unclaimed_only)

    def get_files_by_status(
        self, library_key: str, status: str, limit: int = 100, *, unclaimed_only: bool = False
    ) -> list[LibraryFile]:
        """Return up to ``limit`` files of a library with the given status."""
        if unclaimed_only:
            return self._unclaimed_by_status(library_key, status, limit)
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "library_key": validate_key(library_key, "library_key"),
            "status": str(status),
            "limit": int(limit),
        }
        rows = self._rows(lambda db: db.aql.execute(GET_FILES_BY_STATUS, bind_vars=bind), "get_files_by_status", idempotent=True)
        return [LibraryFile.model_validate(row) for row in rows]

    def _unclaimed_by_status(self, library_key: str, status: str, limit: int) -> list[LibraryFile]:
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "@claims": WORKER_CLAIMS,
            "library_key": validate_key(library_key, "library_key"),
            "status": str(status),
            "limit": int(limit),
        }
        rows = self._rows(lambda db: db.aql.execute(GET_UNCLAIMED_FILES_BY_STATUS, bind_vars=bind), "get_files_by_status", idempotent=True)
        return [LibraryFile.model_validate(row) for row in rows]

    def list_for_library(self, library_key: str, limit: int = 100, offset: int = 0) -> list[LibraryFile]:
        """Return a page of a library's files ordered by path."""
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "library_key": validate_key(library_key, "library_key"),
            "offset": int(offset),
            "limit": int(limit),
        }
        rows = self._rows(lambda db: db.aql.execute(LIST_FILES, bind_vars=bind), "list_for_library", idempotent=True)
        return [LibraryFile.model_validate(row) for row in rows]

    def move(self, library_key: str, path: str, new_path: str, *, folder_key: str | None = None) -> LibraryFile:
        """Move (rename) the file at ``path`` to ``new_path`` in the same library; return it.

        A file's ``_key`` derives from its path, so the moved file gets a new ``_key``: it is
        stored under the new key with its status, metadata and tags, and the old document is
        removed with its edges and claim. Three queries; inside a unit of work the move is
        atomic, on its own a failure before the last query leaves the old file untouched.

        Args:
            library_key: the library.
            path: the file's current path.
            new_path: its new path.
            folder_key: the folder holding it after the move (None: no folder).

        Raises:
            DocumentNotFoundError: no file at ``path``.
            DuplicateKeyError: a file already exists at ``new_path`` (nothing is changed).
        """
        old = self.get_by_path(library_key, path)
        new_key = file_key(library_key, new_path)
        tag_ids = self._tag_ids(old.id_)
        doc = {
            **old.model_dump(exclude={"key_", "id_", "rev_"}),
            "_key": new_key,
            "path": str(new_path),
            "folder_key": None if folder_key is None else validate_key(folder_key, "folder_key"),
            "updated_at": now_ms(),
        }
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "@has_file": LIBRARY_HAS_FILE,
            "@has_tag": FILE_HAS_TAG,
            "libraries": LIBRARIES,
            "doc": doc,
            "links": [_moved_link(new_key, tag_id) for tag_id in tag_ids],
        }
        row = self._first(lambda db: db.aql.execute(INSERT_MOVED_FILE, bind_vars=bind), "move", idempotent=False)
        self.delete_many([old.key_])
        return LibraryFile.model_validate(row)

    def _tag_ids(self, file_id: str) -> list[str]:
        bind: BindVars = {"@has_tag": FILE_HAS_TAG, "file_id": file_id}
        return [str(t) for t in self._rows(lambda db: db.aql.execute(FILE_TAG_IDS, bind_vars=bind), "move", idempotent=True)]

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

    def update_status(self, key: str, status: str) -> LibraryFile:
        """Set the status of one file and return it.

        Raises:
            DocumentNotFoundError: no such file.
        """
        updated = self.update_status_many([key], status)
        return self._required(updated[0] if updated else None, "update_status", key)  # type: ignore[no-any-return]

    def update_status_many(self, keys: Sequence[str], status: str) -> list[LibraryFile]:
        """Set the status of several files; return the files that exist (missing keys skipped)."""
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "keys": many_keys(keys, "library_files.update_status_many(keys)"),
            "status": str(status),
            "now": now_ms(),
        }
        rows = self._rows(lambda db: db.aql.execute(UPDATE_STATUS, bind_vars=bind), "update_status", idempotent=True)
        return [LibraryFile.model_validate(row) for row in rows]

    def update_statuses(self, statuses: Mapping[str, str]) -> list[LibraryFile]:
        """Set each file's own status (``{key: status}``) in one query; return the files updated.

        Missing keys are skipped.
        """
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "items": [{"_key": validate_key(key), "status": str(status)} for key, status in many_mapping(statuses, "library_files.update_statuses(statuses)").items()],
            "now": now_ms(),
        }
        rows = self._rows(lambda db: db.aql.execute(UPDATE_STATUSES, bind_vars=bind), "update_statuses", idempotent=True)
        return [LibraryFile.model_validate(row) for row in rows]

    def find_unchanged(self, files: Sequence[LibraryFileCreate]) -> list[str]:
        """Return the keys of ``files`` stored with the same size and mtime (skippable)."""
        candidates = [
            {"_key": file_key(f.library_key, f.path), "size": f.size, "mtime_ms": f.mtime_ms} for f in many(files, "library_files.find_unchanged(files)")
        ]
        bind: BindVars = {"@files": LIBRARY_FILES, "candidates": candidates}
        return self._rows(lambda db: db.aql.execute(FIND_UNCHANGED, bind_vars=bind), "find_unchanged", idempotent=True)

    def count_by_status(self, library_key: str) -> dict[str, int]:
        """Return the number of files per status in a library."""
        bind: BindVars = {"@files": LIBRARY_FILES, "library_key": validate_key(library_key, "library_key")}
        rows = self._rows(lambda db: db.aql.execute(COUNT_BY_STATUS, bind_vars=bind), "count_by_status", idempotent=True)
        return {row["status"]: row["files"] for row in rows}

    def delete_folder_files(self, folder_key: str) -> DeletionCounts:
        """Reset a directory: delete the folder's files with their edges and claims.

        The folder document itself stays. Returns the documents removed per collection.
        """
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "@has_file": LIBRARY_HAS_FILE,
            "@has_tag": FILE_HAS_TAG,
            "@claims": WORKER_CLAIMS,
            "folder_key": validate_key(folder_key, "folder_key"),
        }
        counts: DeletionCounts = self._first(
            lambda db: db.aql.execute(RESET_FOLDER, bind_vars=bind), "delete_folder_files", idempotent=True
        )
        return counts

    def delete_many(self, keys: Sequence[str]) -> DeletionCounts:
        """Delete files with their library and tag edges and claims; missing keys are skipped.

        Returns:
            Documents removed per collection.
        """
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "@has_file": LIBRARY_HAS_FILE,
            "@has_tag": FILE_HAS_TAG,
            "@claims": WORKER_CLAIMS,
            "keys": many_keys(keys, "library_files.delete_many(keys)"),
        }
        counts: DeletionCounts = self._first(
            lambda db: db.aql.execute(DELETE_FILES, bind_vars=bind), "delete_many", idempotent=True
        )
        return counts


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


def _moved_link(file_key_: str, tag_id: str) -> dict[str, Any]:
    """The ``file_has_tag`` edge of a moved file (same key scheme as ``tags_aql``)."""
    tag_key_ = tag_id.partition("/")[2]
    return {
        "_key": content_key(file_key_, tag_key_),
        "_from": make_id(LIBRARY_FILES, file_key_),
        "_to": tag_id,
        "created_at": now_ms(),
    }


def _chunks(items: Sequence[LibraryFileCreate], size: int) -> Iterator[Sequence[LibraryFileCreate]]:
    if size < 1:
        raise ValueError(f"batch_size must be positive, got {size}")
    for start in range(0, len(items), size):
        yield items[start : start + size]
