"""bench_prefilter ``--sql``: the ``%`` scan's SQL step by step, each step finding what sqlite3's
own scan finds."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import bench_prefilter
from bench_storage import prepared


def test_the_sql_steps_each_find_what_sqlite3_finds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench_prefilter.sql_steps(*prepared(str(tmp_path), 700), 1)
    lines = capsys.readouterr().out.splitlines()[1:]
    found = [re.search(r"\((\d+) found\)", line) for line in lines]
    assert len(lines) == 5 and all(found)
    assert {m.group(1) for m in found if m} == {"100"}  # (n runs 0..699: 100 have n % 7 == 3)
