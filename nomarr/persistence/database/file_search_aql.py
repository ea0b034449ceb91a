"""``find``'s query: files matching a structured filter, in one fixed AQL query, streamed.

The filter is data passed as one bind variable, never AQL text: a list of *groups* OR-ed
together, each a list of *clauses* AND-ed together. A clause is a dict::

    {"field": "tag" | "path" | "title" | "any",  # what to look at
     "name": "genre",                            # the tag name (field "tag" only)
     "op": "eq" | "contains" | "range",
     "value": "rock",                            # eq / contains (already normalised, lowercase)
     "low": 1990, "high": null,                  # range bounds (null: open)
     "low_strict": false, "high_strict": false,  # > / < instead of >= / <=
     "negate": false}                            # NOT

``path`` is the path relative to the library root and ``title`` the file's embedded title,
both compared lowercased; ``any`` looks at every tag value, the path and the title. A range
compares numerically and only matches values that are numbers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from nomarr.helpers.dto import LibraryFile
from nomarr.helpers.keys import validate_key
from nomarr.helpers.many import many
from nomarr.persistence.operations_base import BaseOperations, BindVars
from nomarr.persistence.schema import FILE_HAS_TAG, LIBRARY_FILES, TAGS

__all__ = ["FileSearchOperations"]

# bind: @@files, @@has_tag, @@tags, library_key (null: every library), groups: [[clause]]
# -> [LibraryFile] matching at least one group, ordered by library and path
SEARCH_FILES = """
FOR f IN @@files
  FILTER @library_key == null OR f.library_key == @library_key
  LET tags = (
    FOR link IN @@has_tag
      FILTER link._from == f._id
      FOR t IN @@tags
        FILTER t._id == link._to
        RETURN t
  )
  LET path = LOWER(f.path)
  LET title = LOWER(TO_STRING(FIRST(f.metadata.tags.title) || ""))
  LET matching_groups = (
    FOR g IN @groups
      LET hits = (
        FOR c IN g
          LET candidates = c.field == "tag" ? tags[* FILTER CURRENT.name == c.name RETURN CURRENT.value]
            : (c.field == "path" ? [path]
            : (c.field == "title" ? [title] : APPEND(tags[*].value, [path, title])))
          LET found = (
            FOR v IN candidates
              LET n = TO_NUMBER(v)
              FILTER (c.op == "eq" AND v == c.value)
                OR (c.op == "contains" AND CONTAINS(v, c.value))
                OR (c.op == "range" AND TO_STRING(n) == v
                    AND (c.low == null OR (c.low_strict ? n > c.low : n >= c.low))
                    AND (c.high == null OR (c.high_strict ? n < c.high : n <= c.high)))
              LIMIT 1
              RETURN 1
          )
          FILTER (LENGTH(found) > 0) != c.negate
          RETURN 1
      )
      FILTER LENGTH(hits) == LENGTH(g)
      LIMIT 1
      RETURN 1
  )
  FILTER LENGTH(matching_groups) > 0
  SORT f.library_key, f.path
  RETURN f
"""

# bind: @@tags -> [tag name], sorted
TAG_NAMES = """
FOR t IN @@tags
  COLLECT name = t.name
  RETURN name
"""


class FileSearchOperations(BaseOperations):
    """Search files by tags, path and title."""

    group = LIBRARY_FILES

    def iter_matching(self, groups: Sequence[Sequence[dict[str, Any]]], library_key: str | None = None) -> Iterator[LibraryFile]:
        """Return an iterator over every file matching ``groups`` (see the module doc), by library and path.

        The arguments are checked at once; results are streamed batch by batch from one query as
        they are iterated; there is no cap.
        """
        checked = [many(group, "file_search.iter_matching(groups)") for group in many(groups, "file_search.iter_matching(groups)")]
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "@has_tag": FILE_HAS_TAG,
            "@tags": TAGS,
            "library_key": None if library_key is None else validate_key(library_key, "library_key"),
            "groups": [[dict(clause) for clause in group] for group in checked],
        }
        rows = self._runner.stream(
            lambda db: db.aql.execute(SEARCH_FILES, bind_vars=bind, batch_size=1000),
            context=f"{self.group}.iter_matching",
        )
        return (LibraryFile.model_validate(row) for row in rows)

    def tag_names(self) -> list[str]:
        """Return the name of every stored tag, sorted."""
        bind: BindVars = {"@tags": TAGS}
        return [str(name) for name in self._rows(lambda db: db.aql.execute(TAG_NAMES, bind_vars=bind), "tag_names", idempotent=True)]
