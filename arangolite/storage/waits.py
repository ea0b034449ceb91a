"""How the storage layer waits inside a running query without being cut in the middle.

A transaction waiting for a key lock (``lockTimeout``) waits on the engine's ``released``
condition, which lets the engine lock go and takes it back. A query's kill or ``maxRuntime``
interrupts its thread by raising an exception at its next Python bytecode (``aql.limits``); one
landing inside that wait, before the engine lock is taken back, would leave the thread believing
it holds a lock it let go. The query layer therefore registers here the span it must not
interrupt (``aql.limits.uninterrupted``, which raises the kill at its end instead), and the wait
runs in short slices inside it, so a kill still stops a waiting query within a slice.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

__all__ = ["SLICE", "guarded", "set_guard"]

SLICE = 0.05  # seconds a transaction waits before it looks again (and a kill is seen)

_guard: list[Callable[[], AbstractContextManager[object]]] = [nullcontext]


def set_guard(factory: Callable[[], AbstractContextManager[object]]) -> None:
    """The span a running query must not be interrupted in (set by ``aql.limits``)."""
    _guard[0] = factory


def guarded() -> AbstractContextManager[object]:
    """A span the running query of this thread (if any) is not interrupted in."""
    return _guard[0]()
