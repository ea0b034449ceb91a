"""Races: exactly-once claims, heartbeats against clean-up, claims against clean-up."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from nomarr.helpers.dto import Library
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence import Database

THREADS = 8


def _run_threads(count: int, target: Callable[[int], list[str]]) -> list[list[str]]:
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(target, range(count)))


def test_eight_workers_claim_ten_thousand_files_exactly_once(
    nomarr_db: Database, library: Library, make_files
) -> None:
    """Workers page through unclaimed pending files and claim them; claims are kept."""
    nomarr_db.library_files.upsert_batch(make_files(library.key_, 10_000))

    def worker(number: int) -> list[str]:
        mine: list[str] = []
        while True:
            pending = nomarr_db.library_files.get_pending_files(library.key_, 100, unclaimed_only=True)
            if not pending:
                return mine
            claims = nomarr_db.worker_claims.try_claim_many([f.key_ for f in pending], f"worker-{number}")
            mine.extend(c.file_key for c in claims)

    claimed = _run_threads(THREADS, worker)
    every = [key for keys in claimed for key in keys]
    assert len(every) == 10_000
    assert len(set(every)) == 10_000
    assert nomarr_db._collections.count("worker_claims") == 10_000
    assert sum(1 for keys in claimed if keys) > 1  # the work really was shared
    for number, keys in enumerate(claimed):
        for key in keys[:50]:
            assert nomarr_db.worker_claims.get(key).worker_id == f"worker-{number}"  # type: ignore[union-attr]


def test_concurrent_claims_of_one_file_have_one_winner(nomarr_db: Database) -> None:
    barrier = threading.Barrier(THREADS)

    def claimer(number: int) -> list[str]:
        barrier.wait()
        won = [key for key in map(str, range(50)) if nomarr_db.worker_claims.try_claim(f"f{key}", f"w{number}")]
        return won

    results = _run_threads(THREADS, claimer)
    winners = Counter(key for won in results for key in won)
    assert len(winners) == 50 and set(winners.values()) == {1}


def test_heartbeats_survive_concurrent_cleanup(nomarr_db: Database) -> None:
    for i in range(50):
        nomarr_db.health.record_heartbeat(f"stale-{i}", at_ms=1)
    stop = threading.Event()
    beats = Counter[str]()

    def beater(number: int) -> None:
        while not stop.is_set():
            nomarr_db.health.record_heartbeat(f"live-{number % 2}")
            beats[f"live-{number % 2}"] += 1

    def cleaner() -> None:
        while not stop.is_set():
            nomarr_db.health.remove_older_than(now_ms() - 60_000)

    threads = [threading.Thread(target=beater, args=(n,)) for n in range(4)] + [threading.Thread(target=cleaner)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    stop.set()
    for thread in threads:
        thread.join()
    components = {h.component: h for h in nomarr_db.health.list_components()}
    assert set(components) == {"live-0", "live-1"}
    assert {name: h.beats for name, h in components.items()} == dict(beats)


def test_claim_cleanup_never_removes_fresh_claims(nomarr_db: Database) -> None:
    keys = [f"file-{i}" for i in range(100)]
    nomarr_db.worker_claims.try_claim_many(keys, "crashed-worker", claimed_at=1)
    cutoff = 2
    stop = threading.Event()

    def cleaner() -> None:
        while not stop.is_set():
            nomarr_db.worker_claims.remove_older_than(cutoff)

    def claimer(number: int) -> list[str]:
        won: list[str] = []
        while True:
            stale_left = nomarr_db.worker_claims.list_for_worker("crashed-worker")
            won += [c.file_key for c in nomarr_db.worker_claims.try_claim_many(keys, f"w{number}")]
            if not stale_left:
                return won

    cleaning = threading.Thread(target=cleaner)
    cleaning.start()
    try:
        results = _run_threads(4, claimer)
    finally:
        stop.set()
        cleaning.join()
    winners = Counter(key for won in results for key in won)
    assert set(winners) == set(keys) and set(winners.values()) == {1}
    for number, won in enumerate(results):
        for key in won:
            assert nomarr_db.worker_claims.get(key).worker_id == f"w{number}"  # type: ignore[union-attr]
