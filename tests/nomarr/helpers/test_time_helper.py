"""The wall clock."""

from __future__ import annotations

import time

from nomarr.helpers.time_helper import now_ms, now_s


def test_units_agree_with_the_wall_clock() -> None:
    before = time.time()
    ms, s = now_ms(), now_s()
    assert isinstance(ms, int) and isinstance(s, int)
    assert abs(ms / 1000 - before) < 5
    assert abs(s - before) < 5
    assert abs(ms // 1000 - s) <= 1
