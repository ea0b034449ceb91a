"""Files that could not be read or tagged, and listing files by status.

A file a scan cannot read, or whose tagging failed, keeps its document with a ``status``
(``unreadable`` or ``error``) and a ``problem`` (the reason, for people); it loses its tags, so
nothing stale is found or counted. Listing streams every matching file, with no cap.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from nomarr.helpers.dto import LibraryFile
from nomarr.helpers.keys import validate_key
from nomarr.helpers.many import many, many_mapping
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.operations_base import BaseOperations, BindVars
from nomarr.persistence.schema import FILE_HAS_TAG, LIBRARY_FILES

__all__ = ["FileProblemsOperations"]

# bind: @@files, @@has_tag, items: [{_key, status, problem}], now
# -> [{files: number of files updated, tags: number of tag links removed}]
RECORD_PROBLEMS = """
LET updated = (
  FOR item IN @items
    FOR f IN @@files
      FILTER f._key == item._key
      UPDATE f WITH { status: item.status, problem: item.problem, updated_at: @now } IN @@files
      RETURN NEW._id
)
LET unlinked = (
  FOR file_id IN updated
    FOR link IN @@has_tag
      FILTER link._from == file_id
      REMOVE link IN @@has_tag
      RETURN 1
)
RETURN { files: LENGTH(updated), tags: LENGTH(unlinked) }
"""

# bind: @@files, library_key (null: every library), statuses -> [LibraryFile] by library, path
STREAM_BY_STATUS = """
FOR f IN @@files
  FILTER @library_key == null OR f.library_key == @library_key
  FILTER f.status IN @statuses
  SORT f.library_key, f.path
  RETURN f
"""


class FileProblemsOperations(BaseOperations):
    """Record why files failed, and list files by status."""

    group = LIBRARY_FILES

    def record(self, problems: Mapping[str, tuple[str, str]]) -> int:
        """Set ``status`` and ``problem`` of files and remove their tag links.

        Args:
            problems: file key to ``(status, reason)``.

        Returns:
            Files updated (missing keys are skipped).
        """
        checked = many_mapping(problems, "file_problems.record(problems)")
        if not checked:
            return 0
        items = [
            {"_key": validate_key(key), "status": str(status), "problem": str(reason)}
            for key, (status, reason) in checked.items()
        ]
        bind: BindVars = {"@files": LIBRARY_FILES, "@has_tag": FILE_HAS_TAG, "items": items, "now": now_ms()}
        row = self._first(lambda db: db.aql.execute(RECORD_PROBLEMS, bind_vars=bind), "record", idempotent=True)
        return int(row["files"]) if row else 0

    def iter_by_status(self, statuses: Sequence[str], library_key: str | None = None) -> Iterator[LibraryFile]:
        """Return an iterator over every file with one of ``statuses`` (of one library, or all), by path.

        The arguments are checked at once; the files are streamed as they are iterated.
        """
        bind: BindVars = {
            "@files": LIBRARY_FILES,
            "library_key": None if library_key is None else validate_key(library_key, "library_key"),
            "statuses": [str(status) for status in many(statuses, "file_problems.iter_by_status(statuses)")],
        }
        rows = self._runner.stream(
            lambda db: db.aql.execute(STREAM_BY_STATUS, bind_vars=bind, batch_size=1000),
            context=f"{self.group}.iter_by_status",
        )
        return (LibraryFile.model_validate(row) for row in rows)
