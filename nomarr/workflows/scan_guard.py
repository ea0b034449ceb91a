"""Removals a scan may make only with consent, and folder problems kept for ``status``.

A scan that finds most of a library's files gone is more likely looking at an unmounted drive
or a wrong folder than at a user who deleted their music. :func:`check_removals` lets it go
ahead only when the caller confirms (a question on a terminal, or an explicit flag).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nomarr.persistence import Database

__all__ = [
    "Confirm",
    "RemovalRefusedError",
    "check_removals",
    "folder_problems",
    "record_folder_problems",
    "risky_removal",
]

Confirm = Callable[[str], bool]
"""Asked a yes/no question (one line); returns True to go ahead."""


class RemovalRefusedError(ValueError):
    """A scan would remove all or most of a library's files and nobody confirmed it."""


def risky_removal(gone: int, stored: int) -> bool:
    """Return True when removing ``gone`` of ``stored`` files needs consent: all, or more than half."""
    return gone > 0 and gone * 2 > stored


def check_removals(library: str, root: str, gone: int, stored: int, confirm: Confirm | None) -> None:
    """Raise RemovalRefusedError unless the removal is small or ``confirm`` agrees."""
    if not risky_removal(gone, stored):
        return
    what = "all" if gone == stored else f"{gone} of"
    question = (
        f"{root} lacks {what} {stored} files of library {library!r} (an unmounted drive or a wrong "
        f"folder?); forget {gone} files and their tags?"
    )
    if confirm is not None and confirm(question):
        return
    raise RemovalRefusedError(
        f"scan stopped, nothing changed: {root} lacks {what} {stored} stored files of library "
        f"{library!r}; check the folder is the right one and mounted, or rerun with --allow-removals "
        "to forget them"
    )


def _meta_name(library_key: str) -> str:
    return f"scan_problems:{library_key}"


def record_folder_problems(db: Database, library_key: str, problems: list[tuple[str, str]]) -> None:
    """Keep the folder-level problems of the last scan (unreadable folders) for status and files."""
    db.meta.set(_meta_name(library_key), [{"path": path, "reason": reason} for path, reason in problems])


def folder_problems(db: Database, library_key: str) -> list[dict[str, Any]]:
    """Return the folder-level problems the last scan of a library recorded."""
    value = db.meta.get(_meta_name(library_key), [])
    return list(value) if isinstance(value, list) else []
