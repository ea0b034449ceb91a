"""Whether a reported path lies inside the paths a user asked about (shared by both scripts)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

__all__ = ["inside"]


def inside(path: str, paths: Sequence[str]) -> bool:
    """Return True when ``path`` is one of ``paths`` or lies below one (``.`` covers all).

    Both sides are POSIX-style relative paths; ``./`` prefixes, trailing slashes and
    backslashes in ``paths`` are tolerated.
    """
    file = PurePosixPath(path)
    for item in paths:
        base = PurePosixPath(item.replace("\\", "/").removeprefix("./").rstrip("/") or ".")
        if str(base) == "." or file == base or base in file.parents:
            return True
    return False
