"""Pause Python's cyclic garbage collector while work allocates many acyclic objects.

Documents and query rows are plain JSON trees and tuples (no reference cycles), so collections
triggered while a bulk insert or a large query allocates them only re-scan the growing heap: a
SORT over 100k rows spent about three quarters of its time in the collector. Reference counting
still frees everything as usual; cycles made meanwhile are collected once the pause ends.
"""

from __future__ import annotations

import gc
import threading

__all__ = ["paused"]

_lock = threading.Lock()
_pauses = 0
_was_enabled = True


class paused:  # lower case: used like a function, ``with paused():``
    """Disable the collector inside the block (nesting and threads counted); no-op if not
    ``active``."""

    __slots__ = ("_active",)

    def __init__(self, active: bool = True) -> None:
        self._active = active

    def __enter__(self) -> None:
        global _pauses, _was_enabled
        if self._active:
            with _lock:
                _pauses += 1
                if _pauses == 1:
                    _was_enabled = gc.isenabled()
                    gc.disable()

    def __exit__(self, *exc: object) -> None:
        global _pauses
        if self._active:
            with _lock:
                _pauses -= 1
                if _pauses == 0 and _was_enabled:
                    gc.enable()
