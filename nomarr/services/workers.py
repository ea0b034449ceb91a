"""The worker pool of ``nomarr work``: threads that claim pending files and tag them.

::

    pool = WorkerPool(db, WorkerOptions(workers=3, once=True))
    pool.start()
    report = pool.join()          # or pool.stop() first, e.g. on Ctrl-C

Each worker loops over the libraries, claiming a few pending files at a time
(:func:`~nomarr.workflows.claim_and_tag.claim_and_tag`); claims make every file go to exactly
one worker. One heartbeat thread per pool reports every worker's liveness and, on each beat,
releases the claims of workers found dead (:mod:`.worker_liveness`). Stopping is cooperative:
a worker finishes the file in hand, releases the rest of its claims and says goodbye.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nomarr.components.process_probe import process_identity
from nomarr.components.timing import PhaseTimer
from nomarr.helpers.dto import Library
from nomarr.persistence import Database
from nomarr.services.health import HealthService
from nomarr.services.worker_liveness import (
    STOPPED,
    WORKER_KIND,
    release_dead_workers,
    worker_states,
)
from nomarr.workflows.claim_and_tag import StepResult, claim_and_tag
from nomarr.workflows.embedded_tags import embedded_tagger
from nomarr.workflows.tag_jobs import settle_tag_jobs

__all__ = ["PoolReport", "WorkerOptions", "WorkerPool", "new_worker_ids"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    """How the pool works.

    Attributes:
        workers: number of worker threads.
        once: process what is queued, then stop (else poll until stopped).
        poll_s: seconds between polls when nothing is queued.
        batch_size: files a worker claims at once.
        stale_after_s: heartbeat silence after which a worker counts as dead.
        tag_delay_s: test hook: wait this long, holding the claim, before reading each file.
    """

    workers: int = 1
    once: bool = False
    poll_s: float = 2.0
    batch_size: int = 32
    stale_after_s: float = 30.0
    tag_delay_s: float = 0.0

    @property
    def heartbeat_s(self) -> float:
        """Seconds between heartbeats: a third of the staleness threshold, at most 5."""
        return max(0.05, min(5.0, self.stale_after_s / 3))


@dataclass(slots=True)
class PoolReport:
    """What the pool did.

    Attributes:
        tagged: files tagged, per worker id.
        failed: files marked ``error`` (unreadable by then), per worker id.
        released_dead: claims of dead workers given back to the queue.
        settled_jobs: ``tag_files`` jobs completed.
        elapsed_s: wall time.
        timings: seconds per phase summed over workers (``read``: reading files; ``step``:
            whole claim-and-tag steps, so persistence is ``step - read``).
        error: the first error that stopped the pool, if any.
        claimed_elsewhere: at the end, files still claimed by workers of other processes
            (worker id to count): alive ones still working, or silent ones not yet dead.
    """

    tagged: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    released_dead: int = 0
    settled_jobs: int = 0
    elapsed_s: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    error: BaseException | None = None
    claimed_elsewhere: dict[str, int] = field(default_factory=dict)

    @property
    def total_tagged(self) -> int:
        """Files tagged by all workers."""
        return sum(self.tagged.values())

    @property
    def total_failed(self) -> int:
        """Files failed by all workers."""
        return sum(self.failed.values())


def new_worker_ids(count: int) -> list[str]:
    """Return ``count`` fresh worker ids: ``worker-<host>-<pid>-<random>-<n>``."""
    host = "".join(c if c.isalnum() or c in "-_." else "-" for c in socket.gethostname())[:40] or "host"
    run = uuid.uuid4().hex[:6]
    return [f"worker-{host}-{os.getpid()}-{run}-{n}" for n in range(1, count + 1)]


class WorkerPool:
    """Worker threads plus one heartbeat thread on a shared Database.

    Args:
        db: the database (thread-safe; shared by every thread).
        options: how to work.
        on_progress: called with ``(files tagged, files failed)`` after every step.
    """

    def __init__(
        self, db: Database, options: WorkerOptions, on_progress: Callable[[int, int], None] | None = None
    ) -> None:
        self._db = db
        self._options = options
        self._on_progress = on_progress
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._finished = threading.Condition(self._lock)
        self._running = 0  # counted by hand: Thread.is_alive() can lie after an interrupted join
        self._health = HealthService(db, timeout_ms=int(options.stale_after_s * 1000))
        self._timer = PhaseTimer()
        self._beater: threading.Thread | None = None
        self.worker_ids = new_worker_ids(options.workers)
        self._own = frozenset(self.worker_ids)
        self._identity = process_identity()
        self.report = PoolReport(tagged=dict.fromkeys(self.worker_ids, 0), failed=dict.fromkeys(self.worker_ids, 0))
        self._states = dict.fromkeys(self.worker_ids, "starting")
        self._known_tags: dict[str, set[tuple[str, str]]] = {}  # per worker: tags it stored
        self._started = 0.0

    @property
    def stopping(self) -> bool:
        """True once :meth:`stop` was called or a worker failed."""
        return self._stop.is_set()

    def start(self) -> None:
        """Say hello, release dead workers' claims, start the threads."""
        self._started = time.perf_counter()
        self._beat()
        self.report.released_dead += release_dead_workers(self._db, self._options.stale_after_s, keep=self._own).claims
        self._beater = threading.Thread(target=self._heartbeat_loop, name="nomarr-heartbeat", daemon=True)
        self._beater.start()
        for worker_id in self.worker_ids:
            thread = threading.Thread(target=self._run_worker, args=(worker_id,), name=worker_id, daemon=True)
            with self._lock:
                self._running += 1
            try:
                thread.start()
            except BaseException:
                if not thread.is_alive():  # never started: nobody will count it down
                    self._worker_done()
                raise

    def stop(self) -> None:
        """Ask every worker to finish the file in hand and stop."""
        self._stop.set()

    def wait(self, timeout_s: float) -> bool:
        """Wait up to ``timeout_s`` for the workers; return True when all have finished."""
        with self._finished:
            return self._finished.wait_for(lambda: self._running == 0, timeout_s)

    def _worker_done(self) -> None:
        with self._finished:
            self._running -= 1
            self._finished.notify_all()

    def join(self) -> PoolReport:
        """Wait for the workers, settle finished jobs, say goodbye; return the report."""
        while not self.wait(0.2):
            pass
        self._stop.set()
        if self._beater is not None:
            self._beater.join()
        if self.report.error is None:
            self.report.settled_jobs = settle_tag_jobs(self._db)
        for worker_id in self.worker_ids:  # also those a Ctrl-C during start() never started
            self._set_state(worker_id, STOPPED)
        self._beat()
        if self.report.error is None:
            self.report.claimed_elsewhere = {
                state.worker_id: state.claims
                for state in worker_states(self._db, self._options.stale_after_s)
                if state.claims and state.worker_id not in self._own
            }
        self.report.elapsed_s = time.perf_counter() - self._started
        self.report.timings = self._timer.totals()
        return self.report

    def _run_worker(self, worker_id: str) -> None:
        try:
            self._work(worker_id)
        except BaseException as exc:  # reported by join(); the other workers stop too
            _log.debug("%s failed", worker_id, exc_info=True)
            with self._lock:
                self.report.error = self.report.error or exc
            self._stop.set()
        finally:
            self._set_state(worker_id, STOPPED)
            self._worker_done()

    def _work(self, worker_id: str) -> None:
        while not self._stop.is_set():
            self._set_state(worker_id, "working")
            if self._step_all(worker_id):
                continue
            if self._options.once:
                return
            self._set_state(worker_id, "idle")
            self._stop.wait(self._options.poll_s)

    def _step_all(self, worker_id: str) -> bool:
        """Step through each library until it has no pending file left; return True if any had some.

        The libraries are listed once per round, not once per step (one query less per batch).
        """
        busy = False
        known_tags = self._known_tags.setdefault(worker_id, set())
        for library in self._db.libraries.list():
            while not self._stop.is_set():
                with self._timer.phase("step"):
                    step = self._step(library, worker_id, known_tags)
                self._record(worker_id, step)
                if step.candidates == 0:
                    break
                busy = True
        return busy

    def _step(self, library: Library, worker_id: str, known_tags: set[tuple[str, str]]) -> StepResult:
        tagger = embedded_tagger(
            Path(library.root_path), self._timer, delay_s=self._options.tag_delay_s, pause=self._stop.wait
        )
        return claim_and_tag(
            self._db,
            library.key_,
            worker_id,
            tagger,
            self._options.batch_size,
            spread=self._options.workers,
            stop=self._stop.is_set,
            known_tags=known_tags,
        )

    def _record(self, worker_id: str, step: StepResult) -> None:
        with self._lock:
            self.report.tagged[worker_id] += len(step.tagged)
            self.report.failed[worker_id] += len(step.failed)
            done, failed = self.report.total_tagged, self.report.total_failed
        if self._on_progress is not None and (step.tagged or step.failed):
            self._on_progress(done, failed)

    def _set_state(self, worker_id: str, state: str) -> None:
        with self._lock:
            self._states[worker_id] = state

    def _heartbeat_loop(self) -> None:
        while not self._stop.wait(self._options.heartbeat_s):
            try:
                self._beat()
                released = release_dead_workers(self._db, self._options.stale_after_s, keep=self._own).claims
                with self._lock:
                    self.report.released_dead += released
            except Exception as exc:  # a missed beat is not fatal; the workers report real failures
                _log.warning("heartbeat failed: %s", exc)

    def _beat(self) -> None:
        with self._lock:
            states = dict(self._states)
            tagged = dict(self.report.tagged)
        for worker_id, state in states.items():
            info = {"kind": WORKER_KIND, **self._identity, "state": state, "tagged": tagged[worker_id]}
            self._health.heartbeat(worker_id, info)
