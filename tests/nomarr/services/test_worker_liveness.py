"""Worker verdicts and the release of a dead worker's claims."""

from __future__ import annotations

from nomarr.helpers.dto import Library
from nomarr.persistence import Database
from nomarr.services.worker_liveness import release_dead_workers, worker_states


def _beat(db: Database, worker: str, at: int, state: str = "working") -> None:
    db.health.record_heartbeat(worker, at, {"kind": "worker", "state": state})


def test_dead_worker_claims_return_to_the_queue(nomarr_db: Database, library: Library, make_files) -> None:
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 4)).new_keys
    _beat(nomarr_db, "w-dead", 1_000)
    _beat(nomarr_db, "w-alive", 9_500)
    _beat(nomarr_db, "w-stopped", 1_000, state="stopped")
    nomarr_db.health.record_heartbeat("scanner", 1_000, {"kind": "scanner"})
    nomarr_db.worker_claims.try_claim_many(keys[:2], "w-dead")
    nomarr_db.worker_claims.try_claim(keys[2], "w-alive")

    def clock() -> int:
        return 10_000

    states = {s.worker_id: (s.verdict, s.claims) for s in worker_states(nomarr_db, 5, clock)}
    assert states == {"w-alive": ("alive", 1), "w-dead": ("dead", 2), "w-stopped": ("stopped", 0)}
    report = release_dead_workers(nomarr_db, 5, clock)
    assert (report.workers, report.claims) == (("w-dead",), 2)
    assert nomarr_db.worker_claims.list_for_worker("w-dead") == []
    assert len(nomarr_db.library_files.get_pending_files(library.key_, 10, unclaimed_only=True)) == 3
    dead = next(s for s in worker_states(nomarr_db, 5, lambda: 10_000) if s.worker_id == "w-dead")
    assert (dead.verdict, dead.last_heartbeat_ms) == ("dead", 1_000)  # verdict kept, time unchanged
    assert release_dead_workers(nomarr_db, 5, clock).claims == 0
