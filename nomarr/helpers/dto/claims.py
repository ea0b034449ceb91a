"""DTOs for worker claims on files."""

from __future__ import annotations

from nomarr.helpers.dto.base import ArangoDocument

__all__ = ["WorkerClaim"]


class WorkerClaim(ArangoDocument):
    """A worker's exclusive claim on a file; its ``_key`` is derived from the file's."""

    file_key: str
    worker_id: str
    claimed_at: int
