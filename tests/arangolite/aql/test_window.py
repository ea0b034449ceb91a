"""WINDOW frames: rows, value ranges and ISO durations (ArangoDB's documented examples)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError

from arangolite.aql import window
from arangolite.aql.ordering import OFF_LOCK_ROWS

OBSERVATIONS = [
    ("2021-05-25 07:00:00", "st113", 10),
    ("2021-05-25 07:15:00", "st113", 9),
    ("2021-05-25 07:30:00", "st113", 25),
    ("2021-05-25 07:45:00", "st113", 20),
    ("2021-05-25 07:00:00", "xh458", 0),
    ("2021-05-25 07:15:00", "xh458", 10),
    ("2021-05-25 07:30:00", "xh458", 5),
    ("2021-05-25 07:45:00", "xh458", 30),
    ("2021-05-25 08:00:00", "xh458", 25),
]


@pytest.fixture
def observations(db: StandardDatabase) -> StandardDatabase:
    coll = db.create_collection("observations")
    coll.insert_many([{"time": t, "subject": s, "val": v} for t, s, v in OBSERVATIONS])
    return db


def q(db: StandardDatabase, text: str) -> list[Any]:
    return list(db.aql.execute(text))


def test_range_window_orders_rows_by_value_and_takes_the_inclusive_range(
    observations: StandardDatabase,
) -> None:
    rows = q(
        observations,
        "FOR t IN observations WINDOW t.val WITH { preceding: 10, following: 5 } "
        "AGGREGATE s = SUM(t.val), values = PUSH(t.val) RETURN [t.time, t.val, s, values]",
    )
    assert [r[1] for r in rows] == [0, 5, 9, 10, 10, 20, 25, 25, 30]
    assert rows[0][2:] == [5, [0, 5]]
    assert rows[3][0] == "2021-05-25 07:00:00"  # equal values keep their input order
    assert rows[4][0] == "2021-05-25 07:15:00"
    assert rows[5][2:] == [90, [10, 10, 20, 25, 25]]
    assert rows[-1][2:] == [100, [20, 25, 25, 30]]


def test_duration_window_uses_timestamps_and_calendar_offsets(
    observations: StandardDatabase,
) -> None:
    rows = q(
        observations,
        "FOR t IN observations WINDOW DATE_TIMESTAMP(t.time) WITH { preceding: 'PT30M' } "
        "AGGREGATE s = SUM(t.val), n = COUNT(t.val) RETURN [t.time, t.subject, s, n]",
    )
    assert [r[2] for r in rows] == [10, 10, 29, 29, 59, 59, 99, 99, 105]
    assert [r[1] for r in rows[:2]] == ["st113", "xh458"]
    months = q(
        observations,
        "FOR d IN ['2021-01-31', '2021-02-28', '2021-03-01', '2021-04-01'] "
        "WINDOW DATE_TIMESTAMP(d) WITH { following: 'P1M' } AGGREGATE n = COUNT(d) RETURN n",
    )
    assert months == [3, 2, 2, 1]


def test_row_window_running_total(observations: StandardDatabase) -> None:
    rows = q(
        observations,
        "FOR t IN observations SORT t.time WINDOW { preceding: 'unbounded', following: 0 } "
        "AGGREGATE total = SUM(t.val) RETURN total",
    )
    assert rows == [10, 10, 19, 29, 54, 59, 79, 109, 134]


@pytest.mark.parametrize(
    "bounds",
    ["{ preceding: -1 }", "{ preceding: 'soon' }", "{ following: 'PT0.5H' }"],
)
def test_bad_window_bounds_are_rejected(db: StandardDatabase, bounds: str) -> None:
    with pytest.raises(AQLQueryExecuteError, match="WINDOW") as info:
        q(db, f"FOR x IN [1, 2] WINDOW x WITH {bounds} AGGREGATE n = COUNT(x) RETURN n")
    assert info.value.error_code == 10


def test_duration_needs_a_range_value(db: StandardDatabase) -> None:
    with pytest.raises(AQLQueryExecuteError, match="range value") as info:
        q(db, "FOR x IN [1, 2] WINDOW { preceding: 'PT1H' } AGGREGATE n = COUNT(x) RETURN n")
    assert info.value.error_code == 10


def test_a_big_range_window_orders_and_frames_its_rows_inside_off() -> None:
    """Many rows: the sort by range value and the frames run where the query lets the engine
    lock go (``off``), with the same answer as without; a few rows keep the lock."""
    entered: list[int] = []

    @contextlib.contextmanager
    def off() -> Iterator[None]:
        entered.append(1)
        yield

    rows = [((i,), (i * 7919) % 1000, i) for i in range(OFF_LOCK_ROWS + 3)]
    got = window.by_range(list(rows), 2, 1, off)
    assert entered == [1]
    assert got == window.by_range(list(rows), 2, 1)
    ordered, frames = got
    assert [r[1] for r in ordered] == sorted(r[1] for r in rows)
    values = [r[1] for r in ordered]
    for pos in (0, 1, 500, len(values) - 1):
        low, high = frames[pos]
        v = values[pos]
        assert values[low:high] == [x for x in values if v - 2 <= x <= v + 1]
    entered.clear()
    window.by_range(rows[:10], 2, 1, off)
    assert entered == []
