"""arangolite's tests exercise the lock-free read paths directly: a read-only query never waits
for the engine lock first (``router.LOCK_PATIENCE`` 0), so a free lock does not send it to the
locked path. ``test_lock_patience.py`` tests the wait itself."""

from __future__ import annotations

import pytest

from arangolite.rest import router


@pytest.fixture(autouse=True)
def _queries_never_wait_for_the_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(router, "LOCK_PATIENCE", 0.0)
