"""Queries on ``tags`` and the ``file_has_tag`` edges from library files to tags.

A tag's ``_key`` derives from its name and value, so each ``name=value`` pair is stored once and
shared by every file carrying it. A link's ``_key`` is the file's key prefix and a hash of the
file and tag keys (:func:`~nomarr.helpers.keys.link_key`), so adding the same tag twice is a
no-op; writers also skip the tags a file already links to (by ``_from`` and ``_to``), which keeps
links stored under the earlier key scheme from being doubled.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from nomarr.helpers.dto import LibraryFile, Tag, TagCount, TagValue
from nomarr.helpers.keys import link_key, make_id, tag_key, validate_key
from nomarr.helpers.many import many, many_mapping
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.operations_base import ITER_BATCH_SIZE, BaseOperations, BindVars
from nomarr.persistence.schema import FILE_HAS_TAG, LIBRARY_FILES, TAGS

__all__ = ["ITER_BATCH_SIZE", "TagsOperations"]


# bind: @@files, @@tags, @@has_tag, file_key, file_id, tags: [{_key, name, value}],
#       links: [{_key, _from, _to, created_at}] -> [{file_found, linked}] (links to tags the
#       file already has are skipped)
ADD_FILE_TAGS = """
LET found = (FOR f IN @@files FILTER f._key == @file_key LIMIT 1 RETURN 1)
LET file_found = LENGTH(found) > 0
LET stored = (
  FOR tag IN (file_found ? @tags : [])
    INSERT tag INTO @@tags OPTIONS { overwriteMode: "ignore" }
    RETURN 1
)
LET linked = (
  LET have = (FOR e IN @@has_tag FILTER e._from == @file_id RETURN e._to)
  FOR link IN (file_found ? @links : [])
    FILTER link._to NOT IN have
    INSERT link INTO @@has_tag OPTIONS { overwriteMode: "ignore" }
    RETURN 1
)
RETURN { file_found, linked: LENGTH(linked) }
"""

# bind: @@tags, tags: [{_key, name, value}] -> [number of tags inserted]
ADD_TAGS = """
FOR tag IN @tags
  INSERT tag INTO @@tags OPTIONS { overwriteMode: "ignore" }
  COLLECT WITH COUNT INTO stored
  RETURN stored
"""

# bind: @@files, @@tags, @@has_tag, items: [{file_key, file_id, tags: [{_key, name, value}],
#       links: [{_key, _from, _to, created_at}]}] -> [{found: [file_key], linked}]
# One query for a whole batch of files: files that do not exist are skipped, and so are links to
# tags a file already has.
ADD_TAGS_OF_FILES = """
LET items = (
  FOR item IN @items
    FOR f IN @@files
      FILTER f._key == item.file_key
      RETURN item
)
LET stored = (
  FOR tag IN UNIQUE(FLATTEN(items[*].tags))
    INSERT tag INTO @@tags OPTIONS { overwriteMode: "ignore" }
    RETURN 1
)
LET linked = (
  FOR item IN items
    LET have = (FOR e IN @@has_tag FILTER e._from == item.file_id RETURN e._to)
    FOR link IN item.links
      FILTER link._to NOT IN have
      INSERT link INTO @@has_tag OPTIONS { overwriteMode: "ignore" }
      RETURN 1
)
RETURN { found: items[*].file_key, linked: LENGTH(linked) }
"""

# bind: @@has_tag, items: [{file_id, keep: [tag _id]}] -> [number of links removed]
REMOVE_OTHER_TAGS_OF_FILES = """
FOR item IN @items
  FOR link IN @@has_tag
    FILTER link._from == item.file_id AND link._to NOT IN item.keep
    REMOVE link IN @@has_tag
    COLLECT WITH COUNT INTO removed
    RETURN removed
"""

# bind: @@has_tag, file_id, keep: [tag _id] -> [number of links removed]
REMOVE_OTHER_FILE_TAGS = """
FOR link IN @@has_tag
  FILTER link._from == @file_id AND link._to NOT IN @keep
  REMOVE link IN @@has_tag
  COLLECT WITH COUNT INTO removed
  RETURN removed
"""

# bind: @@has_tag, @@tags, file_id -> [Tag] ordered by name, value
GET_FILE_TAGS = """
FOR link IN @@has_tag
  FILTER link._from == @file_id
  FOR tag IN @@tags
    FILTER tag._id == link._to
    SORT tag.name, tag.value
    RETURN tag
"""

# bind: @@has_tag, @@tags, file_ids -> per file id, in order: [Tag] ordered by name and value
GET_TAGS_OF_FILES = """
FOR file_id IN @file_ids
  RETURN (
    FOR link IN @@has_tag
      FILTER link._from == file_id
      FOR tag IN @@tags
        FILTER tag._id == link._to
        SORT tag.name, tag.value
        RETURN tag
  )
"""

# bind: @@has_tag, @@files, tag_id, limit -> [LibraryFile] ordered by path
GET_FILES_BY_TAG = """
FOR link IN @@has_tag
  FILTER link._to == @tag_id
  FOR f IN @@files
    FILTER f._id == link._from
    SORT f.path
    LIMIT @limit
    RETURN f
"""

# bind: @@has_tag, @@files, first_tag (tag _id), other_tags ([tag _id]), after (file _id), limit
# -> [LibraryFile] carrying every tag, with _id > after, in _id order (one page). Reads the
# first tag's links in file order on the (_to, _from) index; each other tag is one index lookup.
PAGE_OF_FILES_WITH_TAGS = """
FOR link IN @@has_tag
  FILTER link._to == @first_tag AND link._from > @after
  SORT link._from
  LET others = (
    FOR other IN @@has_tag
      FILTER other._to IN @other_tags AND other._from == link._from
      RETURN 1
  )
  FILTER LENGTH(others) == LENGTH(@other_tags)
  LIMIT @limit
  FOR f IN @@files
    FILTER f._id == link._from
    RETURN f
"""

# bind: @@has_tag, @@tags, name (null = every tag) -> [TagCount] most used first
COUNT_TAGS = """
FOR link IN @@has_tag
  COLLECT tag_id = link._to WITH COUNT INTO files
  FOR tag IN @@tags
    FILTER tag._id == tag_id
    FILTER @name == null OR tag.name == @name
    SORT files DESC, tag.name, tag.value
    RETURN { tag_key: tag._key, name: tag.name, value: tag.value, file_count: files }
"""

# bind: @@tags, key -> [Tag] or []
GET_TAG = """
FOR tag IN @@tags
  FILTER tag._key == @key
  RETURN tag
"""


class TagsOperations(BaseOperations):
    """Tags, and which files carry them."""

    group = TAGS

    def set_file_tags(self, file_key: str, tags: Sequence[TagValue]) -> int:
        """Add ``tags`` to a file (existing tags of the file stay); return links written.

        Raises:
            DocumentNotFoundError: no such file (nothing is written).
        """
        file_key = validate_key(file_key, "file_key")
        bind = file_tags_bind(file_key, tags)
        row = self._first(lambda db: db.aql.execute(ADD_FILE_TAGS, bind_vars=bind), "set_file_tags", idempotent=True)
        if not row["file_found"]:
            self._required(None, "set_file_tags", file_key)
        return int(row["linked"])

    def replace_file_tags(self, file_key: str, tags: Sequence[TagValue]) -> int:
        """Make ``tags`` exactly the file's tags; return how many stale links were removed.

        Two queries (one collection can be modified only once per AQL query): run it inside a
        unit of work when the replacement must be atomic.
        """
        tags = many(tags, "tags.replace_file_tags(tags)")
        keep = [make_id(TAGS, tag_key(tag.name, tag.value)) for tag in tags]
        self.set_file_tags(file_key, tags)
        bind: BindVars = {"@has_tag": FILE_HAS_TAG, "file_id": make_id(LIBRARY_FILES, file_key), "keep": keep}
        row = self._first(
            lambda db: db.aql.execute(REMOVE_OTHER_FILE_TAGS, bind_vars=bind), "replace_file_tags", idempotent=True
        )
        return int(row or 0)

    def add_tags(self, tags: Sequence[TagValue]) -> None:
        """Store the tag documents ``tags`` (existing ones stay as they are), linking no file.

        Tag documents are shared and never change, so storing them ahead of a unit of work that
        links files to them keeps concurrent units from conflicting on a new tag.
        """
        docs = list({doc["_key"]: doc for doc in map(_tag_doc, many(tags, "tags.add_tags(tags)"))}.values())
        if not docs:
            return
        bind: BindVars = {"@tags": TAGS, "tags": docs}
        self._first(
            lambda db: db.aql.execute(ADD_TAGS, bind_vars=bind), "add_tags", idempotent=True, conflict_safe=True
        )

    def replace_tags_of_files(self, tags_by_file: Mapping[str, Sequence[TagValue]]) -> list[str]:
        """Make each file's tags exactly those given, for a batch of files; return the keys found.

        Files that do not exist are skipped (nothing is written for them). Two queries for the
        whole batch (one collection can be modified only once per AQL query): run it inside a
        unit of work when the replacement must be atomic.
        """
        at = now_ms()
        items = [
            {
                "file_key": validate_key(key, "file_key"),
                "file_id": make_id(LIBRARY_FILES, key),
                "tags": [_tag_doc(tag) for tag in many(tags, f"tags.replace_tags_of_files(tags_by_file[{key!r}])")],
                "links": _link_docs(key, tags, at),
            }
            for key, tags in many_mapping(tags_by_file, "tags.replace_tags_of_files(tags_by_file)").items()
        ]
        if not items:
            return []
        bind: BindVars = {"@files": LIBRARY_FILES, "@tags": TAGS, "@has_tag": FILE_HAS_TAG, "items": items}
        row = self._first(
            lambda db: db.aql.execute(ADD_TAGS_OF_FILES, bind_vars=bind), "replace_tags_of_files", idempotent=True
        )
        found = [str(key) for key in row["found"]]
        stale: BindVars = {
            "@has_tag": FILE_HAS_TAG,
            "items": [
                {
                    "file_id": make_id(LIBRARY_FILES, key),
                    "keep": [make_id(TAGS, tag_key(tag.name, tag.value)) for tag in tags_by_file[key]],
                }
                for key in found
            ],
        }
        self._first(
            lambda db: db.aql.execute(REMOVE_OTHER_TAGS_OF_FILES, bind_vars=stale),
            "replace_tags_of_files",
            idempotent=True,
        )
        return found

    def remove_file_tags(self, file_key: str) -> int:
        """Remove every tag of a file; return how many links were removed."""
        bind: BindVars = {"@has_tag": FILE_HAS_TAG, "file_id": make_id(LIBRARY_FILES, file_key), "keep": []}
        row = self._first(
            lambda db: db.aql.execute(REMOVE_OTHER_FILE_TAGS, bind_vars=bind), "remove_file_tags", idempotent=True
        )
        return int(row or 0)

    def get_file_tags(self, file_key: str) -> list[Tag]:
        """Return a file's tags ordered by name and value."""
        bind: BindVars = {"@has_tag": FILE_HAS_TAG, "@tags": TAGS, "file_id": make_id(LIBRARY_FILES, file_key)}
        rows = self._rows(lambda db: db.aql.execute(GET_FILE_TAGS, bind_vars=bind), "get_file_tags", idempotent=True)
        return [Tag.model_validate(row) for row in rows]

    def get_tags_of_files(self, file_keys: Sequence[str]) -> dict[str, list[Tag]]:
        """Return each file's tags ordered by name and value, in one query (a file without tags, or
        missing, maps to ``[]``)."""
        keys = list(dict.fromkeys(validate_key(key) for key in many(file_keys, "tags.get_tags_of_files(file_keys)")))
        bind: BindVars = {"@has_tag": FILE_HAS_TAG, "@tags": TAGS, "file_ids": [make_id(LIBRARY_FILES, key) for key in keys]}
        rows = self._rows(lambda db: db.aql.execute(GET_TAGS_OF_FILES, bind_vars=bind), "get_tags_of_files", idempotent=True)
        return {key: [Tag.model_validate(tag) for tag in tags] for key, tags in zip(keys, rows, strict=True)}

    def get_files_by_tag(self, name: str, value: str, limit: int = 1000) -> list[LibraryFile]:
        """Return files tagged ``name=value``, ordered by path."""
        bind: BindVars = {
            "@has_tag": FILE_HAS_TAG,
            "@files": LIBRARY_FILES,
            "tag_id": make_id(TAGS, tag_key(name, value)),
            "limit": int(limit),
        }
        rows = self._rows(lambda db: db.aql.execute(GET_FILES_BY_TAG, bind_vars=bind), "get_files_by_tag", idempotent=True)
        return [LibraryFile.model_validate(row) for row in rows]

    def iter_files_with_tags(self, tags: Sequence[TagValue], batch_size: int = ITER_BATCH_SIZE) -> Iterator[LibraryFile]:
        """Yield every file carrying *all* of ``tags``, in ``_id`` order, one query per batch.

        Keyset pagination on the ``(_to, _from)`` index of ``file_has_tag``: memory holds one
        batch whatever the number of matches, and nothing is truncated.

        Raises:
            ValueError: ``tags`` is empty.
        """
        bind = files_with_tags_bind(tags, batch_size)
        rows = self._pages(lambda db: db.aql.execute(PAGE_OF_FILES_WITH_TAGS, bind_vars=bind, batch_size=bind["limit"]), bind, "iter_files_with_tags", _by_id)
        return (LibraryFile.model_validate(row) for row in rows)

    def iter_files_by_tag(self, name: str, value: str, batch_size: int = ITER_BATCH_SIZE) -> Iterator[LibraryFile]:
        """Yield every file tagged ``name=value``, in ``_id`` order, one query per batch."""
        return self.iter_files_with_tags([TagValue(name=name, value=value)], batch_size)

    def tag_counts(self, name: str | None = None) -> list[TagCount]:
        """Return how many files carry each tag (only tags called ``name``, when given)."""
        bind: BindVars = {"@has_tag": FILE_HAS_TAG, "@tags": TAGS, "name": name}
        rows = self._rows(lambda db: db.aql.execute(COUNT_TAGS, bind_vars=bind), "tag_counts", idempotent=True)
        return [TagCount.model_validate(row) for row in rows]

    def get(self, name: str, value: str) -> Tag:
        """Return the tag ``name=value``.

        Raises:
            DocumentNotFoundError: no file ever carried that tag.
        """
        key = tag_key(name, value)
        bind: BindVars = {"@tags": TAGS, "key": key}
        row = self._first(lambda db: db.aql.execute(GET_TAG, bind_vars=bind), "get", idempotent=True)
        return Tag.model_validate(self._required(row, "get", f"{name}={value}"))


def file_tags_bind(file_key: str, tags: Sequence[TagValue]) -> BindVars:
    """Bind variables of :data:`ADD_FILE_TAGS` (``file_key`` already validated)."""
    tags = many(tags, "tags.set_file_tags(tags)")
    return {
        "@files": LIBRARY_FILES,
        "@tags": TAGS,
        "@has_tag": FILE_HAS_TAG,
        "file_key": file_key,
        "file_id": make_id(LIBRARY_FILES, file_key),
        "tags": [_tag_doc(tag) for tag in tags],
        "links": _link_docs(file_key, tags, now_ms()),
    }


def files_with_tags_bind(tags: Sequence[TagValue], batch_size: int) -> BindVars:
    """Bind variables of the first page of :data:`PAGE_OF_FILES_WITH_TAGS`.

    Raises:
        ValueError: ``tags`` is empty.
    """
    ids = list(dict.fromkeys(make_id(TAGS, tag_key(t.name, t.value)) for t in many(tags, "tags.iter_files_with_tags(tags)")))
    if not ids:
        raise ValueError("tags.iter_files_with_tags: give at least one tag")
    return {
        "@has_tag": FILE_HAS_TAG,
        "@files": LIBRARY_FILES,
        "first_tag": ids[0],
        "other_tags": ids[1:],
        "after": "",
        "limit": int(batch_size),
    }


def _by_id(row: Any) -> Any:
    return row["_id"]


def _tag_doc(tag: TagValue) -> dict[str, Any]:
    return {"_key": tag_key(tag.name, tag.value), "name": tag.name, "value": tag.value}


def _link_docs(file_key: str, tags: Sequence[TagValue], at: int) -> list[dict[str, Any]]:
    """The ``file_has_tag`` edges from a file to ``tags`` made at ``at``, one per distinct tag."""
    file_id = make_id(LIBRARY_FILES, file_key)
    keys = dict.fromkeys(tag_key(tag.name, tag.value) for tag in tags)
    return [
        {"_key": link_key(file_key, key), "_from": file_id, "_to": make_id(TAGS, key), "created_at": at}
        for key in keys
    ]
