"""Is a process that reported a heartbeat provably gone? (Only answerable on its own host.)

A worker records its host name, pid and the kernel's start time of its process. On the same
host, the worker is *provably dead* when no process has that pid, or the process with that pid
started at another time (the pid was reused). On another host nothing can be proved: the
caller falls back to heartbeat silence.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping

__all__ = ["process_identity", "provably_gone"]


def _start_ticks(pid: int) -> int | None:
    """Return the start time of ``pid`` in clock ticks since boot (Linux), or None when unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return int(fields[19])  # field 22 of stat(5); the first two fields precede ")"
    except (OSError, IndexError, ValueError):
        return None


def process_identity() -> dict[str, object]:
    """Return what identifies this process for :func:`provably_gone`: host, pid, start time."""
    pid = os.getpid()
    return {"host": socket.gethostname(), "pid": pid, "started": _start_ticks(pid)}


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def provably_gone(info: Mapping[str, object]) -> bool:
    """Return True when the process described by ``info`` is known to have exited."""
    pid = info.get("pid")
    if info.get("host") != socket.gethostname() or not isinstance(pid, int) or pid <= 0:
        return False
    if not _running(pid):
        return True
    started = info.get("started")
    now = _start_ticks(pid)
    return isinstance(started, int) and now is not None and now != started
