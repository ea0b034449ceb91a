"""The write-ahead log fsynced on a timer, so no acknowledged commit waits for the next one.

A commit runs with ``synchronous=NORMAL``: whole in the log before it is acknowledged (so it
survives ``kill -9``) but not fsynced, unless it asks (``waitForSync``) or comes
:data:`~arangolite.storage.durability.SYNC_INTERVAL` after the last sync. Without this timer
the last commits before a quiet spell stayed unsynced until some later commit or checkpoint,
however long that took. :class:`LogSync` fsyncs the log file itself (``os.fsync`` of the
``-wal`` file: the kernel's dirty pages of that file, whichever descriptor wrote them) at most
one interval after such a commit, as ArangoDB's RocksDB does with ``--rocksdb.sync-interval``.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable

__all__ = ["LogSync"]


class LogSync:
    """A daemon thread that fsyncs ``wal_file`` ``interval`` seconds after :meth:`pending`."""

    def __init__(self, wal_file: str, interval: float, synced: Callable[[float], None]) -> None:
        self._wal_file = wal_file
        self.interval = interval
        self._synced = synced  # told the monotonic time a sync began, once it is done
        self._pending = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="arangolite-log-sync", daemon=True)
        self._thread.start()

    def pending(self) -> None:
        """A commit was acknowledged without an fsync of the log."""
        self._pending.set()

    def _run(self) -> None:
        while True:
            self._pending.wait()
            if self._stop.wait(self.interval):  # (closing: no need to wait out the interval)
                return
            self._pending.clear()
            began = time.monotonic()
            if self.sync_now():
                self._synced(began)

    def sync_now(self) -> bool:
        """fsync the log file; False when there is none (it was cut back: nothing to sync)."""
        try:
            fd = os.open(self._wal_file, os.O_RDONLY)
        except OSError:
            return False
        try:
            os.fsync(fd)
        except OSError:
            return False
        finally:
            with contextlib.suppress(OSError):
                os.close(fd)
        return True

    def close(self) -> None:
        """Stop the thread and sync what is left."""
        self._stop.set()
        self._pending.set()
        self._thread.join()
        self.sync_now()
