"""Removals a scan may make only with consent, and the folder problems ``status`` and ``files`` show.

A scan that finds most of a library's files gone is more likely looking at an unmounted drive
or a wrong folder than at a user who deleted their music. :func:`check_removals` lets it go
ahead only when the caller confirms (a question on a terminal, or an explicit flag).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nomarr.helpers.dto import ScanOutcome
from nomarr.persistence import Database

__all__ = [
    "Confirm",
    "RemovalRefusedError",
    "check_removals",
    "folder_problems",
    "forget_legacy_folder_problems",
    "risky_removal",
]

_RUNS_LOOKED_AT = 10

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


def _legacy_name(library_key: str) -> str:
    """The ``meta`` entry where older nomarr versions kept a library's folder problems."""
    return f"scan_problems:{library_key}"


def folder_problems(db: Database, library_key: str) -> list[dict[str, Any]]:
    """Return the folder-level problems (unreadable folders) the last finished scan of a library recorded.

    They live in the scan-run record. A library last scanned by an older nomarr has them in
    ``meta`` instead: that form is read until the next scan, which deletes it.
    """
    for run in db.scan_runs.recent(_RUNS_LOOKED_AT, library_key):
        if run.outcome == ScanOutcome.OK:
            if run.problems is not None:
                return [dict(problem) for problem in run.problems]
            break
    value = db.meta.get(_legacy_name(library_key), [])
    return list(value) if isinstance(value, list) else []


def forget_legacy_folder_problems(db: Database, library_key: str) -> None:
    """Delete the old ``meta`` form of a library's folder problems (its scan runs hold them now)."""
    db.meta.delete(_legacy_name(library_key))
