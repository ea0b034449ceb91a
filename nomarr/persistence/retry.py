"""Bounded exponential backoff for transient backend failures.

Transient means: HTTP 503 (the server did not run the request, always safe to repeat), and, for
idempotent operations only, a lost connection or timeout (the request may or may not have run)
and a write-write conflict (ArangoDB 1200: nothing was written, a re-run sees the winner's
write). Inside a unit of work nothing is retried: one failed statement fails the unit, which
aborts as a whole.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from nomarr.helpers.errors import BackendUnavailableError, ConflictError, NomarrError

__all__ = ["NO_RETRY", "RetryPolicy", "call_with_retry", "is_transient"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently to retry.

    Attributes:
        attempts: total tries including the first (1 disables retrying).
        base_delay_s: delay before the second try; doubles for every further try.
        max_delay_s: cap on a single delay.
    """

    attempts: int = 5
    base_delay_s: float = 0.01
    max_delay_s: float = 0.5

    def delay(self, retry_number: int) -> float:
        """Return the delay before retry ``retry_number`` (1-based), with full jitter."""
        ceiling = min(self.max_delay_s, self.base_delay_s * (2 ** (retry_number - 1)))
        return random.uniform(ceiling / 2, ceiling)  # nosec B311 - jitter, not security


NO_RETRY = RetryPolicy(attempts=1)


def is_transient(exc: NomarrError, idempotent: bool, conflict_safe: bool = False) -> bool:
    """Return True when repeating the failed operation is safe and may succeed.

    Args:
        exc: the failure.
        idempotent: the operation may run twice.
        conflict_safe: a write-write conflict may be retried even if not idempotent.
    """
    if isinstance(exc, BackendUnavailableError):
        return exc.http_code == 503 or idempotent
    return isinstance(exc, ConflictError) and (idempotent or conflict_safe)


def call_with_retry(
    operation: Callable[[], T],
    policy: RetryPolicy,
    idempotent: bool,
    *,
    conflict_safe: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``operation``, retrying transient :class:`NomarrError` failures per ``policy``.

    Args:
        operation: raises NomarrError subclasses on failure.
        policy: attempts and delays.
        idempotent: whether running ``operation`` twice has the effect of running it once.
        conflict_safe: retry write-write conflicts even when not idempotent.
        sleep: injectable for tests.
    """
    for retry_number in range(1, policy.attempts):
        try:
            return operation()
        except NomarrError as exc:
            if not is_transient(exc, idempotent, conflict_safe):
                raise
            sleep(policy.delay(retry_number))
    return operation()
