"""The one wall clock of nomarr.

Every timestamp nomarr stores comes from here, so tests and callers agree on units:
milliseconds for event times (``*_at`` fields), whole seconds for TTL fields (``expires_at``),
because ArangoDB's TTL indexes read a unix timestamp in seconds.
"""

from __future__ import annotations

import time

__all__ = ["MS_PER_DAY", "now_ms", "now_s"]

MS_PER_DAY = 86_400_000


def now_ms() -> int:
    """Return the wall-clock time as integer milliseconds since the unix epoch."""
    return time.time_ns() // 1_000_000


def now_s() -> int:
    """Return the wall-clock time as integer seconds since the unix epoch (for TTL fields)."""
    return time.time_ns() // 1_000_000_000
