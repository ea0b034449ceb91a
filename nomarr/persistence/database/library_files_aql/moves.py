"""Moving (renaming) a library file: a new ``_key`` for the new path, its tags kept."""

from __future__ import annotations

from typing import Any

from nomarr.helpers.dto import LibraryFile
from nomarr.helpers.keys import file_key, link_key, make_id, validate_key
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.database.library_files_aql.lookups import LibraryFileLookupsMixin
from nomarr.persistence.database.library_files_aql.removal import LibraryFileRemovalMixin
from nomarr.persistence.operations_base import BindVars
from nomarr.persistence.schema import FILE_HAS_TAG, LIBRARIES, LIBRARY_FILES, LIBRARY_HAS_FILE

__all__ = ["LibraryFileMovesMixin"]

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


class LibraryFileMovesMixin(LibraryFileLookupsMixin, LibraryFileRemovalMixin):
    """The move method of :class:`~.operations.LibraryFilesOperations` (it reads and removes files too)."""

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
        moved_at = now_ms()
        doc = {
            **old.model_dump(exclude={"key_", "id_", "rev_"}),
            "_key": new_key,
            "path": str(new_path),
            "folder_key": None if folder_key is None else validate_key(folder_key, "folder_key"),
            "updated_at": moved_at,
        }
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "@has_file": LIBRARY_HAS_FILE,
            "@has_tag": FILE_HAS_TAG,
            "libraries": LIBRARIES,
            "doc": doc,
            "links": [_moved_link(new_key, tag_id, moved_at) for tag_id in dict.fromkeys(tag_ids)],
        }
        row = self._first(lambda db: db.aql.execute(INSERT_MOVED_FILE, bind_vars=bind), "move", idempotent=False)
        self.delete_many([old.key_])
        return LibraryFile.model_validate(row)

    def _tag_ids(self, file_id: str) -> list[str]:
        bind: BindVars = {"@has_tag": FILE_HAS_TAG, "file_id": file_id}
        return [str(t) for t in self._rows(lambda db: db.aql.execute(FILE_TAG_IDS, bind_vars=bind), "move", idempotent=True)]


def _moved_link(file_key_: str, tag_id: str, at: int) -> dict[str, Any]:
    """The ``file_has_tag`` edge of a moved file (same key scheme as ``tags_aql``)."""
    return {
        "_key": link_key(file_key_, tag_id.partition("/")[2]),
        "_from": make_id(LIBRARY_FILES, file_key_),
        "_to": tag_id,
        "created_at": at,
    }
