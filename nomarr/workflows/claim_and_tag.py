"""One claim-and-tag step of a worker, and the claim-expiry policy.

A worker claims unclaimed pending files, re-reads them *under the claim* (a file another worker
finished between our read and our claim is no longer pending and is skipped), tags each one in
its own unit of work (tags replaced and status set together), and releases its claims.
How old a claim must be before it counts as abandoned is decided here
(:data:`CLAIM_MAX_AGE_MS`), not in persistence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from nomarr.helpers.dto import FileStatus, LibraryFile, TagValue
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence import Database
from nomarr.persistence.schema import FILE_HAS_TAG, LIBRARY_FILES, TAGS

__all__ = ["CLAIM_MAX_AGE_MS", "StepResult", "Tagger", "claim_and_tag", "release_abandoned_claims"]

CLAIM_MAX_AGE_MS = 10 * 60 * 1000

Tagger = Callable[[LibraryFile], Sequence[TagValue]]
"""Computes a file's tags (the audio analysis lives behind this callable)."""


@dataclass(slots=True)
class StepResult:
    """What one step did.

    Attributes:
        tagged: keys of files tagged.
        failed: keys of files whose tagger raised (status set to ``error``).
        skipped: keys claimed but no longer pending once claimed.
    """

    tagged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def claim_and_tag(
    db: Database, library_key: str, worker_id: str, tagger: Tagger, batch_size: int = 25
) -> StepResult:
    """Claim up to ``batch_size`` pending files of a library, tag them, release the claims."""
    pending = db.library_files.get_pending_files(library_key, batch_size, unclaimed_only=True)
    keys = [claim.file_key for claim in db.worker_claims.try_claim_many([f.key_ for f in pending], worker_id)]
    result = StepResult()
    try:
        for file in db.library_files.get_many(keys):
            if file.status != FileStatus.PENDING:
                result.skipped.append(file.key_)
            elif _tag_one(db, file, tagger):
                result.tagged.append(file.key_)
            else:
                result.failed.append(file.key_)
    finally:
        db.worker_claims.release_many(keys, worker_id)
    return result


def _tag_one(db: Database, file: LibraryFile, tagger: Tagger) -> bool:
    try:
        tags = tagger(file)
    except Exception:
        db.library_files.update_status(file.key_, FileStatus.ERROR)
        return False
    with db.unit_of_work(write=[TAGS, FILE_HAS_TAG, LIBRARY_FILES]) as uow:
        uow.tags.replace_file_tags(file.key_, tags)
        uow.library_files.update_status(file.key_, FileStatus.TAGGED)
    return True


def release_abandoned_claims(db: Database, max_age_ms: int = CLAIM_MAX_AGE_MS, now: int | None = None) -> int:
    """Remove claims older than ``max_age_ms`` (their workers are presumed dead)."""
    current = now_ms() if now is None else now
    return db.worker_claims.remove_older_than(current - max_age_ms)
