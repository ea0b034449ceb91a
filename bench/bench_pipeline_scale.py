"""Scale mode of ``bench/bench_pipeline.py``: ``work`` files/s and ``nomarr status`` time by library size.

Run through ``python bench/bench_pipeline.py --scale 1000 50000 [--workers 2]`` (see its doc).
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nomarr.components.demo import FORMATS, generate_library
from nomarr.persistence import ConnectionSettings, Database
from nomarr.services.backend import BackendInfo
from nomarr.services.status import collect_status
from nomarr.services.workers import WorkerOptions, WorkerPool
from nomarr.workflows.scan_directory import scan_directory

__all__ = ["copied_library", "run_batches", "run_scale"]

_NOMARR = Path(sys.executable).parent / "nomarr"


def copied_library(root: Path, count: int, duration_s: float) -> None:
    """Write ``count`` audio files below ``root``: copies of a few generated tagged files, 500 per folder."""
    templates = generate_library(root.parent / f"{root.name}-templates", count=2 * len(FORMATS), duration_s=duration_s, include_broken=False)
    sources = [(templates.root / t.rel_path).read_bytes() for t in templates.tracks]
    suffixes = [t.rel_path.rsplit(".", 1)[-1] for t in templates.tracks]
    for i in range(count):
        folder = root / f"{i // 500:04d}"
        if i % 500 == 0:
            folder.mkdir(parents=True)
        (folder / f"{i:06d}.{suffixes[i % len(sources)]}").write_bytes(sources[i % len(sources)])
    shutil.rmtree(templates.root)


def _io_counts() -> dict[str, int]:
    """This process's I/O counters (Linux ``/proc/self/io``; empty elsewhere): bytes and calls."""
    try:
        with open("/proc/self/io") as counters:
            return {name: int(value) for name, value in (line.split(":") for line in counters)}
    except OSError:
        return {}


class _GcClock:
    """Seconds the cyclic garbage collector ran while installed (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started


def _one_size(scratch: Path, size: int, workers: int, batch_size: int, duration_s: float) -> dict[str, float]:
    root = scratch / f"music-{size}"
    copied_library(root, size, duration_s)
    data_dir = scratch / f"data-{size}"
    with Database.open(ConnectionSettings(data_dir=str(data_dir))) as db:
        scan = scan_directory(db, root, library_name="bench", holder="bench")
        pool = WorkerPool(db, WorkerOptions(workers=workers, once=True, batch_size=batch_size))
        before, clock = _io_counts(), _GcClock()
        gc.callbacks.append(clock)
        try:
            pool.start()
            work = pool.join()
        finally:
            gc.callbacks.remove(clock)
        after = _io_counts()
        if work.error is not None:
            raise work.error
        backend = BackendInfo("embedded", str(data_dir), "nomarr")
        in_process = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            collect_status(db, backend, 30.0)
            in_process = min(in_process, time.perf_counter() - started)
    env = {**os.environ, "NOMARR_DATA_DIR": str(data_dir)}
    for name in ("ARANGO_HOST", "ARANGO_DB"):
        env.pop(name, None)
    command = startup = float("inf")
    for _ in range(3):  # start-up (status --help: interpreter and imports, no database) interleaved
        started = time.perf_counter()
        subprocess.run([str(_NOMARR), "status", "--json"], check=True, capture_output=True, env=env)
        command = min(command, time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run([str(_NOMARR), "status", "--help"], check=True, capture_output=True, env=env)
        startup = min(startup, time.perf_counter() - started)
    shutil.rmtree(root)
    shutil.rmtree(data_dir)
    return {
        "scan_rate": scan.found / scan.elapsed_s,
        "work_rate": work.total_tagged / work.elapsed_s,
        "tagged": work.total_tagged,
        **{f"{name}/file": (after[name] - before[name]) / max(1, work.total_tagged) for name in before},
        "gc_ms/file": 1000 * clock.seconds / max(1, work.total_tagged),
        "status_s": in_process,
        "status_cmd_s": command,
        "startup_s": startup,
    }


def run_scale(sizes: list[int], workers: int, batch_size: int, duration_s: float) -> int:
    """Print work files/s and status times per size, rates as ratios to the smallest size's."""
    scratch = Path(tempfile.mkdtemp(prefix="nomarr-bench-scale-"))
    try:
        rows = {size: _one_size(scratch, size, workers, batch_size, duration_s) for size in sorted(sizes)}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    base = rows[min(rows)]["work_rate"]
    print(f"work: {workers} threads, batch {batch_size}; status: best of 3; load: {os.getloadavg()[0]:.2f}")
    print(f"{'files':>8}{'scan f/s':>10}{'work f/s':>10}{'vs smallest':>13}{'status (in process)':>21}"
          f"{'nomarr status':>15}{'start-up':>10}{'status/start-up':>17}")  # fmt: skip
    for size, row in rows.items():
        print(f"{size:>8}{row['scan_rate']:>10.0f}{row['work_rate']:>10.0f}{row['work_rate'] / base:>12.2f}x"
              f"{row['status_s']:>20.3f}s{row['status_cmd_s']:>14.3f}s{row['startup_s']:>9.3f}s"
              f"{row['status_cmd_s'] / row['startup_s']:>16.2f}x")  # fmt: skip
    print("work per file (all threads; rchar/wchar include the audio files read): "
          "KB read, read calls, KB written, write calls, ms in the garbage collector")  # fmt: skip
    for size, row in rows.items():
        print(f"{size:>8}{row.get('rchar/file', 0) / 1024:>10.1f}{row.get('syscr/file', 0):>8.1f}"
              f"{row.get('wchar/file', 0) / 1024:>10.1f}{row.get('syscw/file', 0):>8.1f}{row['gc_ms/file']:>10.3f}")  # fmt: skip
    return 0


def run_batches(size: int, workers: int, batches: list[int], duration_s: float, rounds: int = 2) -> int:
    """Print ``work`` files/s for each claim batch size on the same files, interleaved, as ratios to the first."""
    scratch = Path(tempfile.mkdtemp(prefix="nomarr-bench-batches-"))
    rates: dict[int, list[float]] = {batch: [] for batch in batches}
    try:
        root = scratch / "music"
        copied_library(root, size, duration_s)
        for run in range(rounds):
            for batch in batches:  # interleaved, so a change of machine load hits every batch size
                with Database.open(ConnectionSettings(data_dir=str(scratch / f"data-{run}-{batch}"))) as db:
                    scan_directory(db, root, library_name="bench", holder="bench")
                    pool = WorkerPool(db, WorkerOptions(workers=workers, once=True, batch_size=batch))
                    pool.start()
                    work = pool.join()
                rates[batch].append(work.total_tagged / work.elapsed_s)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    base = max(rates[batches[0]])
    print(f"work on {size} files, {workers} threads, best of {rounds} interleaved rounds")
    print(f"{'batch':>6}{'work f/s':>10}{'vs batch ' + str(batches[0]):>14}")
    for batch in batches:
        print(f"{batch:>6}{max(rates[batch]):>10.0f}{max(rates[batch]) / base:>13.2f}x")
    return 0
