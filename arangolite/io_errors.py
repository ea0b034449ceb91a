"""What a failed read or write of a data directory means for the user, as ArangoDB's error.

The store reports SQLite's error codes and the operating system ``errno``; both are mapped here
to one catalogue error with a message saying what happened and what to do:

- the disk is full (``SQLITE_FULL``, ``ENOSPC``, ``EDQUOT``), or the process's file size limit
  (``ulimit -f``, ``EFBIG``) stops a file from growing: 1104 ``filesystem full``;
- the directory or file cannot be written (``SQLITE_READONLY``, ``EROFS``, ``EACCES``): 1004;
- another process holds the store's lock too long (``SQLITE_BUSY``): 18 ``lock timeout``;
- an I/O error (``SQLITE_IOERR_*``, also while reading: a short read of a file cut under the
  running engine): 1104 when the disk or the file size limit is found exhausted, else 1305
  ``storage engine I/O error`` (what ArangoDB answers for its storage engine's I/O errors);
- a damaged file found while serving (``SQLITE_CORRUPT``, ``SQLITE_NOTADB``): 1100
  ``corrupted datafile``, as ArangoDB answers for a corruption its storage engine detects;
- anything else: 1201.

A write that fails is rolled back by SQLite and a read changes nothing, so every message can say
that nothing was written.
"""

from __future__ import annotations

import errno
import os
import resource
import sqlite3

from arangolite.errors import (
    CORRUPTED_DATAFILE,
    DATADIR_INVALID,
    FILESYSTEM_FULL,
    LOCK_TIMEOUT,
    READ_ONLY,
    STORAGE_IO_ERROR,
    SYS_ERROR,
    ArangoError,
)

__all__ = ["os_failure", "sqlite_failure"]

_FULL, _READONLY, _BUSY, _LOCKED, _IOERR, _CORRUPT, _NOTADB = 13, 8, 5, 6, 10, 11, 26
_READ_ERRORS = {10 | (1 << 8), 10 | (2 << 8)}  # SQLITE_IOERR_READ, SQLITE_IOERR_SHORT_READ
_LOW_SPACE = 1 << 20  # an I/O error with less than this left on the disk is a full disk
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


def sqlite_failure(exc: sqlite3.Error, path: str, busy_timeout: float = 30.0) -> ArangoError:
    """The ArangoDB error for a failed SQLite call on the store in directory ``path``."""
    code = getattr(exc, "sqlite_errorcode", None)
    name = getattr(exc, "sqlite_errorname", None) or type(exc).__name__
    primary = -1 if code is None else code & 0xFF
    text = str(exc)
    if primary == _FULL or (code is None and "full" in text):
        return _full(path)
    if primary == _READONLY or (code is None and ("readonly" in text or "read-only" in text)):
        return _read_only(path, text)
    if primary in (_BUSY, _LOCKED) or (code is None and ("locked" in text or "busy" in text)):
        why = f"{path} stayed locked by another process for {busy_timeout:.0f} s; retry"
        return ArangoError(LOCK_TIMEOUT, why)
    if primary == _IOERR:
        doing = "reading" if code in _READ_ERRORS else "reading or writing"
        return _exhausted(path) or ArangoError(
            STORAGE_IO_ERROR,
            f"{doing} {path} failed: {text} ({name}); nothing was written: check the disk and "
            "the system log (dmesg), then retry",
        )
    if primary in (_CORRUPT, _NOTADB) or (code is None and "malformed" in text):
        return ArangoError(
            CORRUPTED_DATAFILE,
            f"{path} is damaged: {text} ({name}); nothing was written: stop the server, check "
            "the store (sqlite3 arangolite.sqlite 'PRAGMA integrity_check') and restore a backup",
        )
    return ArangoError(DATADIR_INVALID, f"{path}: damaged store ({text})")


def os_failure(exc: OSError, path: str) -> ArangoError:
    """The ArangoDB error for an operating system error on a file of directory ``path``."""
    if exc.errno in _FULL_ERRNOS:
        return _exhausted(path) or _full(path)
    if exc.errno in _READ_ONLY_ERRNOS:
        return _read_only(path, exc.strerror or str(exc))
    return ArangoError(
        SYS_ERROR, f"{path}: {exc.strerror or exc}; nothing was written: check the disk, retry"
    )


def _full(path: str) -> ArangoError:
    return _exhausted(path) or ArangoError(
        FILESYSTEM_FULL, f"the disk holding {path} is full; nothing was written: free space, retry"
    )


def _read_only(path: str, text: str) -> ArangoError:
    why = f"{path} cannot be written ({text}); nothing was written: check permissions"
    return ArangoError(READ_ONLY, why)


def _exhausted(path: str) -> ArangoError | None:
    """1104 naming what ran out (the disk or the file size limit), or None when neither did."""
    try:
        stat = os.statvfs(path)
    except OSError:
        return None
    left = stat.f_bavail * stat.f_frsize
    if left < _LOW_SPACE:
        return ArangoError(
            FILESYSTEM_FULL,
            f"the disk holding {path} is full ({left} bytes left); nothing was written: "
            "free space, then retry",
        )
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit != resource.RLIM_INFINITY and _largest_file(path) + _LOW_SPACE >= limit:
        return ArangoError(
            FILESYSTEM_FULL,
            f"a file in {path} reached this process's file size limit (ulimit -f, {limit} bytes);"
            " nothing was written: raise the limit and restart, then retry",
        )
    return None


def _largest_file(path: str) -> int:
    try:
        with os.scandir(path) as entries:
            return max((e.stat().st_size for e in entries if e.is_file()), default=0)
    except OSError:
        return 0
