"""DTOs for advisory locks."""

from __future__ import annotations

from nomarr.helpers.dto.base import ArangoDocument

__all__ = ["Lock"]


class Lock(ArangoDocument):
    """A held lock.

    Attributes:
        target: what is locked (any string; the ``_key`` is a digest of it).
        holder: who holds it.
        acquired_at_ms: when the current holder took it, in milliseconds.
        expires_at: unix time in seconds after which it may be taken over (TTL field).
    """

    target: str
    holder: str
    acquired_at_ms: int
    expires_at: int
