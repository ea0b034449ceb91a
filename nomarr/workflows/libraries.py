"""Find, create, move, rename and remove libraries; map paths on disk to library files.

A library is known by its name and its root directory; its files are stored with paths
relative to that root (POSIX separators), so moving the root keeps every file's key.
Rules kept here: names are unique and not blank; no two libraries share a root, and no root
lies inside another (a file would then belong to two libraries and be listed twice).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from nomarr.helpers.dto import Library, LibraryCreate, LibraryUpdate
from nomarr.helpers.errors import DocumentNotFoundError
from nomarr.persistence import Database
from nomarr.workflows.scan_guard import forget_legacy_folder_problems

__all__ = [
    "LibraryConflictError",
    "add_library",
    "check_root_free",
    "ensure_library",
    "find_library",
    "library_path",
    "locate",
    "move_library",
    "remove_library",
    "rename_library",
    "valid_name",
]


class LibraryConflictError(ValueError):
    """A library name or root clashes with another library; the message says how to resolve it."""


def valid_name(name: str) -> str:
    """Return ``name`` stripped, or raise LibraryConflictError when it is blank."""
    cleaned = name.strip()
    if not cleaned:
        raise LibraryConflictError("the library name is empty: give a name, for example --library Music")
    return cleaned


def find_library(db: Database, name: str) -> Library | None:
    """Return the library called ``name``, or None."""
    return next((lib for lib in db.libraries.list() if lib.name == name), None)


def _named(db: Database, name: str) -> Library:
    library = find_library(db, name)
    if library is None:
        known = ", ".join(sorted(lib.name for lib in db.libraries.list())) or "none yet"
        raise LibraryConflictError(f"no library is called {name!r} (libraries: {known}); see nomarr library ls")
    return library


def check_root_free(db: Database, root: Path, ignore: str | None = None) -> None:
    """Refuse ``root`` when another library has it, or it lies inside or around another's root.

    Args:
        db: the database.
        root: the absolute root to check.
        ignore: the key of a library allowed to have it (the one being moved).
    """
    for lib in db.libraries.list():
        if lib.key_ == ignore:
            continue
        other = Path(lib.root_path)
        if other == root:
            raise LibraryConflictError(
                f"{root} is already the root of library {lib.name!r}: scan it with --library {lib.name} "
                "(or rename that library with nomarr library rename)"
            )
        if root.is_relative_to(other):
            raise LibraryConflictError(
                f"{root} is inside library {lib.name!r} ({other}): scan {other} instead, "
                f"or remove that library first (nomarr library rm {lib.name})"
            )
        if other.is_relative_to(root):
            raise LibraryConflictError(
                f"{root} contains library {lib.name!r} ({other}): move it there with "
                f"nomarr library mv {lib.name} {root}, or remove it first (nomarr library rm {lib.name})"
            )


def add_library(db: Database, name: str, root: Path) -> Library:
    """Create a library called ``name`` at ``root`` (no scan).

    Raises:
        LibraryConflictError: the name is taken or blank, or the root clashes with another library.
    """
    name = valid_name(name)
    if find_library(db, name) is not None:
        raise LibraryConflictError(f"a library called {name!r} already exists: choose another name")
    check_root_free(db, root)
    return db.libraries.create(LibraryCreate(name=name, root_path=str(root)))


def ensure_library(db: Database, root: Path, name: str | None = None, *, allow_move: bool = False) -> Library:
    """Return the library for ``root``, creating it (or, with ``allow_move``, moving it) as needed.

    Args:
        db: the database.
        root: the library's absolute root directory.
        name: the library's name. None picks the library already at ``root``, else creates
            one named after the directory.
        allow_move: a known ``name`` with another root is moved to ``root`` (else refused).

    Raises:
        LibraryConflictError: blank name, root of another library, overlapping roots, or a
            move without ``allow_move``.
    """
    libraries = db.libraries.list()
    if name is None:
        at_root = [lib for lib in libraries if lib.root_path == str(root)]
        if at_root:
            return at_root[0]
        name = root.name or str(root)
    name = valid_name(name)
    named = next((lib for lib in libraries if lib.name == name), None)
    if named is None:
        check_root_free(db, root)
        _refuse_if_moved(db, libraries, root)
        return db.libraries.create(LibraryCreate(name=name, root_path=str(root)))
    if named.root_path != str(root):
        if not allow_move:
            raise LibraryConflictError(
                f"library {name!r} has its root at {named.root_path}, not {root}: to move it, "
                f"run nomarr library mv {name} {root} (or scan with --move)"
            )
        return move_library(db, name, root)
    return named


def _refuse_if_moved(db: Database, libraries: list[Library], root: Path, sample: int = 20) -> None:
    """Refuse a new library at ``root`` when it looks like a library whose root went missing."""
    for lib in libraries:
        if Path(lib.root_path).exists():
            continue
        paths = [f.path for f in db.library_files.list_for_library(lib.key_, limit=sample)]
        if paths and sum((root / path).exists() for path in paths) * 2 > len(paths):
            raise LibraryConflictError(
                f"{root} holds the files of library {lib.name!r}, whose root {lib.root_path} is gone: "
                f"if you moved it, run nomarr library mv {lib.name} {root} (its tags are kept)"
            )


def move_library(db: Database, name: str, root: Path) -> Library:
    """Give the library ``name`` the new root ``root`` (its files keep their keys and tags)."""
    library = _named(db, name)
    check_root_free(db, root, ignore=library.key_)
    return db.libraries.update(library.key_, LibraryUpdate(root_path=str(root)))


def rename_library(db: Database, old: str, new: str) -> Library:
    """Rename the library ``old`` to ``new``."""
    library = _named(db, old)
    new = valid_name(new)
    if find_library(db, new) is not None:
        raise LibraryConflictError(f"a library called {new!r} already exists: choose another name")
    return db.libraries.update(library.key_, LibraryUpdate(name=new))


def remove_library(db: Database, name: str) -> tuple[Library, dict[str, int]]:
    """Remove the library ``name`` with its files and their tags (nothing on disk is touched)."""
    library = _named(db, name)
    counts = db.libraries.delete(library.key_)
    forget_legacy_folder_problems(db, library.key_)
    db.housekeeping.remove_orphan_tags()
    return library, counts


def locate(db: Database, path: Path) -> tuple[Library, str]:
    """Return the library holding ``path`` and the path relative to its root.

    Raises:
        DocumentNotFoundError: no library's root contains ``path``.
    """
    target = path.expanduser().absolute()
    candidates = sorted(db.libraries.list(), key=lambda lib: len(lib.root_path), reverse=True)
    for probe in (target, path.expanduser().resolve()):
        for library in candidates:
            try:
                rel = probe.relative_to(library.root_path)
            except ValueError:
                continue
            return library, PurePosixPath(*rel.parts).as_posix()
    raise DocumentNotFoundError(f"{path} is in no library")


def library_path(library: Library, rel_path: str) -> Path:
    """Return the absolute path of a library file."""
    return Path(library.root_path) / rel_path
