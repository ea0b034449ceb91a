"""Queries on ``libraries``; deleting a library removes everything that hangs off it."""

from __future__ import annotations

from typing import Any

from nomarr.helpers.dto import Library, LibraryCreate, LibraryUpdate
from nomarr.helpers.keys import make_id, new_key, validate_key
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.operations_base import BaseOperations, BindVars, DeletionCounts
from nomarr.persistence.schema import (
    FILE_HAS_TAG,
    LIBRARIES,
    LIBRARY_FILES,
    LIBRARY_FOLDERS,
    LIBRARY_HAS_FILE,
    LIBRARY_STATS,
    WORKER_CLAIMS,
)

__all__ = ["LibrariesOperations"]

# bind: @@libraries, doc -> [Library]
INSERT_LIBRARY = """
INSERT @doc INTO @@libraries
RETURN NEW
"""

# bind: @@libraries, key -> [Library] or []
GET_LIBRARY = """
FOR lib IN @@libraries
  FILTER lib._key == @key
  RETURN lib
"""

# bind: @@libraries -> [Library] ordered by name
LIST_LIBRARIES = """
FOR lib IN @@libraries
  SORT lib.name, lib._key
  RETURN lib
"""

# bind: @@libraries, name -> [Library] or [] (the first by _key when several share the name)
FIND_LIBRARY_BY_NAME = """
FOR lib IN @@libraries
  FILTER lib.name == @name
  SORT lib._key
  LIMIT 1
  RETURN lib
"""

# bind: @@libraries, path -> [Library] or []: the library with the longest root_path that is
# path itself or a directory above it (root "/a" contains "/a" and "/a/b", not "/ab")
FIND_LIBRARY_CONTAINING = """
FOR lib IN @@libraries
  LET root = RTRIM(lib.root_path, "/")
  FILTER @path == lib.root_path OR @path == root OR STARTS_WITH(@path, CONCAT(root, "/"))
  SORT LENGTH(root) DESC, lib._key
  LIMIT 1
  RETURN lib
"""

# bind: @@libraries, key, changes -> [Library] or [] when missing
UPDATE_LIBRARY = """
FOR lib IN @@libraries
  FILTER lib._key == @key
  UPDATE lib WITH @changes IN @@libraries
  RETURN NEW
"""

# bind: @@libraries, @@folders, @@files, @@has_file, @@has_tag, @@claims, @@stats, key, library_id
# -> [{libraries, library_folders, library_files, library_has_file, file_has_tag, worker_claims,
#      library_stats}] removal counts (all 0 when the library does not exist)
DELETE_LIBRARY = """
LET found = (FOR lib IN @@libraries FILTER lib._key == @key RETURN lib._key)
LET lib_files = (
  FOR f IN @@files
    FILTER LENGTH(found) > 0 AND f.library_key == @key
    RETURN f
)
LET tag_links = (
  FOR f IN lib_files
    FOR link IN @@has_tag
      FILTER link._from == f._id
      REMOVE link IN @@has_tag
      RETURN 1
)
LET file_links = (
  FOR link IN @@has_file
    FILTER LENGTH(found) > 0 AND link._from == @library_id
    REMOVE link IN @@has_file
    RETURN 1
)
LET claims = (
  FOR f IN lib_files
    REMOVE { _key: f._key } IN @@claims OPTIONS { ignoreErrors: true }
    RETURN 1
)
LET files = (FOR f IN lib_files REMOVE f IN @@files RETURN 1)
LET folders = (
  FOR folder IN @@folders
    FILTER LENGTH(found) > 0 AND folder.library_key == @key
    REMOVE folder IN @@folders
    RETURN 1
)
LET stats = (FOR s IN @@stats FILTER s._key == @key REMOVE s IN @@stats RETURN 1)
LET libraries = (FOR k IN found REMOVE { _key: k } IN @@libraries RETURN 1)
RETURN {
  libraries: LENGTH(libraries),
  library_folders: LENGTH(folders),
  library_files: LENGTH(files),
  library_has_file: LENGTH(file_links),
  file_has_tag: LENGTH(tag_links),
  worker_claims: LENGTH(claims),
  library_stats: LENGTH(stats)
}
"""


class LibrariesOperations(BaseOperations):
    """Create, read, update and delete libraries."""

    group = LIBRARIES

    def create(self, library: LibraryCreate, key: str | None = None) -> Library:
        """Store a new library and return it.

        Args:
            library: name, root path, enabled flag.
            key: the ``_key`` to use; a random one when None.

        Raises:
            InvalidKeyError: ``key`` is not a valid key.
            DuplicateKeyError: a library with ``key`` exists.
        """
        now = now_ms()
        doc = {
            **library.model_dump(),
            "_key": new_key() if key is None else validate_key(key),
            "created_at": now,
            "updated_at": now,
        }
        bind: BindVars = {"@libraries": LIBRARIES, "doc": doc}
        row = self._first(lambda db: db.aql.execute(INSERT_LIBRARY, bind_vars=bind), "create", idempotent=False)
        return Library.model_validate(row)

    def get(self, key: str) -> Library:
        """Return the library ``key``.

        Raises:
            DocumentNotFoundError: no such library.
        """
        bind: BindVars = {"@libraries": LIBRARIES, "key": validate_key(key)}
        row = self._first(lambda db: db.aql.execute(GET_LIBRARY, bind_vars=bind), "get", idempotent=True)
        return Library.model_validate(self._required(row, "get", key))

    def list(self) -> list[Library]:
        """Return every library, ordered by name."""
        bind: BindVars = {"@libraries": LIBRARIES}
        rows = self._rows(lambda db: db.aql.execute(LIST_LIBRARIES, bind_vars=bind), "list", idempotent=True)
        return [Library.model_validate(row) for row in rows]

    def find_by_name(self, name: str) -> Library | None:
        """Return the library called ``name``, or None."""
        bind: BindVars = {"@libraries": LIBRARIES, "name": str(name)}
        row = self._first(lambda db: db.aql.execute(FIND_LIBRARY_BY_NAME, bind_vars=bind), "find_by_name", idempotent=True)
        return None if row is None else Library.model_validate(row)

    def find_containing(self, path: str) -> Library | None:
        """Return the library whose root directory is ``path`` or holds it, or None.

        ``path`` is an absolute POSIX path, normalised by the caller (no ``..``, no trailing
        ``/``). Nested libraries resolve to the innermost one.
        """
        bind: BindVars = {"@libraries": LIBRARIES, "path": str(path)}
        row = self._first(lambda db: db.aql.execute(FIND_LIBRARY_CONTAINING, bind_vars=bind), "find_containing", idempotent=True)
        return None if row is None else Library.model_validate(row)

    def update(self, key: str, changes: LibraryUpdate) -> Library:
        """Apply the non-None fields of ``changes`` and return the updated library.

        Raises:
            DocumentNotFoundError: no such library.
        """
        fields: dict[str, Any] = {**changes.model_dump(exclude_none=True), "updated_at": now_ms()}
        bind: BindVars = {"@libraries": LIBRARIES, "key": validate_key(key), "changes": fields}
        row = self._first(lambda db: db.aql.execute(UPDATE_LIBRARY, bind_vars=bind), "update", idempotent=True)
        return Library.model_validate(self._required(row, "update", key))

    def delete(self, key: str) -> DeletionCounts:
        """Delete a library with its folders, files, edges, claims and statistics.

        Returns:
            Documents removed per collection.

        Raises:
            DocumentNotFoundError: no such library (nothing is removed).
        """
        bind: BindVars = {
            "@libraries": LIBRARIES,
            "@folders": LIBRARY_FOLDERS,
            "@files": LIBRARY_FILES,
            "@has_file": LIBRARY_HAS_FILE,
            "@has_tag": FILE_HAS_TAG,
            "@claims": WORKER_CLAIMS,
            "@stats": LIBRARY_STATS,
            "key": validate_key(key),
            "library_id": make_id(LIBRARIES, key),
        }
        counts: DeletionCounts = self._first(
            lambda db: db.aql.execute(DELETE_LIBRARY, bind_vars=bind), "delete", idempotent=True
        )
        if not counts["libraries"]:
            self._required(None, "delete", key)
        return counts
