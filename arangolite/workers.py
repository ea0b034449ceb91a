"""``arangolite serve --workers N``: N processes serving one port, each with its own engine on
the same data directory (which orders their commits, see docs/storage.md "Several processes").

The parent binds the public socket and one private loopback socket per worker, then forks the
workers: all accept on the public socket; each serves its private one to the others, which
forward it the requests for its cursors, stream transactions, async jobs and running queries
(:mod:`arangolite.worker_routes`, :mod:`arangolite.worker_peers`). The parent only watches: a
worker that dies is reported and started again (its cursors, transactions and jobs are gone);
SIGTERM or SIGINT stops every worker the way one server stops (running requests finish, the
data directory is closed) and the parent exits when they have.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

from arangolite import ids
from arangolite.rest.auth import Guard
from arangolite.server import ArangoliteServer, ServerLimits
from arangolite.storage.engine import open_engine
from arangolite.worker_balance import Balance
from arangolite.worker_peers import Peers

__all__ = ["Plan", "supervise"]

_log = logging.getLogger("arangolite.server")
_QUICK_DEATH = 5.0  # seconds: a worker dying sooner after its start counts towards giving up
_GIVE_UP = 5  # quick deaths in a row
_SIGNALS = {signal.SIGTERM, signal.SIGINT}
_PARENT_POLL = 1.0  # seconds between checks that the parent is still there


@dataclass(frozen=True)
class Plan:
    """What every worker serves and how."""

    count: int
    data: str
    limits: ServerLimits
    secret: str | None  # None: no authentication


def supervise(plan: Plan, listener: socket.socket) -> int:
    """Run ``plan.count`` workers on ``listener`` until SIGTERM/SIGINT; the exit status."""
    privates = [socket.create_server(("127.0.0.1", 0)) for _ in range(plan.count)]
    ports = [s.getsockname()[1] for s in privates]
    context = multiprocessing.get_context("fork")
    counts = context.RawArray("i", plan.count)  # open connections per worker, shared
    stopping = threading.Event()

    def start(index: int) -> Any:
        proc = context.Process(
            target=_worker, args=(plan, index, listener, privates[index], ports, counts),
            name=f"arangolite-worker-{index}", daemon=False,
        )
        # Until the worker has its own handlers, a SIGTERM waits (the parent's would be lost).
        signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
        try:
            proc.start()
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
        return proc

    def stop(signum: int, frame: Any) -> None:
        del signum, frame
        stopping.set()

    signal.signal(signal.SIGTERM, stop)  # before the first fork: a signal while starting stops
    signal.signal(signal.SIGINT, stop)  # the workers too (each sets its own handlers)
    procs = [start(i) for i in range(plan.count)]
    started = [time.monotonic()] * plan.count
    host, port = listener.getsockname()[:2]
    _log.info("arangolite listening on http://%s:%d (%d workers)", host, port, plan.count)
    quick = 0
    status = 0
    while not stopping.is_set():
        multiprocessing.connection.wait([p.sentinel for p in procs], timeout=0.5)
        for index, proc in enumerate(procs):
            if proc.is_alive() or stopping.is_set():
                continue
            proc.join()
            _log.error("arangolite worker %d (pid %s) exited with status %s; starting it again",
                       index, proc.pid, proc.exitcode)
            quick = quick + 1 if time.monotonic() - started[index] < _QUICK_DEATH else 0
            if quick >= _GIVE_UP:
                _log.error("arangolite: workers keep dying at start; stopping")
                stopping.set()
                status = 1
                break
            procs[index] = start(index)
            started[index] = time.monotonic()
    for proc in procs:
        if proc.is_alive():
            proc.terminate()  # SIGTERM: the worker stops as one server does
    for proc in procs:
        proc.join()
        if proc.exitcode != 0:
            status = 1
    listener.close()
    for sock in privates:
        sock.close()
    _log.info("arangolite stopped; data closed")
    return status


def _watch_parent(parent: int, stop: Any) -> None:
    """Stop this worker as SIGTERM would when the parent is gone (killed with SIGKILL)."""
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL)
    _log.error("arangolite worker %d: the parent process is gone; stopping", ids.index())
    stop(signal.SIGTERM, None)


def _worker(plan: Plan, index: int, listener: socket.socket, private: socket.socket,
            ports: list[int], counts: Any) -> None:
    """One worker process: serve the public and the private socket until SIGTERM/SIGINT."""
    early = threading.Event()

    def stop_early(signum: int, frame: Any) -> None:
        del signum, frame
        early.set()

    signal.signal(signal.SIGTERM, stop_early)
    signal.signal(signal.SIGINT, stop_early)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
    ids.configure(index, plan.count)
    engine = open_engine(plan.data)
    guard = None
    if plan.secret is not None:
        guard = Guard(engine, plan.secret)
        guard.catch_up_first = True  # users changed by other workers count at once
    peers = Peers("127.0.0.1", ports, index)
    balance = Balance(counts, index)
    servers = [
        ArangoliteServer(0, engine, limits=plan.limits, authenticate=guard, sock=sock, peers=peers,
                         balance=spread)
        for sock, spread in ((listener, balance), (private, None))
    ]

    def stop(signum: int, frame: Any) -> None:
        del signum, frame
        threading.Thread(target=servers[0].shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if early.is_set():
        stop(signal.SIGTERM, None)
    threading.Thread(target=_watch_parent, args=(os.getppid(), stop), daemon=True,
                     name="arangolite-parent-watch").start()
    inner = threading.Thread(target=servers[1].serve_forever, name="arangolite-peers", daemon=True)
    inner.start()
    try:
        servers[0].serve_forever()
    finally:
        servers[0].server_close()
        servers[0].drain()  # running requests finish; they may still ask the other workers
        servers[1].shutdown()
        servers[1].server_close()
        servers[1].drain()
        with engine.lock:
            engine.close()
