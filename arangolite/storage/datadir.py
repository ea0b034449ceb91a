"""The data directory: what it may hold, its format, creation and migration.

A data directory holds one SQLite file (plus its WAL files and a ``LOCK`` file used only while
opening). Anything else is refused with 1201 and left untouched: foreign files, a damaged or
foreign SQLite file, a newer format. Older formats are migrated on open in one SQLite transaction:
``arangolite-1`` lacks the ``changes`` table, ``arangolite-2`` the index and edge tables,
``arangolite-3`` keyed integers beyond 2**53 as the nearest double, ``arangolite-4`` keyed objects
by their names first, ``arangolite-5`` kept no counts (see :mod:`arangolite.storage.migrate`).
Opening takes the ``LOCK`` file exclusively for the few milliseconds of checking, creating or
migrating, so two processes opening one new directory at once do not both create it; afterwards
processes share the directory.

A migration runs only when no other connection has the store open, in this process or another:
its connection asks SQLite for the database file exclusively (``locking_mode=EXCLUSIVE``), which
SQLite refuses while any other connection holds the shared lock every WAL-mode connection keeps
for as long as it is open, whatever arangolite version made it. A process of an older version
still at work on the directory would otherwise go on writing in its own format (index keys in
its order, documents its counts do not see) after the store changed under it; the open is
refused with 1107 instead, and nothing is changed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Callable, Iterator

from arangolite.errors import DATADIR_INVALID, DATADIR_LOCKED, ArangoError
from arangolite.storage.migrate import (
    COUNTS_SQL,
    FORMAT3_SQL,
    to_format3,
    to_format4,
    to_format5,
    to_format6,
)

__all__ = ["DB_FILE", "FORMAT", "check_existing", "migrate_alone", "opening", "prepare"]

DB_FILE = "arangolite.sqlite"
LOCK_FILE = "LOCK"
FORMAT = "arangolite-6"
_MIGRATABLE = ("arangolite-1", "arangolite-2", "arangolite-3", "arangolite-4", "arangolite-5")
# how long a migration waits for the other connections to go (a process closing just then)
_ALONE_WAIT_S = 1.0
_OWN_FILES = {DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm", DB_FILE + "-journal", LOCK_FILE}
_TABLES = {"meta", "databases", "collections", "indexes", "graphs", "documents"}

_CHANGES = """
CREATE TABLE changes (seq INTEGER PRIMARY KEY, cid INTEGER NOT NULL, key TEXT NOT NULL)
"""
SCHEMA = (
    """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE databases (name TEXT PRIMARY KEY, id TEXT NOT NULL, props TEXT NOT NULL);
CREATE TABLE collections (cid INTEGER PRIMARY KEY, db TEXT NOT NULL, name TEXT NOT NULL,
                          props TEXT NOT NULL);
CREATE TABLE indexes (cid INTEGER NOT NULL, iid TEXT NOT NULL, spec TEXT NOT NULL,
                      PRIMARY KEY (cid, iid));
CREATE TABLE graphs (db TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL,
                     PRIMARY KEY (db, name));
CREATE TABLE documents (cid INTEGER NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL,
                        UNIQUE (cid, key));
"""
    + _CHANGES
)


def _invalid(path: str, why: str) -> ArangoError:
    return ArangoError(DATADIR_INVALID, f"{path}: {why}")


@contextlib.contextmanager
def opening(path: str) -> Iterator[None]:
    """Hold the directory's ``LOCK`` file exclusively while checking, creating or migrating."""
    try:
        os.makedirs(path, exist_ok=True)
        handle = open(os.path.join(path, LOCK_FILE), "a+")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise _invalid(
            path, f"cannot write the data directory ({exc.strerror}): check its permissions"
        ) from None
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()


def _format_of(db_file: str, path: str, conn: sqlite3.Connection | None = None) -> str | None:
    """The stored format marker (None: no store yet); 1201 for a damaged or foreign file.

    Without ``conn`` the file is read as immutable, which creates no WAL files: a refused
    directory is left exactly as it was. When a write-ahead log is there (a process was killed,
    or others have the directory open) it is read too, read-only: the file alone may be midway
    through a checkpoint.
    """
    if not os.path.exists(db_file):
        return None
    wal = db_file + "-wal"
    has_log = os.path.exists(wal) and os.path.getsize(wal) > 0 and os.path.exists(db_file + "-shm")
    mode = "mode=ro" if has_log else "mode=ro&immutable=1"
    try:
        reader = conn or sqlite3.connect(f"file:{db_file}?{mode}", uri=True)
        try:
            tables = {
                r[0] for r in reader.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            marker = (
                reader.execute("SELECT value FROM meta WHERE key='format'").fetchone()
                if ("meta" in tables)
                else None
            )
        finally:
            if conn is None:
                reader.close()
    except sqlite3.Error as exc:
        raise _invalid(path, f"damaged store ({exc})") from None
    if not tables:  # created by a connection whose schema transaction never committed
        return None
    if not tables >= _TABLES or marker is None:
        raise _invalid(path, "wrong or missing schema")
    found = str(marker[0])
    if found != FORMAT and found not in _MIGRATABLE:
        if found.startswith("arangolite-") and found[11:].isdigit() and int(found[11:]) > 3:
            raise _invalid(
                path,
                f"written by a newer arangolite (format {found}, this version reads {FORMAT}): "
                "upgrade arangolite to open it",
            )
        raise _invalid(path, f"wrong or missing schema (format {found})")
    if found == FORMAT and not {"changes", "edges", "counts"} <= tables:
        raise _invalid(path, "wrong or missing schema")
    return found


def prepare(conn: sqlite3.Connection, path: str) -> None:
    """Create the store if there is none (call inside :func:`opening`, after
    :func:`migrate_alone`)."""
    found = _format_of(os.path.join(path, DB_FILE), path, conn)
    if found == FORMAT:
        return
    if found is not None:  # the caller did not migrate first
        raise _invalid(path, f"format {found} is not migrated yet")
    _in_transaction(conn, lambda: _create(conn))


def migrate_alone(path: str) -> None:
    """Migrate an older store to :data:`FORMAT`, or do nothing (call inside :func:`opening`).

    The migration's own connection takes the database file exclusively for its whole length:
    1107 (nothing changed) while another connection has the store open.
    """
    db_file = os.path.join(path, DB_FILE)
    found = _format_of(db_file, path)
    if found is None or found == FORMAT:
        return
    conn = sqlite3.connect(db_file, isolation_level=None, timeout=_ALONE_WAIT_S)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")  # before the first read: no shared memory
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise _invalid(path, f"cannot open the store ({exc})") from None
            raise ArangoError(
                DATADIR_LOCKED,
                f"{path}: another process has it open, and its format {found} is migrated to "
                f"{FORMAT} only when none has: stop every process using this directory (an older "
                "nomarr or arangolite still running?), then open it again; nothing was changed",
            ) from None
        conn.execute("ROLLBACK")
        found = _format_of(db_file, path, conn)  # read again, now alone
        if found is not None and found != FORMAT:
            _in_transaction(conn, lambda: _migrate(conn, found))
    except sqlite3.Error as exc:
        raise _invalid(path, f"cannot migrate the store from format {found} ({exc})") from None
    finally:
        conn.close()  # the last connection: SQLite copies its log into the file


def _in_transaction(conn: sqlite3.Connection, work: Callable[[], None]) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        work()
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _create(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA.strip().split(";"):
        if statement.strip():
            conn.execute(statement)
    for statement in (*FORMAT3_SQL, *COUNTS_SQL):
        conn.execute(statement)
    conn.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))


def _migrate(conn: sqlite3.Connection, found: str) -> None:
    if found == "arangolite-1":  # same tables, no change log
        conn.execute(_CHANGES)
    if found == "arangolite-4":
        to_format5(conn)
    elif found == "arangolite-3":
        to_format4(conn)  # rebuilt with format 5's keys
        to_format5(conn)
    elif found != "arangolite-5":  # no index tables yet: built with format 5's keys
        to_format3(conn)
    to_format6(conn)
    conn.execute("UPDATE meta SET value=? WHERE key='format'", (FORMAT,))


def check_existing(path: str) -> None:
    """1201 (and nothing touched) unless ``path`` is absent, empty or an arangolite directory."""
    if not os.path.exists(path):
        return
    if not os.path.isdir(path):
        raise _invalid(path, "not a directory")
    names = set(os.listdir(path))
    if DB_FILE not in names:
        if names - _OWN_FILES:
            raise _invalid(path, "not an arangolite data directory (unexpected files)")
        return
    _format_of(os.path.join(path, DB_FILE), path)
