"""Run nomarr's Operations code, written once, from an event loop (the greenlet bridge).

Every Operations method is plain code: build bind variables, hand one named query to its runner,
turn the rows into DTOs. :func:`run_sync` runs such a method in a greenlet; when the method's
runner needs an answer from python-arango-async it calls :func:`await_only`, which hands the
awaitable to the event loop (switching back to :func:`run_sync`'s caller), awaits it there and
switches back with the result. So the async API executes the very same method bodies and query
constants as the sync API, and only the runner differs. SQLAlchemy's asyncio layer uses the
same technique to share its ORM between sync and async drivers.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import greenlet

__all__ = ["await_only", "run_sync"]

T = TypeVar("T")


class _Bridged(greenlet.greenlet):  # type: ignore[misc]  # greenlet's stub types the base loosely
    """A greenlet running sync code for :func:`run_sync`; ``driver`` awaits on its behalf."""

    def __init__(self, fn: Callable[..., Any], driver: greenlet.greenlet) -> None:
        super().__init__(fn, driver)
        self.driver = driver


def await_only(awaitable: Awaitable[T]) -> T:
    """Return the result of ``awaitable``, awaited by the event loop that called :func:`run_sync`.

    Raises:
        RuntimeError: not called (indirectly) from :func:`run_sync`, e.g. an async-backed runner
            used outside ``AsyncDatabase``; the awaitable is closed, not leaked.
    """
    current = greenlet.getcurrent()
    if not isinstance(current, _Bridged):
        close = getattr(awaitable, "close", None)
        if close is not None:
            close()
        raise RuntimeError("an AsyncDatabase query ran outside its event loop: await the async method instead")
    result: T = current.driver.switch(awaitable)
    return result


async def run_sync(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``fn(*args, **kwargs)`` to its end, awaiting whatever it passes to :func:`await_only`."""
    bridged = _Bridged(fn, greenlet.getcurrent())
    pending = bridged.switch(*args, **kwargs)
    while not bridged.dead:
        try:
            value = await pending
        except BaseException:
            pending = bridged.throw(*sys.exc_info())
        else:
            pending = bridged.switch(value)
    result: T = pending
    return result
