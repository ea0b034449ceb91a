"""Queries on ``library_stats``: per-library counts derived from the source collections.

The statistics are a cache for fast reads. They are never the source of truth:
:meth:`LibraryStatsOperations.refresh` recomputes one library and
:meth:`LibraryStatsOperations.rebuild` recomputes all of them (and drops those of deleted
libraries) from ``libraries``, ``library_files`` and ``file_has_tag``.
"""

from __future__ import annotations

from nomarr.helpers.dto import LibraryStats
from nomarr.helpers.keys import validate_key
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.operations_base import BaseOperations, BindVars
from nomarr.persistence.schema import FILE_HAS_TAG, LIBRARIES, LIBRARY_FILES, LIBRARY_STATS

__all__ = ["LibraryStatsOperations"]

# bind: @@libraries, @@files, @@has_tag, @@stats, library_key (null = every library), now
# -> [LibraryStats] as stored
COMPUTE_STATS = """
FOR lib IN @@libraries
  FILTER @library_key == null OR lib._key == @library_key
  LET by_status = (
    FOR f IN @@files
      FILTER f.library_key == lib._key
      COLLECT status = f.status INTO sizes = f.size
      RETURN { status, files: LENGTH(sizes), size: SUM(sizes) }
  )
  LET tag_ids = (
    FOR f IN @@files
      FILTER f.library_key == lib._key
      FOR link IN @@has_tag
        FILTER link._from == f._id
        RETURN link._to
  )
  LET stats = {
    _key: lib._key,
    library_key: lib._key,
    file_count: SUM(by_status[*].files),
    total_size: SUM(by_status[*].size),
    files_by_status: ZIP(by_status[*].status, by_status[*].files),
    tag_links: LENGTH(tag_ids),
    distinct_tags: COUNT_DISTINCT(tag_ids),
    computed_at: @now
  }
  UPSERT { _key: lib._key }
  INSERT stats
  REPLACE stats
  IN @@stats
  RETURN NEW
"""

# bind: @@stats, @@libraries -> [number of orphaned statistics removed]
REMOVE_ORPHAN_STATS = """
FOR s IN @@stats
  LET owner = (FOR lib IN @@libraries FILTER lib._key == s._key LIMIT 1 RETURN 1)
  FILTER LENGTH(owner) == 0
  REMOVE s IN @@stats
  COLLECT WITH COUNT INTO removed
  RETURN removed
"""

# bind: @@stats, key -> [LibraryStats] or []
GET_STATS = """
FOR s IN @@stats
  FILTER s._key == @key
  RETURN s
"""


class LibraryStatsOperations(BaseOperations):
    """Read and recompute the derived per-library statistics."""

    group = LIBRARY_STATS

    def find(self, library_key: str) -> LibraryStats | None:
        """Return the stored statistics of a library, or None if never computed."""
        bind: BindVars = {"@stats": LIBRARY_STATS, "key": validate_key(library_key, "library_key")}
        row = self._first(lambda db: db.aql.execute(GET_STATS, bind_vars=bind), "find", idempotent=True)
        return None if row is None else LibraryStats.model_validate(row)

    def refresh(self, library_key: str) -> LibraryStats:
        """Recompute and store one library's statistics.

        Raises:
            DocumentNotFoundError: no such library.
        """
        rows = self._compute(validate_key(library_key, "library_key"))
        return self._required(rows[0] if rows else None, "refresh", library_key)  # type: ignore[no-any-return]

    def rebuild(self) -> int:
        """Recompute every library's statistics from scratch; return how many were stored."""
        bind: BindVars = {"@stats": LIBRARY_STATS, "@libraries": LIBRARIES}
        self._first(lambda db: db.aql.execute(REMOVE_ORPHAN_STATS, bind_vars=bind), "rebuild", idempotent=True)
        return len(self._compute(None))

    def _compute(self, library_key: str | None) -> list[LibraryStats]:
        bind: BindVars = {
            "@libraries": LIBRARIES,
            "@files": LIBRARY_FILES,
            "@has_tag": FILE_HAS_TAG,
            "@stats": LIBRARY_STATS,
            "library_key": library_key,
            "now": now_ms(),
        }
        rows = self._rows(lambda db: db.aql.execute(COMPUTE_STATS, bind_vars=bind), "compute", idempotent=True)
        return [LibraryStats.model_validate(row) for row in rows]
