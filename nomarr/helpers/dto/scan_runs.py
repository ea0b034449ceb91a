"""DTOs for the record of scan runs (one document per scan of a library)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from nomarr.helpers.dto.base import ArangoDocument

__all__ = ["ScanOutcome", "ScanRun"]


class ScanOutcome(StrEnum):
    """How a scan run ended (``running`` until it does)."""

    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class ScanRun(ArangoDocument):
    """One scan of a library.

    Attributes:
        library_key: the library scanned.
        started_at: start time, ms.
        finished_at: end time, ms; None while running (or when the process died).
        outcome: a :class:`ScanOutcome` value.
        counts: numbers the scan reported (found, new, modified, unchanged, removed, ...).
        error: what went wrong, for a failed run.
        problems: folders the scan could not read, ``{"path", "reason"}`` each (paths relative
            to the library root); None in records written before scans recorded them.
    """

    library_key: str
    started_at: int
    finished_at: int | None = None
    outcome: str
    counts: dict[str, int] = Field(default_factory=dict)
    error: str | None = None
    problems: list[dict[str, str]] | None = None
