"""How long SQLite's write-ahead log is, read from the headers in the log file.

The store keeps the log file allocated when the log starts over (``journal_size_limit`` of
:mod:`arangolite.storage.durability`), so the file's size tells how far the log once grew, not
how much the current log holds. Each log starts with a 32-byte header holding two salts, and
each frame (24 bytes of header, then one page) repeats them; a log that starts over gets new
salts and overwrites the file from its first frame (https://www.sqlite.org/fileformat.html, "The
Write-Ahead Log"). So the frames of the current log are the run from the start whose salts are
the header's, found by a binary search over the frames' headers.

Only the ``-wal`` file is read, never the ``-shm`` wal-index: closing a descriptor drops every
POSIX lock the process holds on that file, and SQLite locks the wal-index (its connections in
this process would lose their locks; two processes then corrupted a store in
``bench/bench_crash.py``). SQLite takes no lock on the log file (``LogSync`` opens and closes it
too). The answer only decides when to copy the log into the database file; it is never needed
for what a reader sees or for durability, and a log being written meanwhile at most shifts it.
"""

from __future__ import annotations

import os
import struct

__all__ = ["log_bytes"]

_HEADER = struct.Struct(">IIII8s")  # magic, format version, page size, checkpoint seq, salts
_MAGIC = (0x377F0682, 0x377F0683)
_LOG_HEADER = 32
_FRAME_HEADER = 24
_SALTS = 8  # offset of the salts in a frame's header


def log_bytes(db_file: str) -> int | None:
    """Bytes of the write-ahead log of ``db_file`` (0: no frames), or None when there is no log
    file or it is not one."""
    try:
        fd = os.open(db_file + "-wal", os.O_RDONLY)
    except OSError:
        return None
    try:
        head = os.pread(fd, _LOG_HEADER, 0)
        if len(head) < _LOG_HEADER:
            return 0 if not head else None
        magic, _, page, _, salts = _HEADER.unpack_from(head)
        if magic not in _MAGIC or page < 512 or page & (page - 1):
            return None
        frame = page + _FRAME_HEADER
        low, high = 0, (os.fstat(fd).st_size - _LOG_HEADER) // frame
        while low < high:  # frames [0, low) carry the header's salts, [high, ...) do not
            mid = (low + high) // 2
            if os.pread(fd, len(salts), _LOG_HEADER + mid * frame + _SALTS) == salts:
                low = mid + 1
            else:
                high = mid
        return _LOG_HEADER + low * frame if low else 0
    except OSError:
        return None
    finally:
        os.close(fd)
