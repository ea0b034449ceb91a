"""Housekeeping: tag documents no file carries any more (``nomarr doctor`` reports and removes them)."""

from __future__ import annotations

from nomarr.persistence.operations_base import BaseOperations, BindVars
from nomarr.persistence.schema import FILE_HAS_TAG, TAGS

__all__ = ["HousekeepingOperations"]

# bind: @@tags, @@has_tag -> [number of tags no file links to]
COUNT_ORPHAN_TAGS = """
FOR t IN @@tags
  LET used = (FOR link IN @@has_tag FILTER link._to == t._id LIMIT 1 RETURN 1)
  FILTER LENGTH(used) == 0
  COLLECT WITH COUNT INTO orphans
  RETURN orphans
"""

# bind: @@tags, @@has_tag -> [number of tags removed]
REMOVE_ORPHAN_TAGS = """
FOR t IN @@tags
  LET used = (FOR link IN @@has_tag FILTER link._to == t._id LIMIT 1 RETURN 1)
  FILTER LENGTH(used) == 0
  REMOVE t IN @@tags
  COLLECT WITH COUNT INTO removed
  RETURN removed
"""


class HousekeepingOperations(BaseOperations):
    """Find and remove data nothing refers to."""

    group = TAGS

    def count_orphan_tags(self) -> int:
        """Return how many tag documents no file carries."""
        bind: BindVars = {"@tags": TAGS, "@has_tag": FILE_HAS_TAG}
        row = self._first(lambda db: db.aql.execute(COUNT_ORPHAN_TAGS, bind_vars=bind), "count_orphan_tags", idempotent=True)
        return int(row or 0)

    def remove_orphan_tags(self) -> int:
        """Remove the tag documents no file carries; return how many."""
        bind: BindVars = {"@tags": TAGS, "@has_tag": FILE_HAS_TAG}
        row = self._first(lambda db: db.aql.execute(REMOVE_ORPHAN_TAGS, bind_vars=bind), "remove_orphan_tags", idempotent=True)
        return int(row or 0)
