"""Point reads while a slow query runs, against the same reads with none running (a script).

    python bench/bench_lockfree.py [--seconds 3] [--docs 1000] [--aql]

For the in-memory store and a data directory: a loopback server runs in this process; one
python-arango client reads random documents (``GET /_api/document``) for ``--seconds`` with
nothing else running (the baseline), then for ``--seconds`` while another client runs a
CPU-bound query (``FOR i IN 1..1e12 FILTER i < 0 RETURN i``, ended by its ``maxRuntime``).
Printed: reads/s of both and their ratio. Reads served under the engine lock would complete
none while the query runs (ratio 0); reads served without it share the CPU (and the GIL) with
the query. Also printed: ``dispatch`` of one cached point read in process, 20,000 times, with the
lock-free variant and with it switched off (the locked path), and their ratio.

With ``--aql`` the reads are read-only AQL queries instead (``FOR d IN docs FILTER d._key == @k
RETURN d``, ``POST /_api/cursor``), which on a data directory run on a snapshot of their own
without the engine lock (in memory they keep it: ratio 0 while the slow query runs).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import tempfile
import threading
import time

from arango import ArangoClient
from arango.exceptions import AQLQueryExecuteError

from arangolite.rest.router import default_router, dispatch, make_request
from arangolite.server import serve
from arangolite.storage.engine import Engine

SLOW = "FOR i IN 1..1e12 FILTER i < 0 RETURN i"
READ = "FOR d IN docs FILTER d._key == @k RETURN d"


def _reads(db: object, docs: int, seconds: float, aql: bool = False) -> float:
    coll = db.collection("docs")  # type: ignore[attr-defined]
    rng = random.Random(1)
    done, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        key = str(rng.randrange(docs))
        if aql:
            list(db.aql.execute(READ, bind_vars={"k": key}))  # type: ignore[attr-defined]
        else:
            coll.get(key)
        done += 1
    return done / seconds


def loopback(path: str | None, docs: int, seconds: float, aql: bool = False) -> tuple[float, float]:
    srv = serve(0, path)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{srv.server_address[1]}"
        db = ArangoClient(hosts=url).db("_system")
        db.create_collection("docs").import_bulk([{"_key": str(i), "n": i} for i in range(docs)])
        idle = _reads(db, docs, seconds, aql)
        slow_db = ArangoClient(hosts=url).db("_system")

        def run_slow() -> None:
            with contextlib.suppress(AQLQueryExecuteError):
                list(slow_db.aql.execute(SLOW, max_runtime=seconds + 2))

        slow = threading.Thread(target=run_slow, daemon=True)
        slow.start()
        while not [q for q in db.aql.queries() if q["query"] == SLOW]:
            time.sleep(0.01)
        busy = _reads(db, docs, seconds, aql)
        running = [q["id"] for q in db.aql.queries() if q["query"] == SLOW]
        for query_id in running:
            db.aql.kill(query_id)
        slow.join()
        if not running:
            print("  (the slow query ended before the reads did: the figure is not valid)")
        return idle, busy
    finally:
        srv.shutdown()
        srv.server_close()
        srv.engine.close()


def in_process(path: str | None, n: int = 20000, aql: bool = False) -> tuple[float, float]:
    engine = Engine(path)
    try:
        db = engine.database("_system")
        db.create_collection("c")
        trx = db.begin(write=["c"])
        trx.collection("c").insert({"_key": "k", "v": list(range(20))})
        trx.commit()
        router = default_router()
        request = make_request("GET", "/_api/document/c/k")
        if aql:
            request = make_request("POST", "/_api/cursor", body=json.dumps(
                {"query": "FOR d IN c FILTER d._key == @k RETURN d", "bindVars": {"k": "k"}}
            ))
        saved = dict(router.unlocked)

        def rate() -> float:
            start = time.perf_counter()
            for _ in range(n):
                dispatch(engine, router, request)
            return n / (time.perf_counter() - start)

        best = {"locked": 0.0, "unlocked": 0.0}
        try:
            for _ in range(3):
                router.unlocked.clear()
                best["locked"] = max(best["locked"], rate())
                router.unlocked.update(saved)
                best["unlocked"] = max(best["unlocked"], rate())
        finally:
            router.unlocked.update(saved)
        return best["locked"], best["unlocked"]
    finally:
        engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--aql", action="store_true", help="read-only AQL queries, not GETs")
    args = parser.parse_args()
    what = "read-only queries" if args.aql else "point reads"
    n = 2000 if args.aql else 20000
    for store in ("memory", "disk"):
        with tempfile.TemporaryDirectory() as tmp:
            path = None if store == "memory" else tmp
            idle, busy = loopback(path, args.docs, args.seconds, args.aql)
            print(f"{store}: loopback {what} {idle:,.0f}/s idle, {busy:,.0f}/s while a slow"
                  f" query runs (ratio {busy / idle:.2f})")
        if args.aql and store == "memory":
            print("memory: in-process queries keep the engine lock: no lock-free path to compare")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            locked, unlocked = in_process(None if store == "memory" else tmp, n, args.aql)
            print(f"{store}: in-process {what} {locked:,.0f}/s locked path,"
                  f" {unlocked:,.0f}/s without the lock (ratio {unlocked / locked:.2f})")


if __name__ == "__main__":
    main()
