"""The engine lock: re-entrant, and handed to waiting requests by a long holder at safe points.

Requests that need the engine are served under one re-entrant lock (reads of one document, batch
reads and read-only queries mostly run without it, see ``storage.lockfree``). A query that writes
holds it for its whole run, so without more a slow one held up every other write. Such a query
runs in a transaction of its own: it reads its snapshot (``undo`` corrects the committed state
for whatever commits after it began) and keeps its writes in its overlay, locking their keys, as
a stream transaction does between two of its requests. The lock is therefore not what keeps it
consistent, only what keeps two requests from running Python over the engine's structures at
once; between two rows it may let the lock go, as a streaming cursor does between two batches.

:meth:`EngineLock.wanted` tells a holder that another thread waits for the lock and that it has
spent :data:`TURN` seconds of its own CPU time holding it since (or ten times that of wall
time); :meth:`EngineLock.hand_over` then lets it go whole (every level of re-entry), waits until a
waiter has taken it (at most :data:`HAND_OVER_WAIT`) and takes it back, queueing like any other
waiter. Callers choose their safe points (the AQL runtime between rows of a FOR loop:
``aql.turns``) and keep what they hold consistent across them.

Taking a free lock costs one non-blocking attempt; only a thread that has to wait is counted.
"""

from __future__ import annotations

import threading
import time

__all__ = ["HAND_OVER_WAIT", "TURN", "EngineLock"]

# A holder hands the lock over once it has spent this much CPU time holding it while somebody
# waits for it (or ten times this of wall time).
TURN = 0.02
# How long a holder that let the lock go waits for a waiter to take it before it takes it back.
HAND_OVER_WAIT = 0.05
_POLL = 0.0002
_WALL_TURNS = 10  # a holder hands over after this many turns of wall time whatever its CPU time


class EngineLock:
    """A re-entrant lock that counts its waiters and when its holder took it (see module doc)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._count = threading.Lock()  # guards ``waiting``
        self.waiting = 0  # threads blocked in acquire
        self.handed = 0  # acquisitions by a thread that had to wait (changed by the holder only)
        self.since = 0.0  # when the holder took it (outermost level)
        self._depth = 0  # the holder's levels of re-entry
        self.closed = False  # set when the engine closes (a holder handing over then stops)
        self._mark: tuple[float, float] | None = None  # (CPU, wall) time a waiter was first seen

    # -- the lock protocol (``with``, ``threading.Condition``) ----------------------------------

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        """Take the lock (re-entrant); a thread that has to wait is counted while it waits."""
        if self._lock.acquire(False):
            self._took(waited=False)
            return True
        if not blocking:
            return False
        with self._count:
            self.waiting += 1
        try:
            got = self._lock.acquire(True, timeout)
        finally:
            with self._count:
                self.waiting -= 1
        if got:
            self._took(waited=True)
        return got

    def release(self) -> None:
        """Let one level go (the last one frees the lock)."""
        self._depth -= 1
        self._lock.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _is_owned(self) -> bool:
        return bool(self._lock._is_owned())  # type: ignore[attr-defined]

    def _release_save(self) -> int:
        """Let every level go at once (``Condition.wait``, :meth:`hand_over`); the levels."""
        depth, self._depth = self._depth, 0
        for _ in range(depth):
            self._lock.release()
        return depth

    def _acquire_restore(self, depth: int) -> None:
        """Take the lock back with the levels :meth:`_release_save` let go (counted as a
        waiter if it has to wait)."""
        self.acquire()
        for _ in range(depth - 1):
            self._lock.acquire()
        self._depth = depth

    def _took(self, *, waited: bool) -> None:
        self._depth += 1
        if self._depth == 1:
            self.since = time.monotonic()
            self._mark = None
            if waited:
                self.handed += 1

    # -- handing over ------------------------------------------------------------------------------

    def wanted(self) -> bool:
        """Whether this thread should hand the lock over now: it holds it, another thread waits
        for it, and since a waiter was first seen (since all waiters left, the next one counts
        afresh) the holder has spent :data:`TURN` seconds of its own CPU time (or ten times that
        of wall time) holding it.

        CPU time, not wall time: under load (many threads sharing the GIL, other processes) a
        query of a few milliseconds of work can hold the lock for more than :data:`TURN` of
        wall time, and handing it over in its middle would only expose it to conflicts; the
        wall-time bound still hands over a holder that waits on I/O. The CPU clock is read only
        while someone waits (a system call, about 1 us), never when the lock is taken."""
        if not self.waiting:
            self._mark = None  # the waiters left: a later one is counted from its first look
            return False
        now = time.monotonic()
        if now - self.since <= TURN or not self._is_owned():
            return False
        cpu = time.thread_time()
        if self._mark is None:  # the first look with a waiter in this hold: start counting
            self._mark = (cpu, now)
            return False
        return cpu - self._mark[0] > TURN or now - self._mark[1] > _WALL_TURNS * TURN

    def hand_over(self) -> None:
        """Let the lock go whole until a waiter has taken it (or :data:`HAND_OVER_WAIT` passed),
        then take it back. The caller holds it and is at a point where others may run."""
        saved = self._release_save()
        try:
            handed, deadline = self.handed, time.monotonic() + HAND_OVER_WAIT
            while self.handed == handed and self.waiting and time.monotonic() < deadline:
                time.sleep(_POLL)
        finally:
            self._acquire_restore(saved)

    def released(self) -> _Released:
        """``with lock.released(): ...`` runs the block with the lock let go whole (when this
        thread holds it) and takes it back after (``SLEEP``)."""
        return _Released(self)


class _Released:
    def __init__(self, lock: EngineLock) -> None:
        self._lock = lock
        self._saved: int | None = None

    def __enter__(self) -> None:
        if self._lock._is_owned():
            self._saved = self._lock._release_save()

    def __exit__(self, *exc: object) -> None:
        if self._saved is not None:
            saved, self._saved = self._saved, None
            self._lock._acquire_restore(saved)
