"""DTOs for scanned audio files."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field

from nomarr.helpers.dto.base import ArangoDocument, NomarrModel

__all__ = ["FileStatus", "LibraryFile", "LibraryFileCreate", "UpsertReport"]


class FileStatus(StrEnum):
    """The processing states a file moves through (persistence stores any string)."""

    PENDING = "pending"
    PROCESSING = "processing"
    TAGGED = "tagged"
    ERROR = "error"


class LibraryFileCreate(NomarrModel):
    """A file record as a scan discovered it.

    Attributes:
        library_key: the library the file belongs to.
        path: the file's path; with ``library_key`` it determines the file's ``_key``.
        size: size in bytes.
        mtime_ms: modification time in milliseconds.
        folder_key: the ``_key`` of the folder holding the file, if folders are tracked.
        metadata: free-form facts read during the scan (format, duration...).
    """

    library_key: str  # validated as a key by persistence (InvalidKeyError)
    path: str = Field(min_length=1)
    size: int = Field(ge=0)
    mtime_ms: int
    folder_key: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)


class LibraryFile(ArangoDocument):
    """A stored library file."""

    library_key: str
    path: str
    size: int
    mtime_ms: int
    folder_key: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    status: str
    created_at: int
    updated_at: int
    scanned_at: int
    discovered_at: int | None = None
    problem: str | None = None  # why the file is unreadable or failed (status unreadable/error)


class UpsertReport(NomarrModel):
    """What one batch upsert did, file by file.

    Attributes:
        new_keys: keys of files that did not exist before.
        modified_keys: keys of files whose size or mtime changed (status reset to pending).
        unchanged_keys: keys of files with the same size and mtime as at the last scan
            (status kept); callers can skip them.
    """

    new_keys: list[str] = Field(default_factory=list)
    modified_keys: list[str] = Field(default_factory=list)
    unchanged_keys: list[str] = Field(default_factory=list)

    @property
    def total(self) -> int:
        """Number of files in the batch."""
        return len(self.new_keys) + len(self.modified_keys) + len(self.unchanged_keys)
