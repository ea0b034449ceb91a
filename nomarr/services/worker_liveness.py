"""Which workers are alive, and giving a dead worker's claims back to the queue.

Persistence stores facts (heartbeats, claims); the verdict is decided here, through
:class:`~nomarr.services.health.HealthService`, with a staleness threshold the caller chooses
(``--stale-after`` / ``NOMARR_STALE_AFTER``):

- ``alive``: its last heartbeat is younger than the threshold;
- ``stopped``: it said goodbye (its last heartbeat carries ``state: stopped``);
- ``dead``: its process is provably gone (same host, pid no longer running: see
  :mod:`nomarr.components.process_probe`), or it is silent for longer than the threshold
  without saying goodbye. Its claims are released at once: the files are still ``pending``, so
  other workers pick them up.

Housekeeping: a stopped worker's row, and a dead worker's row once its claims are released and
its process is provably gone, are removed (they would otherwise pile up); rows of workers silent
for :data:`FORGET_AFTER_MS` are forgotten too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nomarr.components.process_probe import provably_gone
from nomarr.helpers.time_helper import now_ms
from nomarr.persistence import Database
from nomarr.services.health import HealthService

__all__ = [
    "ALIVE",
    "DEAD",
    "FORGET_AFTER_MS",
    "STOPPED",
    "WORKER_KIND",
    "ReleaseReport",
    "WorkerState",
    "release_dead_workers",
    "worker_states",
]

WORKER_KIND = "worker"
ALIVE, STOPPED, DEAD = "alive", "stopped", "dead"
FORGET_AFTER_MS = 24 * 3600 * 1000
"""Heartbeats of workers silent for this long (beyond the threshold) are forgotten."""


@dataclass(frozen=True, slots=True)
class WorkerState:
    """One worker as the health service sees it.

    Attributes:
        worker_id: the worker's id.
        last_heartbeat_ms: when it last reported.
        age_s: seconds since then.
        verdict: ``alive``, ``stopped`` or ``dead``.
        claims: files it holds claims on.
        info: what it reported with its last heartbeat (host, pid, state, tagged...).
    """

    worker_id: str
    last_heartbeat_ms: int
    age_s: float
    verdict: str
    claims: int
    info: dict[str, Any] = field(default_factory=dict)


def worker_states(db: Database, stale_after_s: float, clock: Callable[[], int] = now_ms) -> list[WorkerState]:
    """Return every worker that has reported, with its verdict and claim count."""
    health = HealthService(db, timeout_ms=int(stale_after_s * 1000), clock=clock)
    verdicts = {h.component: h for h in health.report()}
    states = []
    for beat in db.health.list_components():
        judged = verdicts.get(beat.component)
        if beat.info.get("kind") != WORKER_KIND or judged is None:
            continue
        verdict = _verdict(beat.info.get("state"), judged.alive and not provably_gone(beat.info))
        claims = len(db.worker_claims.list_for_worker(beat.component))
        states.append(WorkerState(beat.component, beat.last_heartbeat_ms, judged.age_ms / 1000, verdict, claims, beat.info))
    return states


def _verdict(reported_state: object, recent: bool) -> str:
    if reported_state in (STOPPED, DEAD):
        return str(reported_state)
    return ALIVE if recent else DEAD


@dataclass(frozen=True, slots=True)
class ReleaseReport:
    """What :func:`release_dead_workers` did.

    Attributes:
        workers: ids of dead workers whose claims were released.
        claims: claims released.
        forgotten: heartbeat records removed: stopped workers, provably dead ones whose claims
            were released, and any silent for :data:`FORGET_AFTER_MS`.
    """

    workers: tuple[str, ...] = ()
    claims: int = 0
    forgotten: int = 0


def release_dead_workers(
    db: Database, stale_after_s: float, clock: Callable[[], int] = now_ms, *, keep: frozenset[str] = frozenset()
) -> ReleaseReport:
    """Release the claims of dead workers (their files go back to the queue), prune old rows.

    Args:
        db: the database.
        stale_after_s: heartbeat silence after which a worker counts as dead.
        clock: the current time in ms.
        keep: worker ids whose rows are never pruned (the caller's own workers).
    """
    released: list[str] = []
    count = 0
    pruned = 0
    for state in worker_states(db, stale_after_s, clock):
        if state.verdict == DEAD and state.claims:
            keys = [claim.file_key for claim in db.worker_claims.list_for_worker(state.worker_id)]
            count += db.worker_claims.release_many(keys, state.worker_id)
            released.append(state.worker_id)
            # keep its last heartbeat time; record the verdict so status shows it dead from now on
            db.health.record_heartbeat(state.worker_id, state.last_heartbeat_ms, {**state.info, "state": DEAD})
        elif state.worker_id not in keep and _prunable(state):
            pruned += int(db.health.remove(state.worker_id))
    health = HealthService(db, timeout_ms=int(stale_after_s * 1000), clock=clock)
    forgotten = health.forget_dead(grace_ms=FORGET_AFTER_MS)
    return ReleaseReport(tuple(released), count, forgotten + pruned)


def _prunable(state: WorkerState) -> bool:
    """A row that tells nothing more: stopped, or dead without claims and provably gone."""
    if state.claims:
        return False
    return state.verdict == STOPPED or (state.verdict == DEAD and provably_gone(state.info))
