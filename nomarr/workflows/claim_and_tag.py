"""One claim-and-tag step of a worker, and the claim-expiry policy.

A worker claims unclaimed pending files, re-reads them *under the claim* (a file another worker
finished between our read and our claim is no longer pending and is skipped), computes the tags
of the whole batch, then writes the batch in one unit of work: it gives back the claims it still
holds and, for exactly those files, replaces their tags and sets their status, with one
set-based query per collection. A file whose claim was lost meanwhile is left untouched.
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
"""Tries of a batch's write when concurrent workers conflict on a shared tag document."""

Tagger = Callable[[LibraryFile], Sequence[TagValue]]
"""Computes a file's tags (the audio analysis lives behind this callable)."""

_log = logging.getLogger(__name__)


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
    known_tags: set[tuple[str, str]] | None = None,
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
        stop: checked before each file; once true, the remaining claims are released untouched
            (the files already read are still written).
        known_tags: ``(name, value)`` of tags this worker already stored; it is updated. Only
            new tags are stored ahead of the unit of work (one query less per batch once a
            library's vocabulary is known). A tag removed meanwhile is stored again by the unit
            of work itself, so a stale entry costs at most a retried conflict.
    """
    pending = db.library_files.get_pending_files(library_key, batch_size * max(1, spread), unclaimed_only=True)
    picks = pending if len(pending) <= batch_size else random.sample(pending, batch_size)  # nosec B311
    keys = [claim.file_key for claim in db.worker_claims.try_claim_many([f.key_ for f in picks], worker_id)]
    _log.debug("%s claimed %d of %d pending files", worker_id, len(keys), len(pending))
    result = StepResult(candidates=len(pending))
    released = False
    try:
        batch = _read_batch(db, keys, tagger, worker_id, result, stop)
        released = _write_batch(db, keys, batch, worker_id, result, set() if known_tags is None else known_tags)
    finally:
        if not released:
            db.worker_claims.release_many(keys, worker_id)
    return result


def _read_batch(
    db: Database,
    keys: Sequence[str],
    tagger: Tagger,
    worker_id: str,
    result: StepResult,
    stop: Callable[[], bool] | None,
) -> dict[str, Sequence[TagValue] | _Failed]:
    """Compute the tags of the claimed files still pending: ``{key: tags}``, None when unreadable."""
    batch: dict[str, Sequence[TagValue] | _Failed] = {}
    for file in db.library_files.get_many(keys):
        if stop is not None and stop():
            result.released.append(file.key_)
        elif file.status != FileStatus.PENDING:
            result.skipped.append(file.key_)
        else:
            batch[file.key_] = _tags_of(file, tagger, worker_id)
    return batch


class _Failed(str):
    """Why tagging a file failed (stored as the file's ``problem``)."""


def _tags_of(file: LibraryFile, tagger: Tagger, worker_id: str) -> Sequence[TagValue] | _Failed:
    try:
        return tagger(file)
    except Exception as exc:
        _log.debug("%s: tagging %s failed: %s", worker_id, file.path, exc)
        detail = getattr(exc, "detail", None) or str(exc) or type(exc).__name__
        return _Failed(detail.rsplit(": ", 1)[-1] if ": " in detail else detail)


def _write_batch(
    db: Database,
    keys: Sequence[str],
    batch: dict[str, Sequence[TagValue] | _Failed],
    worker_id: str,
    result: StepResult,
    known_tags: set[tuple[str, str]],
) -> bool:
    """Write the batch and give back every claim, retrying on conflicts; return True once done."""
    # Shared tag documents first, outside the unit: concurrent units then only link to them.
    new = {(tag.name, tag.value): tag for tags in batch.values() if not isinstance(tags, _Failed) for tag in tags}
    new = {pair: tag for pair, tag in new.items() if pair not in known_tags}
    if new:
        db.tags.add_tags(list(new.values()))
        known_tags.update(new)
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            held = _write_held(db, keys, batch, worker_id)
        except ConflictError:  # another worker wrote the same tag document at the same time
            if attempt == WRITE_ATTEMPTS:
                raise
            time.sleep(random.uniform(0, 0.01 * 2**attempt))  # nosec B311 - jitter
            continue
        for key, tags in batch.items():
            if key not in held:
                _log.warning("%s lost its claim on %s (presumed dead?); left to its new owner", worker_id, key)
                result.skipped.append(key)
            else:
                (result.failed if isinstance(tags, _Failed) else result.tagged).append(key)
        return True
    return False  # not reached


def _write_held(
    db: Database, keys: Sequence[str], batch: dict[str, Sequence[TagValue] | _Failed], worker_id: str
) -> set[str]:
    """One unit of work: release our claims; for the files still held, write tags and status."""
    with db.unit_of_work(write=[WORKER_CLAIMS, TAGS, FILE_HAS_TAG, LIBRARY_FILES]) as uow:
        held = set(uow.worker_claims.release_held(keys, worker_id))
        tags = {key: value for key, value in batch.items() if key in held and not isinstance(value, _Failed)}
        if tags:
            uow.tags.replace_tags_of_files(tags)
            uow.library_files.update_statuses(dict.fromkeys(tags, FileStatus.TAGGED))
        failed = {key: (FileStatus.ERROR.value, str(value)) for key, value in batch.items() if key in held and isinstance(value, _Failed)}
        uow.file_problems.record(failed)
    return held


def release_abandoned_claims(db: Database, max_age_ms: int = CLAIM_MAX_AGE_MS, now: int | None = None) -> int:
    """Remove claims older than ``max_age_ms`` (their workers are presumed dead)."""
    current = now_ms() if now is None else now
    return db.worker_claims.remove_older_than(current - max_age_ms)
