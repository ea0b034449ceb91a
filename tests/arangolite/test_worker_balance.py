"""Connections go to the least busy worker (``arangolite serve --workers N``)."""

from __future__ import annotations

import multiprocessing

from arangolite.worker_balance import Balance


def test_the_busier_worker_lets_a_connection_pass() -> None:
    counts = multiprocessing.RawArray("i", 2)
    counts[1] = 7  # left by a worker that died: a new one starts from none
    first, second = Balance(counts, 0), Balance(counts, 1)
    assert counts[:] == [0, 0]
    assert not first.defer() and not second.defer()  # equal: either may take it
    first.opened()
    assert first.defer() and not second.defer()
    second.opened()
    second.opened()
    assert second.defer() and not first.defer()
    second.closed()
    assert counts[:] == [1, 1] and not second.defer()
