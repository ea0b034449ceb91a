"""bench_ingest's async/sync comparison: every run in a fresh process, both orders, both ratios."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import bench_ingest


def test_each_ingest_runs_in_a_fresh_child_process(monkeypatch) -> None:
    children: list[tuple[str, int]] = []
    real = bench_ingest.subprocess.run

    def run(args, **kwargs):
        answer = real(args, **kwargs)
        children.append((args[args.index("--ingest-child") + 1], answer.returncode))
        return answer

    monkeypatch.setattr(bench_ingest.subprocess, "run", run)
    result = bench_ingest.bench_async_ingest(200, repeats=2)
    # 2 repeats x 2 sides, each its own process; the order alternates
    assert children == [("sync", 0), ("async", 0), ("async", 0), ("sync", 0)]
    assert [p.async_first for p in result["pairs"]] == [False, True]
    assert result["sync_first"] == result["pairs"][0].ratio and result["async_first"] == result["pairs"][1].ratio
    assert result["ratio"] > 0 and result["median_ratio"] > 0


def test_a_child_reports_wall_and_cpu_seconds(capsys) -> None:
    assert bench_ingest.main(["--ingest-child", "async", "50"]) == 0
    wall, cpu = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert wall > 0 and cpu > 0
