"""A writer that runs without pause in another thread while a test's block runs."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def writing(step: Callable[[random.Random], None], seed: int) -> Iterator[list[int]]:
    """Call ``step(rng)`` again and again in another thread for the block (the list yielded
    counts the calls); afterwards fail if a call raised, or none ran."""
    stop, calls, failed = threading.Event(), [0], []

    def loop() -> None:
        rng = random.Random(seed)
        try:
            while not stop.is_set():
                step(rng)
                calls[0] += 1
        except BaseException as exc:  # (raised below, in the test's thread)
            failed.append(exc)

    thread = threading.Thread(target=loop)
    thread.start()
    try:
        yield calls
    finally:
        stop.set()
        thread.join()
    if failed:
        raise failed[0]
    assert calls[0] > 0
