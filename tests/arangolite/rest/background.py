"""Work run on a thread by the isolation tests (a long step, a slow or writing query), and the
hang guards around waiting for it: a build that breaks what they test fails them instead of
hanging the suite."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

HANG_GUARD = 60.0  # seconds after which a wait is a failure (never reached when all is well)


def in_thread(run: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    """``run()`` on a daemon thread, started; the list gets what it returned or what it raised
    (for the test to check) once it has ended."""
    out: list[Any] = []

    def target() -> None:
        try:
            out.append(run())
        except BaseException as exc:  # reported by the test
            out.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, out


def until(
    ready: Callable[[], Any], thread: threading.Thread | None = None, what: str = "ready"
) -> None:
    """Wait until ``ready()``; a failure if ``thread`` (the work it is waited beside) ends
    first, or after :data:`HANG_GUARD`."""
    deadline = time.monotonic() + HANG_GUARD
    while not ready():
        assert thread is None or thread.is_alive(), f"it ended before {what}"
        assert time.monotonic() < deadline, f"hang guard: never {what}"
        time.sleep(0.002)


def joined(thread: threading.Thread, what: str = "the work") -> None:
    """Wait for ``thread`` to end; a failure after :data:`HANG_GUARD`."""
    thread.join(HANG_GUARD)
    assert not thread.is_alive(), f"hang guard: {what} did not end"
