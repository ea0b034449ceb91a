"""bench_ingest's async/sync comparison: every run in a fresh process, both orders, both ratios."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import bench_ingest


def _record_calls(monkeypatch) -> list[str]:
    """Record ``start <side>`` and ``wait`` for every child started and waited for."""
    calls: list[str] = []
    real_start, real_timing = bench_ingest._start_child, bench_ingest._timing

    def start(side: str, size: int):
        calls.append(f"start {side}")
        return real_start(side, size)

    def timing(child):
        calls.append("wait")
        return real_timing(child)

    monkeypatch.setattr(bench_ingest, "_start_child", start)
    monkeypatch.setattr(bench_ingest, "_timing", timing)
    return calls


def test_each_ingest_runs_in_a_fresh_child_process_one_after_the_other(monkeypatch) -> None:
    calls = _record_calls(monkeypatch)
    result = bench_ingest.bench_async_ingest(200, repeats=2)
    # 2 repeats x 2 sides, each its own process, each awaited before the next; the order alternates
    assert calls == ["start sync", "wait", "start async", "wait", "start async", "wait", "start sync", "wait"]
    assert [p.async_first for p in result["pairs"]] == [False, True] and not result["together"]
    assert result["sync_first"] == result["pairs"][0].ratio and result["async_first"] == result["pairs"][1].ratio
    assert result["ratio"] > 0 and result["median_ratio"] > 0 and result["median_cpu_ratio"] > 0


def test_together_starts_both_children_of_a_repeat_before_waiting(monkeypatch) -> None:
    calls = _record_calls(monkeypatch)
    result = bench_ingest.bench_async_ingest(200, repeats=2, together=True)
    assert calls == ["start sync", "start async", "wait", "wait", "start async", "start sync", "wait", "wait"]
    assert len(result["pairs"]) == 2 and result["together"]


def test_a_child_reports_wall_and_cpu_seconds(capsys) -> None:
    assert bench_ingest.main(["--ingest-child", "async", "50"]) == 0
    wall, cpu = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert wall > 0 and cpu > 0
