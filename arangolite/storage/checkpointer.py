"""Copying the write-ahead log into the database file on a thread of its own.

A checkpoint calls ``fsync`` twice (the log, then the file) and copies every page the log holds
since the last one. An on-disk engine checkpoints in its commit, holding the engine lock, when the
log passes its limit (:meth:`arangolite.storage.ondisk.DiskBacking.trim_log`), so every request
waited for those ``fsync`` calls. :class:`Checkpointer` runs passive checkpoints on a connection of
its own, on a thread that holds neither the engine lock nor the GIL while SQLite works, each time
the log has grown by a quarter of the limit; the checkpoint in the commit then copies only what
came after the last of them. SQLite's checkpoints are crash-safe whoever runs them (a commit is
in the log before any checkpoint copies it), and a passive one never waits for readers or
writers: it copies what no reader's snapshot still needs and leaves the rest for the next.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading

__all__ = ["Checkpointer"]


class Checkpointer:
    """A thread that checkpoints one database file when asked (started at the first request)."""

    def __init__(self, db_file: str) -> None:
        self._db_file = db_file
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = False
        self.running = threading.Lock()  # held while a checkpoint runs (here or by the engine)
        self.runs = 0  # checkpoints run (for tests)

    def request(self) -> None:
        """Checkpoint soon (a request while one runs asks for one more after it)."""
        with self._lock:
            if self._closed:
                return
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="arangolite-checkpoint", daemon=True
                )
                self._thread.start()
        self._wake.set()

    def _loop(self) -> None:
        conn = sqlite3.connect(self._db_file, isolation_level=None, check_same_thread=False)
        try:
            while True:
                self._wake.wait()
                self._wake.clear()
                if self._closed:
                    return
                with self.running, contextlib.suppress(sqlite3.Error):  # retried when asked again
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                self.runs += 1
        finally:
            conn.close()

    def close(self) -> None:
        """Stop the thread (after the checkpoint it may be running)."""
        with self._lock:
            self._closed = True
            thread = self._thread
        self._wake.set()
        if thread is not None:
            thread.join()
