"""Pause Python's cyclic garbage collector while work allocates many acyclic objects.

Documents and query rows are plain JSON trees and tuples (no reference cycles), so collections
triggered while a bulk insert or a large query allocates them only re-scan the growing heap: a
SORT over 100k rows spent about three quarters of its time in the collector. Reference counting
still frees everything as usual; cycles made meanwhile are collected once the pause ends.
"""

from __future__ import annotations

import gc
import threading

__all__ = ["YOUNG_EVERY", "for_batches", "paused"]

# Allocations between two collections of the youngest generation in a process that serves
# batches of documents (Python's default: 700). With the default, the collections that reading
# 100,000 documents triggers re-scan everything the process holds several times over: half the
# time of ``nomarr files`` over 100,000 files, a fifth of ``nomarr find`` (README, Performance).
YOUNG_EVERY = 10_000


def for_batches() -> None:
    """Tune this process's collector for batch work (call once, from a program's entry point:
    the server's, nomarr's command); the older generations keep their thresholds."""
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_EVERY, middle, old)

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
