"""Queries on ``worker_claims``: exactly-once claims of files by workers.

A claim's ``_key`` is derived from the claimed file's key
(:func:`nomarr.helpers.keys.claim_key`), so two workers claiming one file insert the same key and
the primary index lets exactly one insert succeed. How old a claim must be before it is
considered abandoned is the caller's policy: :meth:`WorkerClaimsOperations.remove_older_than`
takes the cutoff.
"""

from __future__ import annotations

from collections.abc import Sequence

from nomarr.helpers.dto import WorkerClaim
from nomarr.helpers.keys import claim_key, validate_key
from nomarr.helpers.many import many
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence.operations_base import BaseOperations, BindVars
from nomarr.persistence.schema import WORKER_CLAIMS

__all__ = ["WorkerClaimsOperations"]

# bind: @@claims, claims: [{_key, file_key, worker_id, claimed_at}]
# -> [WorkerClaim] of the claims inserted (keys already claimed are skipped)
TRY_CLAIM = """
FOR claim IN @claims
  INSERT claim INTO @@claims
  OPTIONS { ignoreErrors: true }
  RETURN NEW
"""

# bind: @@claims, keys, worker_id (null = any holder) -> [number of claims removed]
RELEASE_CLAIMS = """
FOR c IN @@claims
  FILTER c._key IN @keys
  FILTER @worker_id == null OR c.worker_id == @worker_id
  REMOVE c IN @@claims
  COLLECT WITH COUNT INTO removed
  RETURN removed
"""

# bind: @@claims, keys, worker_id -> [file_key] of the claims removed
RELEASE_HELD_CLAIMS = """
FOR c IN @@claims
  FILTER c._key IN @keys AND c.worker_id == @worker_id
  REMOVE c IN @@claims
  RETURN OLD.file_key
"""

# bind: @@claims, cutoff -> [number of claims removed]
# A claim renewed between read and remove fails the revision check (1200) and is retried.
REMOVE_CLAIMS_BEFORE = """
FOR c IN @@claims
  FILTER c.claimed_at < @cutoff
  REMOVE c IN @@claims
  OPTIONS { ignoreRevs: false }
  COLLECT WITH COUNT INTO removed
  RETURN removed
"""

# bind: @@claims, key -> [WorkerClaim] or []
GET_CLAIM = """
FOR c IN @@claims
  FILTER c._key == @key
  RETURN c
"""

# bind: @@claims, worker_id -> [WorkerClaim] oldest first
LIST_WORKER_CLAIMS = """
FOR c IN @@claims
  FILTER c.worker_id == @worker_id
  SORT c.claimed_at, c._key
  RETURN c
"""


class WorkerClaimsOperations(BaseOperations):
    """Claim files for exclusive processing and release them."""

    group = WORKER_CLAIMS

    def try_claim(self, file_key: str, worker_id: str, claimed_at: int | None = None) -> WorkerClaim | None:
        """Claim one file for ``worker_id``; None when another claim holds it."""
        claimed = self.try_claim_many([file_key], worker_id, claimed_at)
        return claimed[0] if claimed else None

    def try_claim_many(
        self, file_keys: Sequence[str], worker_id: str, claimed_at: int | None = None
    ) -> list[WorkerClaim]:
        """Claim every file of ``file_keys`` that nobody holds; return the claims obtained.

        One query for the whole list. Not retried on a lost connection: a retry could not tell
        a claim it made from someone else's. A write-write conflict with a concurrent claimer
        rolls the query back and is retried. (On a cluster, where a multi-document query is not
        atomic across shards, such a conflict can leave part of a batch claimed but unreported;
        those claims age out through :meth:`remove_older_than`.)
        """
        at = now_ms() if claimed_at is None else int(claimed_at)
        validate_key(worker_id, "worker_id")
        claims = [
            {"_key": claim_key(key), "file_key": key, "worker_id": worker_id, "claimed_at": at}
            for key in many(file_keys, "worker_claims.try_claim_many(file_keys)")
        ]
        bind: BindVars = {"@claims": WORKER_CLAIMS, "claims": claims}
        rows = self._rows(
            lambda db: db.aql.execute(TRY_CLAIM, bind_vars=bind), "try_claim", idempotent=False, conflict_safe=True
        )
        return [WorkerClaim.model_validate(row) for row in rows if row is not None]

    def release(self, file_key: str, worker_id: str | None = None) -> bool:
        """Remove the claim on a file (only if ``worker_id`` holds it, when given)."""
        return self.release_many([file_key], worker_id) == 1

    def release_many(self, file_keys: Sequence[str], worker_id: str | None = None) -> int:
        """Remove the claims on several files; return how many were removed."""
        bind: BindVars = {
            "@claims": WORKER_CLAIMS,
            "keys": [claim_key(key) for key in many(file_keys, "worker_claims.release_many(file_keys)")],
            "worker_id": None if worker_id is None else validate_key(worker_id, "worker_id"),
        }
        row = self._first(lambda db: db.aql.execute(RELEASE_CLAIMS, bind_vars=bind), "release", idempotent=True)
        return int(row or 0)

    def release_held(self, file_keys: Sequence[str], worker_id: str) -> list[str]:
        """Remove the claims ``worker_id`` holds on ``file_keys``; return those files' keys.

        Inside a unit of work this both checks and gives back the claims: the keys returned are
        the files the worker still held, and their claims go away only if the unit commits.
        """
        bind: BindVars = {
            "@claims": WORKER_CLAIMS,
            "keys": [claim_key(key) for key in many(file_keys, "worker_claims.release_held(file_keys)")],
            "worker_id": validate_key(worker_id, "worker_id"),
        }
        rows = self._rows(lambda db: db.aql.execute(RELEASE_HELD_CLAIMS, bind_vars=bind), "release_held", idempotent=False)
        return [str(row) for row in rows]

    def remove_older_than(self, cutoff_ms: int) -> int:
        """Remove claims made before ``cutoff_ms``; return how many were removed."""
        bind: BindVars = {"@claims": WORKER_CLAIMS, "cutoff": int(cutoff_ms)}
        row = self._first(
            lambda db: db.aql.execute(REMOVE_CLAIMS_BEFORE, bind_vars=bind), "remove_older_than", idempotent=True
        )
        return int(row or 0)

    def get(self, file_key: str) -> WorkerClaim | None:
        """Return the claim on a file, or None when it is not claimed."""
        bind: BindVars = {"@claims": WORKER_CLAIMS, "key": claim_key(file_key)}
        row = self._first(lambda db: db.aql.execute(GET_CLAIM, bind_vars=bind), "get", idempotent=True)
        return None if row is None else WorkerClaim.model_validate(row)

    def list_for_worker(self, worker_id: str) -> list[WorkerClaim]:
        """Return the claims ``worker_id`` holds, oldest first."""
        bind: BindVars = {"@claims": WORKER_CLAIMS, "worker_id": validate_key(worker_id, "worker_id")}
        rows = self._rows(lambda db: db.aql.execute(LIST_WORKER_CLAIMS, bind_vars=bind), "list_for_worker", idempotent=True)
        return [WorkerClaim.model_validate(row) for row in rows]
