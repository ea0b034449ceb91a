"""Read-only questions about tagged files: a file's tags, files carrying tags, tag counts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nomarr.components.discovery import display_name
from nomarr.components.tag_normalize import TAG_NAMES
from nomarr.helpers.dto import Library, LibraryFile, Tag, TagCount, TagValue
from nomarr.helpers.errors import DocumentNotFoundError
from nomarr.persistence import Database
from nomarr.workflows.libraries import library_path, locate

__all__ = [
    "FileTags",
    "FoundFile",
    "NotScannedError",
    "UnknownTagError",
    "check_tag_names",
    "file_tags",
    "find_files",
    "iter_found",
    "known_tag_names",
    "tag_counts",
]


class UnknownTagError(ValueError):
    """A tag name nomarr neither derives nor stores; the message lists the known ones."""


class NotScannedError(LookupError):
    """A path that is not a stored library file; the message says why and what to do."""


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
        NotScannedError: ``path`` is in no library, or was not scanned.
    """
    try:
        library, rel = locate(db, path)
    except DocumentNotFoundError:
        raise NotScannedError(f"{display_name(str(path))} is in no library: scan its folder first (nomarr scan DIR)") from None
    rel = display_name(rel)
    try:
        file = db.library_files.get_by_path(library.key_, rel)
    except DocumentNotFoundError:
        raise NotScannedError(
            f"{display_name(str(path))} is not in library {library.name!r} yet (not an audio file, or added "
            f"since the last scan): run nomarr scan {library.root_path}"
        ) from None
    return FileTags(library, file, library_path(library, rel), db.tags.get_file_tags(file.key_))


def find_files(db: Database, tags: Sequence[TagValue]) -> list[FoundFile]:
    """Return the files carrying every tag of ``tags`` (exact, normalised values), by path."""
    clauses = [
        {"field": "tag", "name": tag.name, "op": "eq", "value": tag.value, "low": None, "high": None,
         "low_strict": False, "high_strict": False, "negate": False}
        for tag in tags
    ]  # fmt: skip
    return list(iter_found(db, [clauses])) if clauses else []


def known_tag_names(db: Database) -> list[str]:
    """Return the tag names nomarr derives plus any stored, sorted."""
    return sorted(set(TAG_NAMES) | set(db.file_search.tag_names()))


def check_tag_names(db: Database, names: Iterable[str]) -> None:
    """Raise UnknownTagError for a name that is neither derived by nomarr nor stored."""
    known = known_tag_names(db)
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise UnknownTagError(
            f"unknown tag name {unknown[0]!r}: known names are {', '.join(known)} (and path, title in find)"
        )


def iter_found(db: Database, groups: Sequence[Sequence[dict[str, Any]]], library: Library | None = None) -> Iterator[FoundFile]:
    """Yield the files matching ``groups`` (see :mod:`nomarr.components.file_query`), streamed."""
    libraries = {lib.key_: lib for lib in db.libraries.list()}
    for file in db.file_search.iter_matching(groups, None if library is None else library.key_):
        owner = libraries.get(file.library_key)
        if owner is not None:
            yield FoundFile(owner, file, library_path(owner, file.path))


def tag_counts(db: Database, name: str | None = None) -> list[TagCount]:
    """Return how many files carry each tag (only tags called ``name``, when given)."""
    return db.tags.tag_counts(name)
