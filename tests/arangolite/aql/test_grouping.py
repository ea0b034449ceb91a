"""COLLECT over materialised rows: the sort of the groups and the aggregates of a big COLLECT
run where the query lets the engine lock go (``off``), with the same answer as without."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from arangolite.aql import grouping
from arangolite.aql.ordering import OFF_LOCK_ROWS


class _Off:
    """An ``off`` that records whether a step runs inside it."""

    def __init__(self) -> None:
        self.inside = False
        self.entered = 0

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        self.inside, self.entered = True, self.entered + 1
        try:
            yield
        finally:
            self.inside = False


def _rows(n: int) -> list[Any]:
    # group by a value of mixed kinds (order_key order), one aggregate input a row
    return [(((i % 5) if i % 2 else str(i % 5),), None, (i,)) for i in range(n)]


def test_a_big_collects_aggregates_and_group_sort_run_inside_off() -> None:
    off = _Off()
    inside: list[bool] = []

    def aggregate(spec: Any, values: list[Any]) -> Any:
        inside.append(off.inside)
        return sum(values)

    rows = _rows(OFF_LOCK_ROWS + 7)
    got = grouping.collect(list(rows), 1, ("SUM",), aggregate, off=off)
    assert inside and all(inside)
    assert got == grouping.collect(list(rows), 1, ("SUM",), lambda s, v: sum(v))
    assert [g[0][0] for g in got] == [0, 1, 2, 3, 4, "0", "1", "2", "3", "4"]  # AQL order
    assert sum(g[3][0] for g in got) == sum(range(OFF_LOCK_ROWS + 7))


def test_a_small_collect_keeps_the_lock() -> None:
    off = _Off()
    grouping.collect(_rows(40), 1, ("SUM",), lambda s, v: sum(v), off=off)
    assert off.entered == 0


def test_counting_many_values_runs_inside_off_with_the_same_answer() -> None:
    off = _Off()
    native = [i % 7 for i in range(OFF_LOCK_ROWS + 1)]
    assert grouping.count(list(native), 1, off=off) == grouping.count(list(native), 1)
    assert off.entered == 1
    mixed = [i % 7 if i % 2 else [i % 3] for i in range(OFF_LOCK_ROWS + 1)]
    off.entered = 0
    assert grouping.count(list(mixed), 1, off=off) == grouping.count(list(mixed), 1)
    assert off.entered == 1  # the kinds' check; its seven groups are sorted under the lock
    off.entered = 0
    grouping.count(native[:40], 1, off=off)
    assert off.entered == 0
