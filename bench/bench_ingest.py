"""Benchmark: scan-style ingest and claim throughput of nomarr on arangolite.

Run: ``python bench/bench_ingest.py [--sizes 10000 100000] [--threads 8]``

For each size it ingests that many scanned file records (with their library edges) through
``db.library_files.upsert_batch`` and, on a fresh database of the same engine, imports the same
documents raw with python-arango's ``import_bulk`` (files and edges, 1,000 per request). HTTP
requests are counted at the transport: a subclass of ``arangolite.InProcessHTTPClient``.
Targets: at most 1 request per 1,000 files, and wall time within 1.5x of the raw import.
Each size runs ``--repeats`` times on fresh engines and the fastest run of each contender counts.
Finally 8 threads claim every file (of the 10,000 set) exactly once through ``db.worker_claims``.

``--streams N`` (default 100,000) then measures, in the same run, (1) listing N stored files
through ``db.library_files.iter_for_library`` (keyset pages of 1,000): RSS growth sampled every
1,000 files against the same listing materialised in a list, and requests per 1,000 files;
(2) ingest of N files through ``AsyncDatabase`` (python-arango-async on the embedded engine)
against the sync ``Database``, each run in a fresh child process of its own (no heap or engine
left by the other side), alternating which goes first: files/s, the ratio of the best runs and the
median of the per-repeat ratios (also for each order). ``--async-only`` runs just that
comparison; ``--together`` runs each repeat's two processes at the same time (so that on a
shared machine both meet the same load from other processes). Targets: RSS growth < 20 MB,
<= 1 request per 1,000 files, async >= 0.9x sync (the median of the same-run ratios: on a shared
machine the best run of each side may come from different moments of load).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import arangolite
from nomarr.helpers.dto import LibraryCreate, LibraryFileCreate
from nomarr.helpers.keys import file_key, make_id
from nomarr.persistence import ConnectionSettings, Database

REQUEST_BUDGET_PER_1000 = 1.0
TIME_BUDGET_RATIO = 1.5


class CountingHTTPClient(arangolite.InProcessHTTPClient):
    """arangolite's in-process transport, counting the requests it serves."""

    def __init__(self) -> None:
        super().__init__(None)
        self.requests = 0
        self._lock = threading.Lock()

    def send_request(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self.requests += 1
        return super().send_request(*args, **kwargs)


@dataclass
class Row:
    size: int
    requests: int
    nomarr_s: float
    raw_requests: int
    raw_s: float
    claim_s: float | None = None

    @property
    def per_1000(self) -> float:
        return self.requests * 1000 / self.size

    @property
    def ratio(self) -> float:
        return self.nomarr_s / self.raw_s


def _open(transport: CountingHTTPClient) -> Database:
    settings = ConnectionSettings(data_dir=":memory:", db_name=f"bench_{uuid.uuid4().hex[:8]}")
    return Database.open(settings, http_client=transport)


def _records(library_key: str, size: int) -> list[LibraryFileCreate]:
    return [
        LibraryFileCreate(
            library_key=library_key,
            path=f"/music/artist{i % 500:03d}/album{i % 37:02d}/track{i:06d}.flac",
            size=3_000_000 + i,
            mtime_ms=1_700_000_000_000 + i,
            metadata={"format": "flac", "bitrate": 1411},
        )
        for i in range(size)
    ]


def _timed(transport: CountingHTTPClient, action: Callable[[], object]) -> tuple[int, float]:
    gc.collect()  # start both contenders from the same heap state
    before = transport.requests
    start = time.perf_counter()
    action()
    return transport.requests - before, time.perf_counter() - start


def _raw_documents(records: list[LibraryFileCreate], now: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    files, edges = [], []
    for record in records:
        key = file_key(record.library_key, record.path)
        files.append({**record.model_dump(), "_key": key, "status": "pending", "created_at": now, "updated_at": now, "scanned_at": now})
        edges.append({"_key": key, "_from": make_id("libraries", record.library_key), "_to": make_id("library_files", key)})
    return files, edges


def bench_size(size: int, repeats: int) -> Row:
    """Best (fastest) of ``repeats`` runs for both contenders, each on a fresh engine."""
    runs = [bench_ingest(size, claims=index == 0 and size <= 10_000) for index in range(repeats)]
    best = min(runs, key=lambda r: r.nomarr_s)
    best.raw_s = min(r.raw_s for r in runs)
    best.claim_s = runs[0].claim_s
    return best


def bench_ingest(size: int, claims: bool) -> Row:
    transport = CountingHTTPClient()
    db = _open(transport)
    library = db.libraries.create(LibraryCreate(name="Bench", root_path="/music"), key="bench")
    records = _records(library.key_, size)
    requests, nomarr_s = _timed(transport, lambda: db.library_files.upsert_batch(records))
    assert db.library_files.count_by_status(library.key_) == {"pending": size}

    raw_db = _open(transport).connection.db
    files, edges = _raw_documents(records, 1_700_000_000_000)

    def raw_import() -> None:
        raw_db.collection("library_files").import_bulk(files, batch_size=1000, on_duplicate="replace")
        raw_db.collection("library_has_file").import_bulk(edges, batch_size=1000, on_duplicate="ignore")

    raw_requests, raw_s = _timed(transport, raw_import)
    row = Row(size, requests, nomarr_s, raw_requests, raw_s)
    row.claim_s = bench_claims(db, library.key_, size) if claims else None
    return row


def bench_claims(db: Database, library_key: str, size: int, threads: int = 8) -> float:
    def worker(number: int) -> int:
        claimed = 0
        while pending := db.library_files.get_pending_files(library_key, 100, unclaimed_only=True):
            claimed += len(db.worker_claims.try_claim_many([f.key_ for f in pending], f"w{number}"))
        return claimed

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        total = sum(pool.map(worker, range(threads)))
    elapsed = time.perf_counter() - start
    assert total == size, f"claimed {total} of {size}"
    return elapsed


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def bench_stream(size: int) -> dict[str, float]:
    """Iterate ``size`` stored files: RSS growth and requests, against a materialised list."""
    transport = CountingHTTPClient()
    db = _open(transport)
    library = db.libraries.create(LibraryCreate(name="Bench", root_path="/music"), key="bench")
    db.library_files.upsert_batch(_records(library.key_, size))
    gc.collect()
    base, peak, count, before = _rss_mb(), 0.0, 0, transport.requests
    for count, _file in enumerate(db.library_files.iter_for_library(library.key_), start=1):
        if count % 1000 == 0:
            peak = max(peak, _rss_mb() - base)
    requests = transport.requests - before
    gc.collect()
    base = _rss_mb()
    listed = list(db.library_files.iter_for_library(library.key_))
    materialised = _rss_mb() - base
    assert count == size == len(listed)
    return {"files": size, "rss_growth_mb": peak, "list_growth_mb": materialised, "requests": requests}


def _sync_ingest(records: list[LibraryFileCreate]) -> tuple[float, float]:
    """Wall and CPU seconds to ingest ``records`` through Database, on an engine of its own."""
    transport = CountingHTTPClient()
    db = _open(transport)
    db.libraries.create(LibraryCreate(name="Bench", root_path="/m"), key="bench")
    cpu = time.process_time()
    elapsed = _timed(transport, lambda: db.library_files.upsert_batch(records))[1]
    cpu = time.process_time() - cpu
    db.close()
    transport.engine.close()
    return elapsed, cpu


def _async_ingest(records: list[LibraryFileCreate]) -> tuple[float, float]:
    """Wall and CPU seconds (all threads) to ingest ``records`` through AsyncDatabase, on an engine of its own."""
    from nomarr.persistence.aio import AsyncDatabase

    transport = CountingHTTPClient()
    settings = ConnectionSettings(data_dir=":memory:", db_name=f"bench_{uuid.uuid4().hex[:8]}")

    async def ingest() -> tuple[float, float]:
        adb = await AsyncDatabase.open(settings, http_client=transport)
        await adb.libraries.create(LibraryCreate(name="Bench", root_path="/m"), key="bench")
        gc.collect()  # the same heap state as the sync contender
        start, cpu = time.perf_counter(), time.process_time()
        await adb.library_files.upsert_batch(records)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        await adb.close()
        return elapsed, cpu

    timing = asyncio.run(ingest())
    transport.engine.close()
    return timing


def _start_child(side: str, size: int) -> subprocess.Popen[str]:
    """Start one ``side`` ingest of ``size`` files in a fresh child process.

    Each run gets an interpreter of its own: no heap, caches or engines left by the other
    contender (or by an earlier run of the same one) bias it.
    """
    command = [sys.executable, os.path.abspath(__file__), "--ingest-child", side, str(size)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def _timing(child: subprocess.Popen[str]) -> tuple[float, float]:
    """Wall and CPU seconds that a child of :func:`_start_child` reported."""
    out, _ = child.communicate()
    if child.returncode:
        raise RuntimeError(f"ingest child {child.args} exited {child.returncode}")
    timing = json.loads(out.strip().splitlines()[-1])
    return float(timing[0]), float(timing[1])


def _child_ingest(side: str, size: int) -> tuple[float, float]:
    """Wall and CPU seconds of one ``side`` ingest of ``size`` files, in a fresh child process."""
    return _timing(_start_child(side, size))


def _run_child(side: str, size: int) -> None:
    ingest = _sync_ingest if side == "sync" else _async_ingest
    print(json.dumps(ingest(_records("bench", size))))


@dataclass
class Pair:
    """One repeat: both contenders, each in its own fresh process, in the order run."""

    async_first: bool
    sync_s: float
    sync_cpu: float
    async_s: float
    async_cpu: float

    @property
    def ratio(self) -> float:
        """async files/s over sync files/s of this repeat."""
        return self.sync_s / self.async_s

    @property
    def cpu_ratio(self) -> float:
        """sync CPU seconds over async CPU seconds (all threads) of this repeat."""
        return self.sync_cpu / self.async_cpu


def bench_async_ingest(size: int, repeats: int, together: bool = False) -> dict[str, Any]:
    """Files/s of ``upsert_batch`` through AsyncDatabase and Database on the embedded engine.

    Every run is a fresh child process with a fresh engine; the order alternates between
    repeats (sync first, then async first, ...). Reported: the ratio of each side's best run,
    the median of the per-repeat (same-run) ratios, and that median for each order.
    ``together``: each repeat runs both children at the same time instead (one core each on an
    idle 2-core machine), so that both meet the same load from other processes on a shared one.
    """
    pairs: list[Pair] = []
    for repeat in range(max(repeats, 2)):
        async_first = repeat % 2 == 1
        if together:
            children = {side: _start_child(side, size) for side in (("async", "sync") if async_first else ("sync", "async"))}
            (s_s, s_cpu), (a_s, a_cpu) = _timing(children["sync"]), _timing(children["async"])
        elif async_first:
            (a_s, a_cpu), (s_s, s_cpu) = _child_ingest("async", size), _child_ingest("sync", size)
        else:
            (s_s, s_cpu), (a_s, a_cpu) = _child_ingest("sync", size), _child_ingest("async", size)
        pairs.append(Pair(async_first, s_s, s_cpu, a_s, a_cpu))
    sync_s, async_s = min(p.sync_s for p in pairs), min(p.async_s for p in pairs)
    sync_cpu, async_cpu = min(p.sync_cpu for p in pairs), min(p.async_cpu for p in pairs)
    return {
        "files": size,
        "sync_fps": size / sync_s,
        "async_fps": size / async_s,
        "ratio": sync_s / async_s,
        "cpu_ratio": sync_cpu / async_cpu,
        "median_ratio": statistics.median(p.ratio for p in pairs),
        "median_cpu_ratio": statistics.median(p.cpu_ratio for p in pairs),
        "sync_first": statistics.median(p.ratio for p in pairs if not p.async_first),
        "async_first": statistics.median(p.ratio for p in pairs if p.async_first),
        "pairs": pairs,
        "together": together,
    }


def report_streams(size: int, repeats: int, together: bool = False) -> bool:
    stream = bench_stream(size)
    per_1000 = stream["requests"] * 1000 / size
    print(f"\niter_for_library over {size:,} files: RSS growth {stream['rss_growth_mb']:.1f} MB "
          f"(the same files in a list: {stream['list_growth_mb']:.1f} MB), "
          f"{stream['requests']:.0f} requests = {per_1000:.2f} per 1,000 files")
    ingest = bench_async_ingest(size, repeats, together)
    _print_async(ingest, size, repeats)
    return stream["rss_growth_mb"] < 20 and per_1000 <= 1.0 and ingest["median_ratio"] >= 0.9


def _print_async(ingest: dict[str, Any], size: int, repeats: int) -> None:
    print(f"ingest of {size:,} files: sync {ingest['sync_fps']:,.0f} files/s, async {ingest['async_fps']:,.0f} files/s, "
          f"async/sync {ingest['ratio']:.2f}x (best of {max(repeats, 2)}, each run a fresh process, "
          f"{'both sides at once' if ingest['together'] else 'one after the other'}; "
          f"CPU seconds, all threads: {ingest['cpu_ratio']:.2f}x)")
    print(f"  same-run async/sync, median of {len(ingest['pairs'])} repeats: {ingest['median_ratio']:.2f}x "
          f"(sync run first: {ingest['sync_first']:.2f}x, async run first: {ingest['async_first']:.2f}x); "
          "per repeat (s: sync ran first, a: async first): " + ", ".join(f"{p.ratio:.2f}{'a' if p.async_first else 's'}" for p in ingest["pairs"]))
    print(f"  same-run CPU seconds sync/async, median: {ingest['median_cpu_ratio']:.2f}x; runs (wall s / CPU s): "
          + ", ".join(f"sync {p.sync_s:.1f}/{p.sync_cpu:.1f} async {p.async_s:.1f}/{p.async_cpu:.1f}" for p in ingest["pairs"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3, help="runs per size; the best counts")
    parser.add_argument("--streams", type=int, default=100_000, help="files for the iterator and async benchmarks (0: skip)")
    parser.add_argument("--ingest-child", nargs=2, metavar=("SIDE", "FILES"), help=argparse.SUPPRESS)
    parser.add_argument("--async-only", action="store_true", help="only the async/sync ingest comparison (of --streams files)")
    parser.add_argument("--together", action="store_true", help="async/sync: run each repeat's two processes at the same time")
    args = parser.parse_args(argv)
    if args.ingest_child:
        _run_child(args.ingest_child[0], int(args.ingest_child[1]))
        return 0
    if args.async_only:
        ingest = bench_async_ingest(args.streams, args.repeats, args.together)
        _print_async(ingest, args.streams, args.repeats)
        return 0 if ingest["median_ratio"] >= 0.9 else 1
    rows = [bench_size(size, args.repeats) for size in args.sizes]
    print(f"{'files':>8} {'requests':>9} {'req/1000':>9} {'nomarr s':>9} {'raw req':>8} {'raw s':>7} {'ratio':>6} {'claims/s (8 thr)':>17}")
    for r in rows:
        claims = f"{r.size / r.claim_s:,.0f}" if r.claim_s else "-"
        print(f"{r.size:>8} {r.requests:>9} {r.per_1000:>9.2f} {r.nomarr_s:>9.2f} {r.raw_requests:>8} {r.raw_s:>7.2f} {r.ratio:>6.2f} {claims:>17}")
    ok = all(r.per_1000 <= REQUEST_BUDGET_PER_1000 and r.ratio <= TIME_BUDGET_RATIO for r in rows)
    print("targets met" if ok else "TARGETS MISSED: <= 1 request per 1000 files and <= 1.5x raw import_bulk")
    if args.streams:
        streams_ok = report_streams(args.streams, args.repeats, args.together)
        print("stream targets met" if streams_ok else "STREAM TARGETS MISSED: RSS < 20 MB, <= 1 req/1000, async >= 0.9x sync (median same-run ratio)")
        ok = ok and streams_ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
