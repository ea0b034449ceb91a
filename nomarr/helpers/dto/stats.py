"""DTOs for derived per-library statistics."""

from __future__ import annotations

from pydantic import Field

from nomarr.helpers.dto.base import ArangoDocument

__all__ = ["LibraryStats"]


class LibraryStats(ArangoDocument):
    """Counts derived from the source collections; rebuildable at any time.

    Attributes:
        library_key: the library (also this document's ``_key``).
        file_count: number of files.
        total_size: sum of file sizes in bytes.
        files_by_status: number of files per status.
        tag_links: number of file-to-tag edges of the library's files.
        distinct_tags: number of different tags those edges point to.
        computed_at: when the counts were computed, in milliseconds.
    """

    library_key: str
    file_count: int = 0
    total_size: int = 0
    files_by_status: dict[str, int] = Field(default_factory=dict)
    tag_links: int = 0
    distinct_tags: int = 0
    computed_at: int
