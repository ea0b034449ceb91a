"""State a server keeps per engine beside the storage (query caches, tracking settings)."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from arangolite.storage.engine import Engine

__all__ = ["PerEngine"]

T = TypeVar("T")


class PerEngine(Generic[T]):
    """One ``T`` per engine, made by ``factory`` on first use and dropped with the engine."""

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._items: weakref.WeakKeyDictionary[Engine, T] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def __call__(self, engine: Engine) -> T:
        item = self._items.get(engine)  # the common case, without the lock (a dict read)
        if item is not None:
            return item
        with self._lock:
            item = self._items.get(engine)
            if item is None:
                item = self._items[engine] = self._factory()
            return item
