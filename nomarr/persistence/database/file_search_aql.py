"""``find``'s query: files matching a structured filter, in one fixed AQL query, streamed.

The filter is data passed as bind variables, never AQL text: a list of *groups* OR-ed
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

Cost follows the matches, not the library: when every group has a positive tag clause, the
query starts from the tags (:data:`SEARCH_BY_TAGS`). For each group it looks up the tag
documents matching each positive tag clause (an ``eq`` clause is one primary-key lookup, the
others read the tags of that name through the ``(name, value)`` index), counts their links
through the ``(_to, _from)`` index up to :data:`PROBE_LIMIT` per clause (the read stops
there, however many tags the clause matches), and walks the links of the clause with the fewest. Each file
reached that way is intersected with the group's other positive tag clauses on its links alone
(one edge-index lookup per other clause); only the files left are read, and checked against
every clause when some clause is one the walk does not decide (negated, path, title or bare
word); when every clause is a positive tag clause the walk has decided the match
(:data:`SEARCH_BY_TAGS_ONLY`) and the files are returned as read. The cost follows the
narrowest term's matches, not the library. A query where some group has no positive tag clause
(only NOT terms, or only path, title or bare words) cannot be narrowed by a tag and reads every
file (:data:`SEARCH_FILES`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from nomarr.helpers.dto import LibraryFile
from nomarr.helpers.keys import make_id, tag_key, validate_key
from nomarr.helpers.many import many
from nomarr.persistence.operations_base import BaseOperations, BindVars
from nomarr.persistence.schema import FILE_HAS_TAG, LIBRARY_FILES, TAGS

__all__ = ["PROBE_LIMIT", "SEARCH_BY_TAGS", "SEARCH_BY_TAGS_ONLY", "SEARCH_FILES", "FileSearchOperations", "search_bind"]

PROBE_LIMIT = 250
"""Links counted per positive tag clause (over all its tags) to choose the narrowest one (bounds the choice's cost).

When every clause of a group has at least this many, an exact value (``eq``) is preferred to a
range, and a range to a substring."""
_RANK = {"eq": 0, "range": 1, "contains": 2}

# The check of one file f against @groups (every clause of at least one group), shared by
# both queries below: f's tags, path and title, then FILTER on the groups.
MATCH_FILE = """
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

# bind: @@files, @@has_tag, @@tags, library_key (null: every library), groups: [[clause]]
# -> [LibraryFile] matching at least one group, ordered by library and path. Reads every file.
SEARCH_FILES = """
FOR f IN @@files
  FILTER @library_key == null OR f.library_key == @library_key
""" + MATCH_FILE

# bind: as SEARCH_FILES, plus drivers: per group, its positive tag clauses, each with
# tag_ids ([tag _id] of an eq clause, else []), scan_name (the tag name to read the tags of
# for other clauses, else null) and rank (tie-break: eq 0, range 1, contains 2); probe
# -> the files reached, as candidates. Walks the links of the narrowest positive tag clause of
# each group and keeps the files whose links also reach every other positive tag clause of the
# group (intersection on the edges alone: one lookup of the file's links per other clause, none
# when the group has one). The tags of a clause are the ones it matches, also for an eq clause
# (its tag read by key and compared), so a file reached this way matches every positive tag
# clause of its group exactly as MATCH_FILE would find it.
CANDIDATES = """
LET candidates = UNIQUE(FLATTEN(
  FOR drivers IN @drivers
    LET terms = (
      FOR c IN drivers
        LET exact = (
          FOR t IN @@tags
            FILTER t._id IN c.tag_ids
            FILTER t.name == c.name AND t.value == c.value
            RETURN t._id
        )
        LET read = (
          FOR t IN @@tags
            FILTER t.name == c.scan_name
            LET n = TO_NUMBER(t.value)
            FILTER (c.op == "contains" AND CONTAINS(t.value, c.value))
              OR (c.op == "range" AND TO_STRING(n) == t.value
                  AND (c.low == null OR (c.low_strict ? n > c.low : n >= c.low))
                  AND (c.high == null OR (c.high_strict ? n < c.high : n <= c.high)))
            RETURN t._id
        )
        LET tag_ids = APPEND(exact, read)
        LET size = LENGTH(
          FOR tag_id IN tag_ids
            FOR link IN @@has_tag FILTER link._to == tag_id LIMIT @probe RETURN 1
        )
        SORT size, c.rank
        RETURN tag_ids
    )
    LET others = SLICE(terms, 1)
    RETURN (
      FOR link IN @@has_tag
        FILTER link._to IN terms[0]
        FILTER LENGTH(
          FOR ids IN others
            LET carried = (FOR other IN @@has_tag FILTER other._from == link._from RETURN other._to)
            FILTER LENGTH(INTERSECTION(ids, carried)) == 0
            LIMIT 1
            RETURN 1
        ) == 0
        RETURN link._from
    )
))
FOR file_id IN candidates
  FOR f IN @@files
    FILTER f._id == file_id
    FILTER @library_key == null OR f.library_key == @library_key
"""

# -> as SEARCH_FILES: the candidates read and checked against every clause (a group also has
# negated, path, title or bare-word clauses, which the walk does not decide).
SEARCH_BY_TAGS = CANDIDATES + MATCH_FILE

# bind: as SEARCH_BY_TAGS without groups -> as SEARCH_FILES, when every clause of every group is
# a positive tag clause: the walk decides the match, and the files are not checked again.
SEARCH_BY_TAGS_ONLY = CANDIDATES + """
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
        query, bind = search_bind(groups, library_key)
        # one of the three constants, named as such (the layer lint checks the text is constant)
        text = SEARCH_BY_TAGS_ONLY if query is SEARCH_BY_TAGS_ONLY else SEARCH_BY_TAGS if query is SEARCH_BY_TAGS else SEARCH_FILES
        context = f"{self.group}.iter_matching"
        rows = self._runner.stream(lambda db: db.aql.execute(text, bind_vars=bind, batch_size=1000), context=context)
        return (LibraryFile.model_validate(row) for row in rows)

    def tag_names(self) -> list[str]:
        """Return the name of every stored tag, sorted."""
        bind: BindVars = {"@tags": TAGS}
        return [str(name) for name in self._rows(lambda db: db.aql.execute(TAG_NAMES, bind_vars=bind), "tag_names", idempotent=True)]


def search_bind(groups: Sequence[Sequence[dict[str, Any]]], library_key: str | None = None) -> tuple[str, BindVars]:
    """Return the query that answers ``groups`` and its bind variables.

    :data:`SEARCH_BY_TAGS_ONLY` when every clause is a positive tag clause; :data:`SEARCH_BY_TAGS`
    when every group has one; else :data:`SEARCH_FILES`.
    """
    checked = [[dict(c) for c in many(group, "file_search.iter_matching(groups)")] for group in many(groups, "file_search.iter_matching(groups)")]
    bind: BindVars = {
        "@files": LIBRARY_FILES,
        "@has_tag": FILE_HAS_TAG,
        "@tags": TAGS,
        "library_key": None if library_key is None else validate_key(library_key, "library_key"),
        "groups": checked,
    }
    drivers = [[_driver(c) for c in group if _drives(c)] for group in checked]
    if not drivers or not all(drivers):
        return SEARCH_FILES, bind
    walked = {**bind, "drivers": drivers, "probe": PROBE_LIMIT}
    if all(_drives(c) for group in checked for c in group):
        del walked["groups"]  # the walk decides: no clause is checked again
        return SEARCH_BY_TAGS_ONLY, walked
    return SEARCH_BY_TAGS, walked


def _drives(clause: dict[str, Any]) -> bool:
    """A positive tag clause: the walk from the tags can start from it."""
    return clause.get("field") == "tag" and not clause.get("negate")


def _driver(clause: dict[str, Any]) -> dict[str, Any]:
    """A positive tag clause as SEARCH_BY_TAGS starts from it: an eq clause names its tag directly."""
    exact = clause.get("op") == "eq"
    return {
        **clause,
        "tag_ids": [make_id(TAGS, tag_key(str(clause["name"]), str(clause["value"])))] if exact else [],
        "scan_name": None if exact else clause["name"],
        "rank": _RANK.get(str(clause.get("op")), len(_RANK)),
    }
