"""Queries on ``locks``: advisory locks with an expiry, one holder per target.

``expires_at`` is unix time in seconds and carries a TTL index, so the server also removes
expired locks on its own. A lock whose ``expires_at`` has passed can be taken over by
:meth:`LocksOperations.acquire` before the TTL sweep runs.
"""

from __future__ import annotations

from nomarr.helpers.dto import Lock
from nomarr.helpers.errors import ConflictError, DuplicateKeyError
from nomarr.helpers.keys import content_key, validate_key
from nomarr.helpers.time_helper import now_ms, now_s
from nomarr.persistence.operations_base import BaseOperations, BindVars
from nomarr.persistence.schema import LOCKS

__all__ = ["LocksOperations"]

# bind: @@locks, key, target, holder, now_s, now_ms, expires_at -> [Lock] as stored afterwards
ACQUIRE_LOCK = """
UPSERT { _key: @key }
INSERT {
  _key: @key, target: @target, holder: @holder, acquired_at_ms: @now_ms, expires_at: @expires_at
}
UPDATE (OLD.holder == @holder OR OLD.expires_at <= @now_s)
  ? { holder: @holder, acquired_at_ms: @now_ms, expires_at: @expires_at }
  : {}
IN @@locks
RETURN NEW
"""

# bind: @@locks, key, holder -> [number released]
RELEASE_LOCK = """
FOR lock IN @@locks
  FILTER lock._key == @key AND lock.holder == @holder
  REMOVE lock IN @@locks
  COLLECT WITH COUNT INTO released
  RETURN released
"""

# bind: @@locks, key -> [Lock] or []
GET_LOCK = """
FOR lock IN @@locks
  FILTER lock._key == @key
  RETURN lock
"""


class LocksOperations(BaseOperations):
    """Acquire, inspect and release advisory locks."""

    group = LOCKS

    def acquire(self, target: str, holder: str, ttl_s: int, now: int | None = None) -> Lock | None:
        """Take the lock on ``target`` for ``ttl_s`` seconds; None when someone else holds it.

        Re-acquiring a lock one already holds extends it.

        Args:
            target: what to lock (any string).
            holder: who takes it (a key-like id).
            ttl_s: seconds until the lock expires.
            now: current unix time in seconds (defaults to the wall clock).
        """
        at = now_s() if now is None else int(now)
        bind: BindVars = {
            "@locks": LOCKS,
            "key": content_key("lock", target),
            "target": target,
            "holder": validate_key(holder, "holder"),
            "now_s": at,  # nomarr: ignore[NMR011] taking over an expired lock must be atomic, so the expiry test is in the upsert; the ttl is the caller's
            "now_ms": now_ms(),
            "expires_at": at + int(ttl_s),
        }
        try:
            row = self._first(
                lambda db: db.aql.execute(ACQUIRE_LOCK, bind_vars=bind), "acquire", idempotent=True
            )
        except (ConflictError, DuplicateKeyError):
            return None  # a concurrent acquirer won the race
        return Lock.model_validate(row) if row["holder"] == holder else None

    def release(self, target: str, holder: str) -> bool:
        """Release the lock on ``target`` if ``holder`` holds it; return whether it did."""
        bind: BindVars = {"@locks": LOCKS, "key": content_key("lock", target), "holder": holder}
        row = self._first(lambda db: db.aql.execute(RELEASE_LOCK, bind_vars=bind), "release", idempotent=True)
        return bool(row)

    def find(self, target: str) -> Lock | None:
        """Return the lock document on ``target`` (possibly expired), or None."""
        bind: BindVars = {"@locks": LOCKS, "key": content_key("lock", target)}
        row = self._first(lambda db: db.aql.execute(GET_LOCK, bind_vars=bind), "find", idempotent=True)
        return None if row is None else Lock.model_validate(row)
