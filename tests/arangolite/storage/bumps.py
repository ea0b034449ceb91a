"""Writers for the snapshot tests: each commit writes the next value to every key, in order.

Two such writers run side by side. A query that holds the engine lock hands it over between its
rows once it has held it a while (``aql/turns.py``), so the two writers' queries may interleave:
then one of them meets a write-write conflict (1200: nothing of it was applied) and runs again,
as an ArangoDB client does. Without conflict detection the interleaved read-modify-write would
lose an update, and the final value would fall short of the number of commits.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError

KEYS = [f"k{i:03d}" for i in range(200)]
# One query, one commit: writes the next value to every key, in KEYS order.
BUMP = (
    "LET n = DOCUMENT(@@c, @first).n + 1 "
    "FOR k IN @keys UPDATE {_key: k, n: n} IN @@c RETURN NEW.n"
)


def bump(db: StandardDatabase, collection: str, commits: int) -> int:
    """Commit :data:`BUMP` ``commits`` times, running a query that lost a conflict again;
    the conflicts met."""
    conflicts = 0
    while commits:
        try:
            db.aql.execute(BUMP, bind_vars={"@c": collection, "first": KEYS[0], "keys": KEYS})
        except AQLQueryExecuteError as exc:
            if exc.error_code != 1200:
                raise
            conflicts += 1
            continue
        commits -= 1
    return conflicts


@contextmanager
def busy_switching() -> Iterator[None]:
    """Threads take turns every 20 us instead of every 5 ms, so readers run in the middle of
    commits far more often."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(2e-5)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def bumping_writers(
    db: StandardDatabase, collection: str, commits: int, failures: list[str], count: int = 2
) -> list[threading.Thread]:
    """``count`` threads (not started) that together commit :data:`BUMP` ``commits`` times; an
    exception of one is reported in ``failures`` (a thread's own would be lost)."""

    def write() -> None:
        try:
            bump(db, collection, commits // count)
        except Exception as exc:
            failures.append(f"writer: {exc!r}")

    return [threading.Thread(target=write) for _ in range(count)]


def run_until_written(
    writers: list[threading.Thread], readers: list[threading.Thread], stop: threading.Event
) -> None:
    """Run readers beside writers until the writers are done, then stop the readers."""
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    for thread in readers:
        thread.join()
