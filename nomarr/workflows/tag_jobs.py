"""Settle ``tag_files`` jobs: a job is done once none of its files is still pending.

Scans queue one job per batch of new or changed files; workers tag files, not jobs (claims
are per file, so any number of workers share one job). Settling marks a finished job ``done``
with what became of its files, so the queue shows what is still outstanding.
"""

from __future__ import annotations

from collections import Counter

from nomarr.helpers.dto import FileStatus, JobStatus
from nomarr.persistence import Database
from nomarr.workflows.scan import TAG_JOB_TYPE

__all__ = ["settle_tag_jobs"]

_PAGE = 100


def settle_tag_jobs(db: Database) -> int:
    """Complete every pending ``tag_files`` job whose files are all processed; return how many."""
    settled = 0
    for job in db.queue.iter_jobs(JobStatus.PENDING, TAG_JOB_TYPE, batch_size=_PAGE):  # keyset: completing jobs as we go skips none
        keys = list(job.payload.get("file_keys", []))
        states = Counter(f.status for f in db.library_files.get_many(keys))
        if states[FileStatus.PENDING]:
            continue
        db.queue.complete(job.key_, {**states, "gone": len(keys) - sum(states.values())})
        settled += 1
    return settled
