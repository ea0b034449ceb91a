"""The record of scan runs: each scan is recorded from start to finish, old records pruned.

Policy lives here, facts in persistence: what counts are kept, how a run that raised is marked,
and how long records are kept (:data:`SCAN_RUN_RETENTION_DAYS`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from nomarr.helpers.dto import ScanOutcome
from nomarr.helpers.time_helper import MS_PER_DAY, now_ms
from nomarr.persistence import Database

__all__ = ["SCAN_RUN_RETENTION_DAYS", "prune_scan_runs", "recorded_scan"]

SCAN_RUN_RETENTION_DAYS = 30

_log = logging.getLogger(__name__)

Counts = Callable[[], Mapping[str, int]]
Problems = Sequence[Mapping[str, str]]
Report = Callable[[Counts, Problems], None]


@contextmanager
def recorded_scan(db: Database, library_key: str) -> Iterator[Report]:
    """Record a scan run around the ``with`` block; the block reports its counts and folder problems.

    ::

        with recorded_scan(db, key) as report:
            ...
            report(lambda: {"found": 10, "new": 2}, [{"path": "Locked", "reason": "permission denied"}])

    The run is finished ``ok`` with those counts and problems, ``interrupted`` on Ctrl-C, else
    ``failed`` with the error. A failure to record never hides the scan's own error. Then
    records older than :data:`SCAN_RUN_RETENTION_DAYS` are pruned.
    """
    run = db.scan_runs.start(library_key)
    reported: list[tuple[Counts, Problems]] = []

    def report(counts: Counts, problems: Problems = ()) -> None:
        reported.append((counts, problems))

    try:
        yield report
    except BaseException as exc:
        outcome = ScanOutcome.INTERRUPTED if isinstance(exc, KeyboardInterrupt) else ScanOutcome.FAILED
        _finish_quietly(db, run.key_, outcome, reported, f"{type(exc).__name__}: {exc}")
        raise
    counts, problems = reported[-1] if reported else (dict, ())
    db.scan_runs.finish(run.key_, ScanOutcome.OK, counts(), problems=problems)
    prune_scan_runs(db)


def prune_scan_runs(db: Database, days: float = SCAN_RUN_RETENTION_DAYS) -> int:
    """Delete scan-run records finished more than ``days`` ago; return how many."""
    return db.scan_runs.remove_finished_before(now_ms() - int(days * MS_PER_DAY))


def _finish_quietly(db: Database, key: str, outcome: ScanOutcome, reported: list[tuple[Counts, Problems]], error: str) -> None:
    try:
        counts, problems = reported[-1] if reported else (dict, ())
        db.scan_runs.finish(key, outcome, counts(), error, problems)
    except Exception:  # the scan's own error is what the caller must see
        _log.warning("could not record the end of scan run %s", key, exc_info=True)
