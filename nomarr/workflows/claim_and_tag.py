"""One claim-and-tag step of a worker, and the claim-expiry policy.

A worker claims unclaimed pending files, re-reads them *under the claim* (a file another worker
finished between our read and our claim is no longer pending and is skipped), tags each one in
its own unit of work (tags replaced and status set together), and releases its claims.
How old a claim must be before it counts as abandoned is decided here
(:data:`CLAIM_MAX_AGE_MS`), not in persistence.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from nomarr.helpers.dto import FileStatus, LibraryFile, TagValue
from nomarr.helpers.errors import ConflictError
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence import Database
from nomarr.persistence.schema import FILE_HAS_TAG, LIBRARY_FILES, TAGS, WORKER_CLAIMS

__all__ = ["CLAIM_MAX_AGE_MS", "StepResult", "Tagger", "claim_and_tag", "release_abandoned_claims"]

CLAIM_MAX_AGE_MS = 10 * 60 * 1000
WRITE_ATTEMPTS = 6
"""Tries of a file's tag write when concurrent workers conflict on a shared tag document."""

Tagger = Callable[[LibraryFile], Sequence[TagValue]]
"""Computes a file's tags (the audio analysis lives behind this callable)."""

_log = logging.getLogger(__name__)


class _ClaimLostError(Exception):
    """The worker no longer holds the claim on the file it was about to write (aborts the unit)."""


@dataclass(slots=True)
class StepResult:
    """What one step did.

    Attributes:
        tagged: keys of files tagged.
        failed: keys of files whose tagger raised (status set to ``error``).
        skipped: keys claimed but no longer pending once claimed (or claim lost meanwhile).
        released: keys claimed but given back untouched because the worker was asked to stop.
        candidates: unclaimed pending files seen before claiming (0: nothing left to do).
    """

    tagged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    released: list[str] = field(default_factory=list)
    candidates: int = 0


def claim_and_tag(
    db: Database,
    library_key: str,
    worker_id: str,
    tagger: Tagger,
    batch_size: int = 25,
    *,
    spread: int = 1,
    stop: Callable[[], bool] | None = None,
) -> StepResult:
    """Claim up to ``batch_size`` pending files of a library, tag them, release the claims.

    Args:
        db: the database.
        library_key: the library to work on.
        worker_id: who claims (a key-like id).
        tagger: computes a file's tags; an exception marks the file ``error``.
        batch_size: files claimed at once.
        spread: look at ``batch_size * spread`` pending files and claim a random
            ``batch_size`` of them, so concurrent workers rarely race for the same files.
        stop: checked before each file; once true, the remaining claims are released untouched.
    """
    pending = db.library_files.get_pending_files(library_key, batch_size * max(1, spread), unclaimed_only=True)
    picks = pending if len(pending) <= batch_size else random.sample(pending, batch_size)  # nosec B311
    keys = [claim.file_key for claim in db.worker_claims.try_claim_many([f.key_ for f in picks], worker_id)]
    _log.debug("%s claimed %d of %d pending files", worker_id, len(keys), len(pending))
    result = StepResult(candidates=len(pending))
    try:
        for file in db.library_files.get_many(keys):
            if stop is not None and stop():
                result.released.append(file.key_)
            elif file.status != FileStatus.PENDING:
                result.skipped.append(file.key_)
            else:
                _outcome(result, file.key_, _tag_one(db, file, tagger, worker_id))
    finally:
        db.worker_claims.release_many(keys, worker_id)
    return result


def _outcome(result: StepResult, key: str, outcome: bool | None) -> None:
    target = result.skipped if outcome is None else result.tagged if outcome else result.failed
    target.append(key)


def _tag_one(db: Database, file: LibraryFile, tagger: Tagger, worker_id: str) -> bool | None:
    """Tag one claimed file: True tagged, False failed (status ``error``), None claim lost."""
    try:
        tags = tagger(file)
    except Exception as exc:
        _log.debug("%s: tagging %s failed: %s", worker_id, file.path, exc)
        db.library_files.update_status(file.key_, FileStatus.ERROR)
        return False
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            return _write_tags(db, file, tags, worker_id)
        except ConflictError:  # another worker wrote the same tag document at the same time
            if attempt == WRITE_ATTEMPTS:
                raise
            time.sleep(random.uniform(0, 0.01 * 2**attempt))  # nosec B311 - jitter
    return None  # not reached


def _write_tags(db: Database, file: LibraryFile, tags: Sequence[TagValue], worker_id: str) -> bool | None:
    """Write tags and status in one unit of work, only while the claim is still ours."""
    try:
        with db.unit_of_work(write=[TAGS, FILE_HAS_TAG, LIBRARY_FILES], read=[WORKER_CLAIMS]) as uow:
            claim = uow.worker_claims.get(file.key_)
            if claim is None or claim.worker_id != worker_id:
                raise _ClaimLostError(file.key_)
            uow.tags.replace_file_tags(file.key_, tags)
            uow.library_files.update_status(file.key_, FileStatus.TAGGED)
    except _ClaimLostError:
        _log.warning("%s lost its claim on %s (presumed dead?); left to its new owner", worker_id, file.path)
        return None
    return True


def release_abandoned_claims(db: Database, max_age_ms: int = CLAIM_MAX_AGE_MS, now: int | None = None) -> int:
    """Remove claims older than ``max_age_ms`` (their workers are presumed dead)."""
    current = now_ms() if now is None else now
    return db.worker_claims.remove_older_than(current - max_age_ms)
