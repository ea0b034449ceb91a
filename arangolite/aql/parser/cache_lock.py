"""One process at a time on the grammar cache file: an advisory lock beside it.

lark reads and writes its cache file in place (it writes atomically only with the optional
``atomicwrites`` package), and its pickles differ from one process to the next. Two processes
starting at once on a fresh cache could leave a file that mixes both writes, and a process could
read a half-written file. Reading or writing the cache under an exclusive lock on
``<cache file>.lock`` rules both out. The lock goes with the process that holds it; a process that
cannot get it in time, or at all, goes without the cache.

POSIX only (``fcntl.flock``); elsewhere the cache is used unlocked, as lark itself does.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import BinaryIO

__all__ = ["cache_lock"]

_WAIT_SECONDS = 5.0  # others hold it for the time of one grammar analysis, well under a second
_POLL_SECONDS = 0.01

if sys.platform != "win32":
    import fcntl

    def _try_lock(handle: BinaryIO) -> bool | None:
        """``True`` when locked, ``False`` when another process holds it, ``None`` on error."""
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError:  # e.g. a file system without locks
            return None
        return True

else:  # pragma: no cover - Windows

    def _try_lock(handle: BinaryIO) -> bool | None:
        return True


def _acquire(handle: BinaryIO) -> bool:
    deadline = time.monotonic() + _WAIT_SECONDS
    while (locked := _try_lock(handle)) is False and time.monotonic() < deadline:
        time.sleep(_POLL_SECONDS)
    return bool(locked)


@contextmanager
def cache_lock(path: str) -> Iterator[bool]:
    """Hold the lock of the cache file ``path``; yields whether it was obtained."""
    with ExitStack() as stack:
        handle: BinaryIO | None
        try:
            handle = stack.enter_context(open(f"{path}.lock", "ab"))
        except OSError:
            handle = None
        yield handle is not None and _acquire(handle)  # closing the file releases the lock
