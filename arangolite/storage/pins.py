"""Pinned SQLite read snapshots: the committed state an on-disk engine reads.

An on-disk engine reads documents and index entries through one SQLite read transaction held
open on a connection of its own (WAL mode keeps that snapshot while other connections and
processes commit). :meth:`Pins.begin` opens a newer one when the engine catches up; the older one
ends as soon as no full scan reads it any more, so a scan started before a catch-up finishes on
the snapshot it started with. Connections are reused.
"""

from __future__ import annotations

import contextlib
import sqlite3

__all__ = ["Pin", "Pins"]

_SPARE = 4


class Pin:
    """One read snapshot: its connection and the last change row it contains."""

    def __init__(self, conn: sqlite3.Connection, seq: int) -> None:
        self.conn = conn
        self.seq = seq
        self.users = 0


class Pins:
    """The current read snapshot of an engine and the older ones scans still read."""

    def __init__(self, db_file: str, timeout: float) -> None:
        self._db_file = db_file
        self._timeout = timeout
        self._spare: list[sqlite3.Connection] = []
        self.live = 0  # snapshots open (current, older ones scans still read, new ones)
        self.closed = False
        self.current = self.begin()

    def _connect(self) -> sqlite3.Connection:
        if self._spare:
            return self._spare.pop()
        conn = sqlite3.connect(
            self._db_file, isolation_level=None, check_same_thread=False, timeout=self._timeout
        )
        conn.execute("PRAGMA query_only=1")
        return conn

    def begin(self) -> Pin:
        """A snapshot of what is committed now (not yet current: see :meth:`swap`)."""
        conn = self._connect()
        conn.execute("BEGIN")
        self.live += 1
        row = conn.execute("SELECT MAX(seq) FROM changes").fetchone()  # starts the snapshot
        return Pin(conn, int(row[0] or 0))

    def swap(self, pin: Pin) -> None:
        """Make ``pin`` current; the previous one ends once no scan reads it."""
        old, self.current = self.current, pin
        if old is not pin and old.users == 0:
            self._end(old)

    def drop(self, pin: Pin) -> None:
        """End a snapshot that never became current."""
        self._end(pin)

    def acquire(self) -> Pin:
        """The current snapshot, kept until :meth:`release`."""
        pin = self.current
        pin.users += 1
        return pin

    def release(self, pin: Pin) -> None:
        pin.users -= 1
        if pin.users == 0 and pin is not self.current:
            self._end(pin)

    def renew(self) -> None:
        """Begin the current snapshot again when nothing was committed since (call holding the
        write lock): after the log was copied into the database file, the new snapshot reads
        the file alone, which lets the next commit start the log from the beginning."""
        if self.live != 1 or self.current.users:
            return
        pin = self.begin()
        if pin.seq == self.current.seq:
            self.swap(pin)
        else:  # documents changed since the last catch-up: that catch-up comes first
            self.drop(pin)

    def _end(self, pin: Pin) -> None:
        self.live -= 1
        conn = pin.conn
        try:
            conn.execute("COMMIT")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
            return
        if len(self._spare) < _SPARE and not self.closed:  # (closed: a build's own snapshot)
            self._spare.append(conn)
        else:
            conn.close()

    def close(self) -> None:
        """Close every connection (the engine is closing; a snapshot begun by a build still
        running is closed when the build drops it)."""
        self.closed = True
        for conn in [self.current.conn, *self._spare]:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        self._spare = []
