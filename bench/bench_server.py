"""``arangolite serve`` over loopback against the same work in process (a script, not a test).

    python bench/bench_server.py [--ops 2000] [--clients 1 4 16] [--docs 10000]

One server process (``arangolite serve``, in memory, no authentication) is started; a collection
of ``--docs`` documents is loaded. For each number of client processes, each client runs its
share of ``--ops`` requests through python-arango:

- ``point read``: ``GET /_api/document`` of a random key;
- ``batch insert``: ``POST /_api/document`` with 100 new documents;
- ``cursor``: ``FOR d IN docs FILTER d.n >= @lo LIMIT 100 RETURN d`` (one 100-row batch).

The baseline is the same work in this process on an in-memory engine (python-arango on
``arangolite.connect()``, one thread). Printed: requests/s per kind and client count, and the ratio
to the in-process rate of the same run.

    python bench/bench_server.py --workers 1 2 [--ops ...] [--clients ...] [--docs ...]

compares worker processes instead (``arangolite serve --workers N``): one server per value, each
on a fresh data directory (several workers need one), loaded the same way and all running at
once; each cell is measured ``--rounds`` times (default 3) alternating the servers, the best
kept; the ratio is to the first value's rate for the same work and client count, same run.

``--raw``: the clients send the same requests over ``http.client`` (one kept-alive connection
each) instead of python-arango, which costs several times the server's CPU per request; on a
machine with two cores, python-arango clients take the cores a second worker would use.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

from arango import ArangoClient
from arango.database import StandardDatabase

from arangolite import connect

BATCH = 100
QUERY = "FOR d IN docs FILTER d.n >= @lo LIMIT 100 RETURN d"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _load(db: StandardDatabase, docs: int) -> None:
    col = db.create_collection("docs")
    for start in range(0, docs, 1000):
        col.insert_many([{"_key": str(i), "n": i} for i in range(start, min(docs, start + 1000))])
    col.add_index({"type": "persistent", "fields": ["n"]})


def _work(kind: str, db: StandardDatabase, ops: int, docs: int, seed: int) -> None:
    rng = random.Random(seed)
    col = db.collection("docs")
    for _ in range(ops):
        if kind == "point read":
            col.get(str(rng.randrange(docs)))
        elif kind == "batch insert":
            col.insert_many([{"n": -1, "tag": uuid.uuid4().hex} for _ in range(BATCH)])
        else:
            list(db.aql.execute(QUERY, bind_vars={"lo": rng.randrange(docs)}, batch_size=BATCH))


def _work_raw(conn: http.client.HTTPConnection, kind: str, ops: int, docs: int, seed: int) -> None:
    """The same requests on one kept-alive ``http.client`` connection: a client that costs far
    less CPU per request than python-arango, so the server, not the clients, is what is busy."""
    rng = random.Random(seed)
    headers = {"content-type": "application/json"}
    for _ in range(ops):
        if kind == "point read":
            conn.request("GET", f"/_db/_system/_api/document/docs/{rng.randrange(docs)}")
        elif kind == "batch insert":
            body = json.dumps([{"n": -1, "tag": uuid.uuid4().hex} for _ in range(BATCH)])
            conn.request("POST", "/_db/_system/_api/document/docs", body, headers)
        else:
            body = json.dumps({"query": QUERY, "bindVars": {"lo": rng.randrange(docs)},
                               "batchSize": BATCH})
            conn.request("POST", "/_db/_system/_api/cursor", body, headers)
        answer = conn.getresponse()
        payload = answer.read()
        if answer.status >= 300:
            raise SystemExit(f"{kind}: HTTP {answer.status} {payload[:200]!r}")


def _client(url: str, kind: str, ops: int, docs: int, seed: int, start: Any, raw: bool) -> None:
    if raw:
        parts = urlsplit(url)
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port)
        conn.request("GET", "/_api/version")  # connect before the clock starts
        conn.getresponse().read()
        start.wait()
        _work_raw(conn, kind, ops, docs, seed)
        conn.close()
        return
    db = ArangoClient(hosts=url).db("_system")
    db.version()  # connect before the clock starts
    start.wait()
    _work(kind, db, ops, docs, seed)


def _over_server(url: str, kind: str, clients: int, ops: int, docs: int, raw: bool = False) -> float:
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(clients + 1)
    procs = [
        ctx.Process(target=_client, args=(url, kind, ops // clients, docs, seed, start, raw))
        for seed in range(clients)
    ]
    for proc in procs:
        proc.start()
    start.wait()
    began = time.perf_counter()
    for proc in procs:
        proc.join()
    if any(proc.exitcode for proc in procs):
        raise SystemExit(f"a {kind} client failed")
    return (ops // clients) * clients / (time.perf_counter() - began)


def _in_process(kind: str, ops: int, docs: int) -> float:
    db = connect()
    _load(db, docs)
    began = time.perf_counter()
    _work(kind, db, ops, docs, 0)
    return ops / (time.perf_counter() - began)


def _wait_ready(url: str, proc: subprocess.Popen[bytes]) -> StandardDatabase:
    db = ArangoClient(hosts=url).db("_system")
    for _ in range(200):
        if proc.poll() is not None:
            raise SystemExit("arangolite serve exited")
        try:
            db.version()
            return db
        except Exception:
            time.sleep(0.05)
    raise SystemExit("arangolite serve did not answer")


def _ops(kind: str, args: argparse.Namespace) -> int:
    return args.ops if kind != "batch insert" else max(args.ops // 10, max(args.clients))


def _compare_workers(args: argparse.Namespace) -> None:
    """One server per ``--workers`` value, each on its own data directory, all up at once; every
    measurement is taken ``--rounds`` times, alternating the servers (so a change in the
    machine's load hits them alike), and the best kept; ratios to the first value."""
    rates: dict[tuple[str, int, int], float] = {}
    with contextlib.ExitStack() as stack:
        urls: dict[int, str] = {}
        for workers in args.workers:
            data = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-workers-"))
            port = _free_port()
            urls[workers] = f"http://127.0.0.1:{port}"
            cmd = [sys.executable, "-m", "arangolite", "serve", "--port", str(port),
                   "--data", data, "--workers", str(workers)]
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            stack.callback(proc.wait, 60)
            stack.callback(proc.terminate)
            _load(_wait_ready(urls[workers], proc), args.docs)
        for kind in args.kinds:
            for clients in args.clients:
                for _ in range(args.rounds):
                    for workers, url in urls.items():
                        rate = _over_server(url, kind, clients, _ops(kind, args), args.docs,
                                            args.raw)
                        key = (kind, clients, workers)
                        rates[key] = max(rates.get(key, 0.0), rate)
    first = args.workers[0]
    print(f"{'kind':<13} {'clients':>7} " + " ".join(f"{f'{w} worker(s)':>16}" for w in args.workers))
    for kind in args.kinds:
        for clients in args.clients:
            base = rates[kind, clients, first]
            cells = [f"{rates[kind, clients, w]:>7.0f} ({rates[kind, clients, w] / base:.2f})"
                     for w in args.workers]
            print(f"{kind:<13} {clients:>7} " + " ".join(f"{c:>16}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=2000, help="requests per kind and client count")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--kinds", nargs="+", default=["point read", "batch insert", "cursor"])
    parser.add_argument("--workers", type=int, nargs="+", default=None,
                        help="compare these worker counts (on disk) instead of in process")
    parser.add_argument("--rounds", type=int, default=3,
                        help="with --workers: measurements per cell, best kept (default 3)")
    parser.add_argument("--raw", action="store_true",
                        help="clients send the same requests over http.client (one kept-alive "
                             "connection each) instead of python-arango: far less client CPU, so "
                             "on a machine with few cores the server is what is measured")
    args = parser.parse_args()
    if args.workers:
        _compare_workers(args)
        return

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "arangolite", "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _load(_wait_ready(url, proc), args.docs)
        print(f"{'kind':<13} {'where':<18} {'req/s':>9} {'ratio':>7}")
        for kind in args.kinds:
            ops = _ops(kind, args)
            base = _in_process(kind, ops, args.docs)
            print(f"{kind:<13} {'in process':<18} {base:>9.0f} {1.0:>7.2f}")
            for clients in args.clients:
                rate = _over_server(url, kind, clients, ops, args.docs, args.raw)
                where = f"{clients} client{'s' if clients > 1 else ''}"
                print(f"{kind:<13} {where:<18} {rate:>9.0f} {rate / base:>7.2f}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
