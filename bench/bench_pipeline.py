"""Benchmark: the scan and work pipeline on a generated library of real audio files.

Run: ``python bench/bench_pipeline.py [--files 10000] [--workers 4] [--data-dir DIR]``

1. Generates ``--files`` short tagged audio files (FLAC, Ogg Vorbis, MP3 and WAV in turn) with
   nomarr's demo generator (not timed as part of the pipeline).
2. Scans them into a fresh embedded database through the scan workflow (what ``nomarr scan``
   runs), timing the tag reader (``read``), the walk (``discover``) and persistence (``store``).
3. Tags them with ``--workers`` worker threads through the worker service (what ``nomarr work
   --once`` runs), timing file reading inside each claim-and-tag step; the rest of each step is
   persistence (claims, tag and edge writes, status updates, in units of work).
4. Prints files per second for both and the share of time in persistence versus reading tags.
   Worker shares are of the summed thread time (threads overlap, so it exceeds wall time).
5. Baseline, in the same run: reading every file's tags with mutagen in one thread and nothing
   else (``read_track`` in a loop); each stage is also given as a ratio to it, which moves far
   less than files/s when the machine is loaded.

Scale mode: ``python bench/bench_pipeline.py --scale 1000 50000 [--workers 2]`` builds each size
by copying a few generated files (fast; the scan and the workers still read every copy), scans it
into a fresh on-disk data directory, runs ``work --once`` through the worker service, then times
``nomarr status``: in process (``collect_status``, best of 3) and as the installed command in a
subprocess (start-up and opening the data directory included), beside the command's start-up
alone (``nomarr status --help``, no database) as the same-run baseline. It prints ``work`` files/s
at each size as a ratio to the smallest size's rate in the same run (issue 8's target: >= 0.9x at
50k vs 1k), the status times (target: < 1 s at 50k) and the command's ratio to its start-up;
then, per file of ``work`` at each size, what the process read and wrote (KB and calls, from
``/proc/self/io`` on Linux: audio files, SQLite pages and write-ahead log together) and the time
spent in Python's garbage collector, which show costs that grow with the library when the
queries and statements per file do not (``tests/nomarr/workflows/test_claim_and_tag_scale.py``).

Batch mode: ``python bench/bench_pipeline.py --files 2000 --batches 8 32 [--workers 2]`` runs
``work`` on the same copied files with each claim batch size, interleaved over two rounds, and
prints files/s as a ratio to the first batch size.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench_pipeline_scale import run_batches, run_scale

from nomarr.components.demo import generate_library
from nomarr.components.tagreader import read_track
from nomarr.persistence import ConnectionSettings, Database
from nomarr.services.workers import PoolReport, WorkerOptions, WorkerPool
from nomarr.workflows.scan_directory import DirectoryScanReport, scan_directory


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=10_000, help="audio files to generate (default 10000)")
    parser.add_argument("--workers", type=int, default=4, help="worker threads (default 4)")
    parser.add_argument("--batch-size", type=int, default=32, help="files a worker claims at once (default 32, as nomarr work)")
    parser.add_argument("--duration", type=float, default=0.05, help="seconds of audio per file")
    parser.add_argument("--data-dir", help="embedded data directory (default: a temporary one)")
    parser.add_argument("--scale", type=int, nargs="+", metavar="N", help="scale mode: these library sizes (e.g. 1000 50000)")
    parser.add_argument("--batches", type=int, nargs="+", metavar="B", help="batch mode: work --files with these claim batch sizes")
    return parser.parse_args(argv)


_BASELINE = [0.0]  # seconds per file of the baseline, set by main()


def _row(label: str, files: int, seconds: float, persistence: float, reading: float, other: float) -> str:
    rate = files / seconds if seconds else 0.0
    ratio = (seconds / files) / _BASELINE[0] if files and _BASELINE[0] else 0.0
    return (f"{label:<28}{files:>8}{seconds:>10.2f}{rate:>10.0f}"
            f"{persistence:>13.0%}{reading:>10.0%}{other:>9.0%}{ratio:>10.2f}x")  # fmt: skip


def _scan_row(report: DirectoryScanReport) -> str:
    t = report.timings
    total = report.elapsed_s
    read, store = t.get("read", 0.0), t.get("store", 0.0)
    return _row("scan (1 thread)", report.found, total, store / total, read / total, (total - read - store) / total)


def _work_row(report: PoolReport, workers: int) -> str:
    step, read = report.timings.get("step", 0.0), report.timings.get("read", 0.0)
    share = step or 1.0
    return _row(f"work ({workers} threads)", report.total_tagged, report.elapsed_s, (step - read) / share, read / share, 0.0)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    args = _parse(argv)
    if args.batches:
        return run_batches(args.files, args.workers, args.batches, args.duration)
    if args.scale:
        return run_scale(args.scale, args.workers, args.batch_size, args.duration)
    scratch = Path(tempfile.mkdtemp(prefix="nomarr-bench-"))
    try:
        started = time.perf_counter()
        library = generate_library(scratch / "music", count=args.files, duration_s=args.duration, include_broken=False)
        print(f"generated {len(library.tracks)} files in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        started = time.perf_counter()
        for track in library.tracks:
            read_track(library.root / track.rel_path)
        baseline = time.perf_counter() - started
        _BASELINE[0] = baseline / len(library.tracks)
        settings = ConnectionSettings(data_dir=args.data_dir or str(scratch / "data"))
        with Database.open(settings) as db:
            scan = scan_directory(db, library.root, library_name="bench", holder="bench")
            pool = WorkerPool(db, WorkerOptions(workers=args.workers, once=True, batch_size=args.batch_size))
            pool.start()
            work = pool.join()
        if work.error is not None:
            raise work.error
        print(f"{'stage':<28}{'files':>8}{'seconds':>10}{'files/s':>10}{'persistence':>13}{'reading':>10}{'other':>9}{'vs read':>11}")
        print(_row("baseline: read tags only", len(library.tracks), baseline, 0.0, 1.0, 0.0))
        print(_scan_row(scan))
        print(_work_row(work, args.workers))
        scan_t = ", ".join(f"{k} {v:.2f} s" for k, v in sorted(scan.timings.items()))
        print(f"scan phases: {scan_t}; work thread time: step {work.timings.get('step', 0):.2f} s, "
              f"read {work.timings.get('read', 0):.2f} s")  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
