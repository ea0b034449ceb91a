"""LocksOperations, executed on the backend under test.

Times are real unix seconds: the TTL index would remove a lock expiring in 1970 at once.
"""

from __future__ import annotations

from nomarr.helpers.time_helper import now_s
from nomarr.persistence import Database


def test_one_holder_per_target(nomarr_db: Database) -> None:
    t0 = now_s()
    lock = nomarr_db.locks.acquire("library:scan/1", "a", ttl_s=60, now=t0)
    assert lock is not None and (lock.holder, lock.expires_at, lock.target) == ("a", t0 + 60, "library:scan/1")
    assert nomarr_db.locks.acquire("library:scan/1", "b", ttl_s=60, now=t0 + 1) is None
    assert nomarr_db.locks.acquire("other", "b", ttl_s=60, now=t0 + 1) is not None
    extended = nomarr_db.locks.acquire("library:scan/1", "a", ttl_s=60, now=t0 + 30)
    assert extended is not None and extended.expires_at == t0 + 90
    assert nomarr_db.locks.find("library:scan/1").holder == "a"  # type: ignore[union-attr]


def test_expired_lock_can_be_taken_over(nomarr_db: Database) -> None:
    t0 = now_s()
    nomarr_db.locks.acquire("t", "a", ttl_s=600, now=t0)
    assert nomarr_db.locks.acquire("t", "b", ttl_s=600, now=t0 + 599) is None
    taken = nomarr_db.locks.acquire("t", "b", ttl_s=600, now=t0 + 600)
    assert taken is not None and taken.holder == "b"


def test_release_only_by_holder(nomarr_db: Database) -> None:
    nomarr_db.locks.acquire("t", "a", ttl_s=10)
    assert not nomarr_db.locks.release("t", "b")
    assert nomarr_db.locks.release("t", "a")
    assert nomarr_db.locks.find("t") is None
    assert nomarr_db.locks.acquire("t", "b", ttl_s=10) is not None
