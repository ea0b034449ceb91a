"""The engine's ticks: an increasing number for ids and traditional keys, unique among the
processes that share a data directory.

Each process hands out ticks from a block it reserved in the store (``Store.reserve_ticks``).
A reservation is a store write, so it waits for the store's one writer; handing out a tick
happens under the engine lock (a key made for an insert, an id for a new collection), and a
commit writing its rows with that lock let go can hold the store for seconds. So the next block
is reserved ahead, once half of the current one is used, and only when the store is free at
that moment (``wait=False``: never waiting for this process's store; another process's write
is waited for as by any store write); when the current block runs out the reserved one is taken
without a store write. Only a process that uses half a block (32,768 ticks) while its store stays
busy the whole time waits at the end of the block, as every reservation did before.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable

__all__ = ["Reserve", "Ticks"]

# ``reserve(at_least, wait)``: a block ``[low, high)`` with ``low >= at_least`` that no other
# process hands out, or None when ``wait`` is false and the store is busy
Reserve = Callable[[int, bool], "tuple[int, int] | None"]


class Ticks:
    """Hands out ticks from reserved blocks (``reserve`` None: in memory, no reservation)."""

    def __init__(self, reserve: Reserve | None = None, start: int = 101) -> None:
        self._reserve = reserve
        self._count = itertools.count(start)
        self._limit = 0 if reserve is not None else 1 << 62
        self._half = 0  # from here on the next block is reserved ahead
        self._next: tuple[int, int] | None = None  # reserved ahead, not yet used
        self._lock = threading.Lock()

    def __call__(self) -> int:
        with self._lock:
            value = next(self._count)
            if value >= self._limit:
                assert self._reserve is not None
                block = self._next or self._reserve(value, True)
                assert block is not None
                self._next = None
                low, self._limit = block
                self._half = low + (self._limit - low) // 2
                self._count = itertools.count(low + 1)
                return low
            if value >= self._half and self._next is None and self._reserve is not None:
                self._next = self._reserve(self._limit, False)
            return value
