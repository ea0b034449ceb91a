"""Find, create and move libraries; map paths on disk to library files.

A library is known by its name and its root directory; its files are stored with paths
relative to that root (POSIX separators), so moving the root keeps every file's key.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from nomarr.helpers.dto import Library, LibraryCreate, LibraryUpdate
from nomarr.helpers.errors import DocumentNotFoundError
from nomarr.persistence import Database

__all__ = ["ensure_library", "library_path", "locate"]


def ensure_library(db: Database, root: Path, name: str | None = None) -> Library:
    """Return the library for ``root``, creating or moving it as needed.

    Args:
        db: the database.
        root: the library's absolute root directory.
        name: the library's name. None picks the library already at ``root``, else creates
            one named after the directory. A known name with another root is moved to ``root``.
    """
    libraries = db.libraries.list()
    if name is None:
        at_root = [lib for lib in libraries if lib.root_path == str(root)]
        if at_root:
            return at_root[0]
        name = root.name or str(root)
    named = [lib for lib in libraries if lib.name == name]
    if not named:
        return db.libraries.create(LibraryCreate(name=name, root_path=str(root)))
    if named[0].root_path != str(root):
        return db.libraries.update(named[0].key_, LibraryUpdate(root_path=str(root)))
    return named[0]


def locate(db: Database, path: Path) -> tuple[Library, str]:
    """Return the library holding ``path`` and the path relative to its root.

    Raises:
        DocumentNotFoundError: no library's root contains ``path``.
    """
    target = path.expanduser().resolve()
    candidates = sorted(db.libraries.list(), key=lambda lib: len(lib.root_path), reverse=True)
    for library in candidates:
        try:
            rel = target.relative_to(library.root_path)
        except ValueError:
            continue
        return library, PurePosixPath(*rel.parts).as_posix()
    raise DocumentNotFoundError(f"{path} is in no library")


def library_path(library: Library, rel_path: str) -> Path:
    """Return the absolute path of a library file."""
    return Path(library.root_path) / rel_path
