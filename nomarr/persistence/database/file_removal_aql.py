"""AQL fragments shared by the queries that remove library files (not queries of their own).

A file never goes alone: its tag links, its library link and any worker claim on it go with it.
A query that removes files first binds ``doomed`` (the ``library_files`` documents to remove),
then appends ``REMOVE_DOOMED_FILES`` and reports ``REMOVED_FILE_COUNTS`` in its RETURN object.
The fragment needs the bind variables ``@@files``, ``@@has_file``, ``@@has_tag`` and ``@@claims``.
"""

from __future__ import annotations

__all__ = ["REMOVED_FILE_COUNTS", "REMOVE_DOOMED_FILES"]

REMOVE_DOOMED_FILES = """
LET tag_links = (
  FOR f IN doomed
    FOR link IN @@has_tag
      FILTER link._from == f._id
      REMOVE link IN @@has_tag
      RETURN 1
)
LET file_links = (
  FOR f IN doomed
    FOR link IN @@has_file
      FILTER link._to == f._id
      REMOVE link IN @@has_file
      RETURN 1
)
LET claims = (
  FOR f IN doomed
    REMOVE { _key: f._key } IN @@claims OPTIONS { ignoreErrors: true }
    RETURN 1
)
LET files = (FOR f IN doomed REMOVE f IN @@files RETURN 1)
"""

REMOVED_FILE_COUNTS = """
  library_files: LENGTH(files),
  library_has_file: LENGTH(file_links),
  file_has_tag: LENGTH(tag_links),
  worker_claims: LENGTH(claims)
"""
