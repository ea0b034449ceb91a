"""Benchmark: ``nomarr status`` as a command on one library, against same-run baselines.

Run: ``python bench/bench_status.py --files 50000 [--baseline-src DIR] [--runs 7]``
(or ``--data-dir DIR``: a data directory built before, e.g. by an earlier run with ``--keep``).

1. Builds a library of ``--files`` copied audio files (as ``bench_pipeline.py --scale`` does),
   scans it into a fresh on-disk data directory and tags it with ``work --once`` (2 threads);
   not timed.
2. Compiles the sources to bytecode first, as an installed package has them (with
   ``PYTHONDONTWRITEBYTECODE`` set, every start would compile them again).
3. Times, interleaved ``--runs`` times so that a change of machine load hits every row alike:
   ``nomarr status --json`` of this checkout; ``nomarr status --help`` of this checkout
   (start-up: the interpreter and the command's imports, no database), each with
   ``PYTHONPATH`` on its checkout and run from its data directory; and with
   ``--baseline-src`` the same two commands run by another checkout's code (``PYTHONPATH``; e.g.
   ``git worktree add --detach /tmp/base main``) on its own copy of the data directory.
4. Prints medians and minima of wall time and the median CPU time (user + system: less moved by
   other processes' load than wall time), the ratios of the medians to this run's start-up and to
   the baseline's same command, and whether both reports agree (worker ages aside).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_pipeline_scale import copied_library

from nomarr.persistence import ConnectionSettings, Database
from nomarr.services.workers import WorkerOptions, WorkerPool
from nomarr.workflows.scan_directory import scan_directory

_HERE = Path(__file__).resolve().parent.parent
_MAIN = "import sys; from nomarr.interfaces.cli import main; sys.argv[0] = 'nomarr'; sys.exit(main())"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=50_000, help="library size to build (default 50000)")
    parser.add_argument("--data-dir", type=Path, help="time this data directory instead of building one")
    parser.add_argument("--baseline-src", type=Path, help="a checkout whose code runs the same commands")
    parser.add_argument("--runs", type=int, default=7, help="interleaved rounds (default 7)")
    parser.add_argument("--keep", type=Path, help="keep the built data directory here")
    return parser.parse_args(argv)


def _build(scratch: Path, files: int) -> Path:
    root, data_dir = scratch / "music", scratch / "data"
    copied_library(root, files, 0.05)
    with Database.open(ConnectionSettings(data_dir=str(data_dir))) as db:
        scan_directory(db, root, library_name="bench", holder="bench")
        pool = WorkerPool(db, WorkerOptions(workers=2, once=True))
        pool.start()
        work = pool.join()
        if work.error is not None:
            raise work.error
    return data_dir


def _env(src: Path | None, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ARANGO_HOST", "ARANGO_DB", "PYTHONPATH")}
    env["NOMARR_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(src or _HERE)  # this checkout's code, whatever the venv installed
    return env


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(env: dict[str, str], *args: str) -> tuple[float, float, str]:
    """Wall and CPU seconds of one command, and its stdout."""
    cpu, started = _cpu(), time.perf_counter()
    done = subprocess.run(  # run from the data directory: ``-c`` puts the cwd first on sys.path
        [sys.executable, "-c", _MAIN, *args], env=env, cwd=env["NOMARR_DATA_DIR"], capture_output=True, text=True,
        check=True,
    )
    return time.perf_counter() - started, _cpu() - cpu, done.stdout


def _comparable(report: str) -> Any:
    data = json.loads(report)
    data.pop("workers", None)
    data["backend"].pop("location", None)
    return data


Times = dict[str, list[tuple[float, float]]]  # label -> (wall, cpu) per run


def _measure(variants: dict[str, tuple[Path | None, Path]], runs: int) -> tuple[Times, dict[str, Any]]:
    times: Times = {}
    reports: dict[str, Any] = {}
    for src, _ in variants.values():
        subprocess.run([sys.executable, "-m", "compileall", "-q", str((src or _HERE) / "nomarr"), str((src or _HERE) / "arangolite")], check=True)
    for _ in range(runs):
        for name, (src, data_dir) in variants.items():
            env = _env(src, data_dir)
            wall, cpu, out = _timed(env, "status", "--json")
            times.setdefault(f"{name} status", []).append((wall, cpu))
            reports[name] = _comparable(out)
            wall, cpu, _ = _timed(env, "status", "--help")
            times.setdefault(f"{name} start-up", []).append((wall, cpu))
    return times, reports


def _medians(values: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(v[0] for v in values), statistics.median(v[1] for v in values)


def _print(times: Times, reports: dict[str, Any], files: int) -> None:
    runs = len(times["this status"])
    print(f"nomarr status --json on {files} files, {runs} interleaved runs; load: {os.getloadavg()[0]:.2f}")
    print(f"{'command':<20}{'wall':>8}{'min':>8}{'cpu':>8}{'wall/start-up':>15}{'wall/baseline':>15}{'cpu/baseline':>14}")
    for label, values in times.items():
        wall, cpu = _medians(values)
        start = _medians(times[label.split()[0] + " start-up"])[0]
        base_wall, base_cpu = _medians(times.get(label.replace("this", "baseline"), values))
        print(f"{label:<20}{wall:>7.3f}s{min(v[0] for v in values):>7.3f}s{cpu:>7.3f}s"
              f"{wall / start:>14.2f}x{wall / base_wall:>14.2f}x{cpu / base_cpu:>13.2f}x")  # fmt: skip
    if "baseline" in reports:
        print(f"same report: {reports['this'] == reports['baseline']}")


def main(argv: list[str] | None = None) -> int:
    """Build or take a library, time the commands and print the table."""
    args = _parse(argv)
    scratch = Path(tempfile.mkdtemp(prefix="nomarr-bench-status-"))
    try:
        source = args.data_dir or _build(scratch, args.files)
        if args.keep is not None and args.data_dir is None:
            shutil.copytree(source, args.keep)
        variants: dict[str, tuple[Path | None, Path]] = {"this": (None, scratch / "this")}
        shutil.copytree(source, scratch / "this")
        if args.baseline_src is not None:  # its own copy: opening may migrate a data directory
            shutil.copytree(source, scratch / "baseline")
            variants["baseline"] = (args.baseline_src.resolve(), scratch / "baseline")
        with Database.open(ConnectionSettings(data_dir=str(scratch / "this"))) as db:
            files = sum(sum(db.library_files.count_by_status(lib.key_).values()) for lib in db.libraries.list())
        times, reports = _measure(variants, args.runs)
        _print(times, reports, files)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
