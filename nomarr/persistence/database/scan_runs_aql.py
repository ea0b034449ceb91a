"""Queries on ``scan_runs``: the record of every scan (started, finished, counts, outcome).

Persistence stores and lists the facts; how long to keep them is the caller's decision
(:meth:`ScanRunsOperations.remove_finished_before` takes the cutoff).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from nomarr.helpers.dto import ScanOutcome, ScanRun
from nomarr.helpers.keys import new_key, validate_key
from nomarr.helpers.many import many, many_mapping
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.operations_base import BaseOperations, BindVars
from nomarr.persistence.schema import SCAN_RUNS

__all__ = ["ScanRunsOperations"]

# bind: @@runs, doc -> [ScanRun]
INSERT_RUN = """
INSERT @doc INTO @@runs
RETURN NEW
"""

# bind: @@runs, key, changes -> [ScanRun] or []
FINISH_RUN = """
FOR run IN @@runs
  FILTER run._key == @key
  UPDATE run WITH @changes IN @@runs
  OPTIONS { mergeObjects: false }
  RETURN NEW
"""

# bind: @@runs, library_key (null = every library), limit -> [ScanRun] newest first
RECENT_RUNS = """
FOR run IN @@runs
  FILTER @library_key == null OR run.library_key == @library_key
  SORT run.started_at DESC, run._key DESC
  LIMIT @limit
  RETURN run
"""

# bind: @@runs, cutoff -> [number of runs removed] (finished before cutoff)
REMOVE_RUNS_BEFORE = """
FOR run IN @@runs
  FILTER run.started_at < @cutoff AND run.finished_at != null AND run.finished_at < @cutoff
  REMOVE run IN @@runs
  COLLECT WITH COUNT INTO removed
  RETURN removed
"""


class ScanRunsOperations(BaseOperations):
    """Record scan runs and list the recent ones."""

    group = SCAN_RUNS

    def start(self, library_key: str, started_at: int | None = None) -> ScanRun:
        """Record that a scan of ``library_key`` started; return the running record."""
        doc = {
            "_key": new_key(),
            "library_key": validate_key(library_key, "library_key"),
            "started_at": now_ms() if started_at is None else int(started_at),
            "finished_at": None,
            "outcome": ScanOutcome.RUNNING.value,
            "counts": {},
            "error": None,
        }
        bind: BindVars = {"@runs": SCAN_RUNS, "doc": doc}
        row = self._first(lambda db: db.aql.execute(INSERT_RUN, bind_vars=bind), "start", idempotent=False)
        return ScanRun.model_validate(row)

    def finish(
        self, key: str, outcome: ScanOutcome, counts: Mapping[str, int], error: str | None = None,
        problems: Sequence[Mapping[str, str]] = (),
    ) -> ScanRun:
        """Record how the run ``key`` ended, with its counts and folder problems; return the record.

        ``problems``: ``{"path", "reason"}`` of each folder the scan could not read.

        Raises:
            DocumentNotFoundError: no such run.
        """
        numbers = {str(k): int(v) for k, v in many_mapping(counts, "scan_runs.finish(counts)").items()}
        folders = [
            {"path": str(p["path"]), "reason": str(p["reason"])} for p in many(problems, "scan_runs.finish(problems)")
        ]
        changes = {
            "outcome": ScanOutcome(outcome).value,
            "counts": numbers,
            "error": error,
            "problems": folders,
            "finished_at": now_ms(),
        }
        bind: BindVars = {"@runs": SCAN_RUNS, "key": validate_key(key), "changes": changes}
        row = self._first(lambda db: db.aql.execute(FINISH_RUN, bind_vars=bind), "finish", idempotent=True)
        return ScanRun.model_validate(self._required(row, "finish", key))

    def recent(self, limit: int = 10, library_key: str | None = None) -> list[ScanRun]:
        """Return the latest ``limit`` runs, newest first (of one library, when given)."""
        bind: BindVars = {
            "@runs": SCAN_RUNS,
            "library_key": None if library_key is None else validate_key(library_key, "library_key"),
            "limit": int(limit),
        }
        rows = self._rows(lambda db: db.aql.execute(RECENT_RUNS, bind_vars=bind), "recent", idempotent=True)
        return [ScanRun.model_validate(row) for row in rows]

    def remove_finished_before(self, cutoff_ms: int) -> int:
        """Delete runs that finished before ``cutoff_ms``; return how many were removed.

        Runs still marked running are kept whatever their age (a caller may show them as
        interrupted).
        """
        bind: BindVars = {"@runs": SCAN_RUNS, "cutoff": int(cutoff_ms)}
        row = self._first(
            lambda db: db.aql.execute(REMOVE_RUNS_BEFORE, bind_vars=bind), "remove_finished_before", idempotent=True
        )
        return int(row or 0)
