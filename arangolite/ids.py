"""Ids a process hands out to clients, tagged with the worker that holds their state.

``arangolite serve --workers N`` runs N processes on one port; a cursor, stream transaction,
async job or running query lives in the process that made it. Each id such a process hands out
is ``n * N + index`` (a numeric string, as ArangoDB's), so any worker reads the owner of an id
with :func:`owner` and forwards the request there. With one process (N = 1, index 0) ids are
the plain numbers they always were.
"""

from __future__ import annotations

import itertools
import time

__all__ = ["configure", "count", "index", "local", "new", "owner"]

_slot = (0, 1)  # (index, count) of this process


def _numbers() -> itertools.count[int]:
    """Numbers for :func:`new`, from the clock (milliseconds x 1000): a process started later,
    a worker started again included, does not hand out the ids of one that ran before."""
    return itertools.count(time.time_ns() // 1_000_000 * 1000)


_next = _numbers()


def configure(index: int, count: int) -> None:
    """Make this process worker ``index`` of ``count`` (called once, as a worker starts)."""
    if count < 1 or not 0 <= index < count:
        raise ValueError(f"worker {index} of {count}")
    global _slot, _next
    _slot = (index, count)
    _next = _numbers()  # a forked worker must not continue its parent's (or predecessor's) count


def index() -> int:
    """This process's worker index (0 without workers)."""
    return _slot[0]


def count() -> int:
    """How many workers serve the port (1 without workers)."""
    return _slot[1]


def local(n: int) -> str:
    """The id for this process's ``n``-th thing (``n`` unique within the process)."""
    idx, total = _slot
    return str(n * total + idx)


def owner(text: str | None) -> int | None:
    """The worker holding the state behind id ``text``; None when it is not a numeric id."""
    if not text or not text.isdigit() or len(text) > 40:
        return None
    return int(text) % _slot[1]


def new() -> str:
    """A fresh id for a transaction or cursor of this process. These ids live only as long as
    the process (nothing stored names them), so they need no durable tick: reads never write."""
    return local(next(_next))
