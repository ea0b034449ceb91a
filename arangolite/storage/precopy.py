"""Copying the write-ahead log into the database file on a thread of its own.

After a commit that leaves the log past its limit, the on-disk engine copies the log into the
file (a passive checkpoint) before the log can start over (:meth:`DiskBacking.trim_log`). At a
million documents a 10k-document import commit adds some 23 MB of log and every third one
copies it, 23-32 ms a commit on average. :class:`LogPrecopy` runs that copy on a connection and
a thread of its own, so it overlaps the work that comes before the next commit (the client's
next batch, parsing, building the documents: sqlite3 lets go of the GIL while the checkpoint
runs).
The engine waits for it right before its next commit and then checkpoints again on its writing
connection, which finds little or nothing left to copy, and begins its snapshot again as
before. A checkpoint only copies committed pages and is crash-safe whenever it runs, so nothing
about durability changes; nor does what a reader sees (a checkpoint never copies past the
oldest snapshot a reader holds).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading

__all__ = ["LogPrecopy"]


class LogPrecopy:
    """At most one background checkpoint at a time, on a connection used by it alone."""

    def __init__(self, db_file: str, timeout: float) -> None:
        self._db_file = db_file
        self._timeout = timeout
        self._conn: sqlite3.Connection | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> bool:
        """Begin copying the log on a thread; False when a copy is still running (or no
        connection could be opened)."""
        if self._thread is not None:
            return False
        if self._conn is None:
            try:
                self._conn = sqlite3.connect(
                    self._db_file,
                    isolation_level=None,
                    check_same_thread=False,
                    timeout=self._timeout,
                )
                self._conn.execute("PRAGMA synchronous=NORMAL")
            except sqlite3.Error:
                return False
        self._thread = threading.Thread(
            target=self._copy, args=(self._conn,), name="arangolite-log-copy", daemon=True
        )
        self._thread.start()
        return True

    @staticmethod
    def _copy(conn: sqlite3.Connection) -> None:
        with contextlib.suppress(sqlite3.Error):  # the engine checkpoints again anyway
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def running(self) -> bool:
        """True while a copy is started and not yet waited for (the kill test waits for this)."""
        return self._thread is not None

    def wait(self) -> bool:
        """Wait for the copy begun by :meth:`start`; False when none was begun."""
        thread, self._thread = self._thread, None
        if thread is None:
            return False
        thread.join()
        return True

    def close(self) -> None:
        self.wait()
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None
