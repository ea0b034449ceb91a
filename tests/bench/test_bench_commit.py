"""bench_commit: a big commit's time splits into the part prepared with the lock let go and the
rest; a commit below ``PREPARE_AHEAD`` writes prepares nothing; an index build's the same way
(from ``APART_ROWS`` rows its SQLite write too)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import bench_commit

from arangolite.storage import index_build, persistence
from arangolite.storage.transactions import PREPARE_AHEAD


def test_a_big_commit_spends_part_of_its_time_off_the_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(persistence.EnginePersistence, "prepare", persistence.EnginePersistence.prepare)
    monkeypatch.setattr(persistence._Apart, "gap", persistence._Apart.gap)
    spent = bench_commit._timed_prepare()
    took, ahead = bench_commit.commit_once(PREPARE_AHEAD, spent)
    assert 0 < ahead < took
    took, ahead = bench_commit.commit_once(PREPARE_AHEAD - 1, spent)
    assert ahead == 0 and took > 0


def test_an_index_build_spends_part_of_its_time_off_the_lock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(index_build.IndexBuild, "run", index_build.IndexBuild.run)
    monkeypatch.setattr(persistence._Apart, "gap", persistence._Apart.gap)
    spent = bench_commit._timed_build()
    timed_gap, gaps = persistence._Apart.gap, []  # (the bench's wrapper, counted)
    monkeypatch.setattr(persistence._Apart, "gap", lambda self: gaps.append(1) or timed_gap(self))
    took, ahead = bench_commit.build_once(persistence.APART_ROWS - 1, spent)
    assert 0 < ahead < took and gaps == []
    took, ahead = bench_commit.build_once(persistence.APART_ROWS, spent)  # (its rows' write too)
    assert 0 < ahead < took and gaps == [1, 1]  # (the documents' commit, then the index's rows)
