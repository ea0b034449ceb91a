"""Read-only questions about tagged files: a file's tags, files carrying tags, tag counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nomarr.helpers.dto import Library, LibraryFile, Tag, TagCount, TagValue
from nomarr.persistence import Database
from nomarr.workflows.libraries import library_path, locate

__all__ = ["FileTags", "FoundFile", "file_tags", "find_files", "tag_counts"]


@dataclass(frozen=True, slots=True)
class FileTags:
    """A library file and its tags.

    Attributes:
        library: the library holding it.
        file: the stored file.
        path: its absolute path.
        tags: its tags, ordered by name and value.
    """

    library: Library
    file: LibraryFile
    path: Path
    tags: list[Tag]


@dataclass(frozen=True, slots=True)
class FoundFile:
    """A file matching a tag search.

    Attributes:
        library: the library holding it.
        file: the stored file.
        path: its absolute path.
    """

    library: Library
    file: LibraryFile
    path: Path


def file_tags(db: Database, path: Path) -> FileTags:
    """Return the stored file at ``path`` with its tags.

    Raises:
        DocumentNotFoundError: ``path`` is in no library, or was not scanned.
    """
    library, rel = locate(db, path)
    file = db.library_files.get_by_path(library.key_, rel)
    return FileTags(library, file, library_path(library, rel), db.tags.get_file_tags(file.key_))


def find_files(db: Database, tags: Sequence[TagValue], limit: int = 10_000) -> list[FoundFile]:
    """Return the files carrying every tag of ``tags``, ordered by path.

    Args:
        db: the database.
        tags: normalised tags, all required.
        limit: at most this many files per tag are considered.
    """
    if not tags:
        return []
    matches: dict[str, LibraryFile] | None = None
    for tag in tags:
        files = {f.key_: f for f in db.tags.get_files_by_tag(tag.name, tag.value, limit)}
        matches = files if matches is None else {k: v for k, v in matches.items() if k in files}
    libraries = {library.key_: library for library in db.libraries.list()}
    found = [
        FoundFile(libraries[f.library_key], f, library_path(libraries[f.library_key], f.path))
        for f in (matches or {}).values()
        if f.library_key in libraries
    ]
    return sorted(found, key=lambda item: str(item.path))


def tag_counts(db: Database, name: str | None = None) -> list[TagCount]:
    """Return how many files carry each tag (only tags called ``name``, when given)."""
    return db.tags.tag_counts(name)
