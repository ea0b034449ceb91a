"""Point reads while a slow query runs, against the same reads with none running (a script).

    python bench/bench_lockfree.py [--seconds 3] [--docs 1000]
        [--aql | --batch | --writes | --stream | --long-steps]

For the in-memory store and a data directory: a loopback server runs in this process; one
python-arango client reads random documents (``GET /_api/document``) for ``--seconds`` with
nothing else running (the baseline), then for ``--seconds`` while another client runs a
CPU-bound query (``FOR i IN 1..1e12 FILTER i < 0 RETURN i``, ended by its ``maxRuntime``).
Printed: reads/s of both and their ratio. Reads served under the engine lock would complete
none while the query runs (ratio 0); reads served without it share the CPU (and the GIL) with
the query. Also printed: ``dispatch`` of one cached point read in process, 20,000 times, with the
lock-free variant and with it switched off (the locked path), and their ratio.

With ``--aql`` the reads are read-only AQL queries instead (``FOR d IN docs FILTER d._key == @k
RETURN d``, ``POST /_api/cursor``), which run on a snapshot of their own without the engine lock
(``storage.snapshot_read`` on disk, ``storage.memory_read`` in memory).

With ``--batch`` the reads are batch reads of 20 random documents (``get_many``, ``PUT
/_api/document/docs?onlyget=true``), and the slow query is the same loop in a query that writes
(``... INSERT {i} INTO sink``), which holds the engine lock on both stores (a read-only one runs
without it on disk, so it would hold up nothing there). The in-process figure dispatches one batch
read of those 20 documents.

With ``--writes`` the requests are inserts of one document (served under the engine lock), and the
slow query is that writing loop: it hands the lock to waiting requests between its rows
(``aql/turns.py``). The same is measured a second time with the hand-over switched off (ratio about
0: none complete until the slow query ends). The in-process figure is the cost of the safe points
themselves: a CPU-bound query (``FOR i IN 1..2e6 FILTER i < 0 RETURN i``) under the lock, with and
without them, best of 5 each.

With ``--stream`` the requests are inserts too, and the slow query is the read-only loop run inside
a stream transaction (``begin_transaction``, then the query with its ``x-arango-trx-id``): served
under the engine lock, it hands it over between rows since its request holds the transaction's
lease (``storage/stream_lease.py``). Measured again with the hand-over switched off (ratio about 0).
The in-process figure is the lease's own cost: ``dispatch`` of a point read and of an insert with
the stream transaction's id, 20,000 times each, with the lease and with it switched off, best of 4
(alternating which goes first).

With ``--long-steps`` the requests are inserts of one document too, beside another client that
runs one long single step after another: an import of 50,000 documents (``import_bulk``, each
into a new collection), the same as an array of documents (``insert_many``), a query that writes
after a SORT of 12,000 rows on slowly compared keys, one that writes after a traversal that
searches 2^16 paths before its first row, and one that writes after a COLLECT of 100,000 rows
whose group values (an array of 20 objects) take a while to hash, and, not in the default set,
(``index``) the build of a persistent index on a collection of 200,000 documents, then its
drop, and (``first_read``) a fulltext index made on such a collection (each document a text of
two words), a ``FULLTEXT`` query (on disk the index is built at that first read; in memory when
it is made), then its drop (``--steps`` picks some).
Printed per step and store: inserts/s idle and beside it, their ratio, and how many long steps
completed meanwhile. The mode uses no new API, so it runs against another checkout's code for an
A/B comparison: ``PYTHONPATH=<checkout> python bench/bench_lockfree.py ...`` (run as a script,
``PYTHONPATH`` comes before the editable install's import hook; a check with ``python -c`` from
this repository's root does not show it, as ``-c`` puts the current directory first).
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

from arangolite.aql import turns
from arangolite.rest import router as router_module
from arangolite.rest.resources import default_router
from arangolite.rest.router import dispatch, make_request
from arangolite.server import serve
from arangolite.storage.engine import Engine

SLOW = "FOR i IN 1..1e12 FILTER i < 0 RETURN i"
SLOW_WRITE = "FOR i IN 1..1e12 FILTER i < 0 INSERT {i} INTO sink"
READ = "FOR d IN docs FILTER d._key == @k RETURN d"
BATCH = 20


def _reads(db: object, docs: int, seconds: float, mode: str = "get") -> float:
    coll = db.collection("docs")  # type: ignore[attr-defined]
    rng = random.Random(1)
    done, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        key = str(rng.randrange(docs))
        if mode == "aql":
            list(db.aql.execute(READ, bind_vars={"k": key}))  # type: ignore[attr-defined]
        elif mode == "batch":
            found = coll.get_many([str(rng.randrange(docs)) for _ in range(BATCH)])
            assert len(found) == BATCH
        elif mode == "writes":
            coll.insert({"n": done})
        else:
            coll.get(key)
        done += 1
    return done / seconds


def loopback(
    path: str | None, docs: int, seconds: float, mode: str = "get", blocked: bool = False,
    stream: bool = False,
) -> tuple[float, float]:
    """Requests/s idle and while the slow query runs (``blocked``: they are expected to wait
    for it, and the slow query to end first; ``stream``: it runs in a stream transaction)."""
    srv = serve(0, path)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{srv.server_address[1]}"
        db = ArangoClient(hosts=url).db("_system")
        db.create_collection("docs").import_bulk([{"_key": str(i), "n": i} for i in range(docs)])
        db.create_collection("sink")
        idle = _reads(db, docs, seconds, mode)
        slow_db = ArangoClient(hosts=url).db("_system")
        slow_query = SLOW_WRITE if mode in ("batch", "writes") and not stream else SLOW
        slow_trx = slow_db.begin_transaction(read=["docs"]) if stream else None

        def run_slow() -> None:
            with contextlib.suppress(AQLQueryExecuteError):
                runner = slow_trx if slow_trx is not None else slow_db
                list(runner.aql.execute(slow_query, max_runtime=seconds + 2))

        slow = threading.Thread(target=run_slow, daemon=True)
        slow.start()
        while not [q for q in db.aql.queries() if q["query"] == slow_query]:
            time.sleep(0.01)
        busy = _reads(db, docs, seconds, mode)
        running = [q["id"] for q in db.aql.queries() if q["query"] == slow_query]
        for query_id in running:
            db.aql.kill(query_id)
        slow.join()
        if slow_trx is not None:
            slow_trx.abort_transaction()
        if not running and not blocked:
            print("  (the slow query ended before the reads did: the figure is not valid)")
        return idle, busy
    finally:
        srv.shutdown()
        srv.server_close()
        srv.engine.close()


def safe_points_cost(path: str | None) -> tuple[float, float]:
    """Seconds of a CPU-bound query under the engine lock without and with its safe points."""
    engine = Engine(path)
    saved = turns.turns_under
    try:
        request = make_request("POST", "/_api/cursor", body=json.dumps(
            {"query": "FOR i IN 1..2e6 FILTER i < 0 RETURN i"}
        ))
        best = {"without": float("inf"), "with": float("inf")}
        for _ in range(5):
            for side in ("without", "with"):
                turns.turns_under = saved if side == "with" else (lambda lock, stream=None: turns.no_turns)
                with engine.lock:  # served under the lock, as a query that writes is
                    start = time.perf_counter()
                    response = dispatch(engine, default_router(), request)
                    best[side] = min(best[side], time.perf_counter() - start)
                assert response.status == 201, response.status
        return best["without"], best["with"]
    finally:
        turns.turns_under = saved
        engine.close()


@contextlib.contextmanager
def hand_over_off() -> object:
    """Queries keep the engine lock for their whole run (no safe points)."""
    saved = turns.turns_under
    turns.turns_under = lambda lock, stream=None: turns.no_turns
    try:
        yield
    finally:
        turns.turns_under = saved


def in_process(path: str | None, n: int = 20000, mode: str = "get") -> tuple[float, float]:
    router_module.LOCK_PATIENCE = 0.0  # a free lock must not send the lock-free side to the other
    engine = Engine(path)
    try:
        db = engine.database("_system")
        db.create_collection("c")
        trx = db.begin(write=["c"])
        trx.collection("c").insert({"_key": "k", "v": list(range(20))})
        for i in range(BATCH):
            trx.collection("c").insert({"_key": f"b{i}", "v": list(range(20))})
        trx.commit()
        router = default_router()
        request = make_request("GET", "/_api/document/c/k")
        if mode == "batch":
            request = make_request(
                "PUT", "/_api/document/c", params={"onlyget": "true"},
                body=json.dumps([f"b{i}" for i in range(BATCH)]),
            )
        if mode == "aql":
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


def lease_cost(n: int = 20000) -> dict[str, tuple[float, float]]:
    """Requests/s of a point read and an insert inside a stream transaction, dispatched in
    process, without and with the lease (best of 4 each)."""
    from arangolite.rest import leases

    engine = Engine(None)
    saved = leases.take
    try:
        db = engine.database("_system")
        db.create_collection("c")
        router = default_router()
        begun = dispatch(engine, router, make_request(
            "POST", "/_api/transaction/begin", body=json.dumps({"collections": {"write": ["c"]}})
        ))
        tid = begun.body["result"]["id"]  # type: ignore[index]
        header = {"x-arango-trx-id": tid}
        dispatch(engine, router, make_request(
            "POST", "/_api/document/c", headers=header, body=json.dumps({"_key": "k"})
        ))
        requests = {
            "point read": lambda i: make_request("GET", "/_api/document/c/k", headers=header),
            "insert": lambda i: make_request(
                "POST", "/_api/document/c", headers=header, body=json.dumps({"n": i})
            ),
        }
        best: dict[str, tuple[float, float]] = {}
        for name, build in requests.items():
            rates = {"off": 0.0, "on": 0.0}
            for round_ in range(4):  # alternating which side goes first (the overlay grows)
                for side in ("off", "on") if round_ % 2 == 0 else ("on", "off"):
                    leases.take = saved if side == "on" else (lambda engine, request: None)
                    batch = [build(i) for i in range(n)]
                    start = time.perf_counter()
                    for request in batch:
                        dispatch(engine, router, request)
                    rates[side] = max(rates[side], n / (time.perf_counter() - start))
            best[name] = (rates["off"], rates["on"])
        return best
    finally:
        leases.take = saved
        engine.close()


LONG_DOCS = 50_000
SORT_STEP = (
    "LET strs = (FOR j IN 0..96 RETURN CONCAT(@prefix, j)) "
    "LET s = (FOR i IN 1..12000 SORT strs[(i * 7919) % 97] RETURN i) "
    "INSERT {n: LENGTH(s)} INTO sink"
)
SEARCH_STEP = (
    "FOR v IN 40..40 OUTBOUND 'nodes/a0' edges OPTIONS {uniqueVertices: 'none'} "
    "INSERT {v: v._key} INTO sink"
)
COLLECT_STEP = (
    "LET big = (FOR j IN 1..20 RETURN {a: j}) "
    "FOR i IN 1..100000 COLLECT g = [i % 10, big] INTO members = i "
    "INSERT {g: g[0], n: LENGTH(members)} INTO sink"
)
LAYERS = 17
INDEX_DOCS = 200_000
FIRST_READ = "FOR d IN FULLTEXT(big, 't', 'w7') LIMIT 1 RETURN d._key"


def _long_step(db: object, kind: str, n: int) -> None:
    """One long single step of ``kind`` (the ``n``-th)."""
    if kind in ("import", "insert_many"):
        coll = db.create_collection(f"bulk{n}")  # type: ignore[attr-defined]
        docs = [{"_key": str(i), "n": i} for i in range(LONG_DOCS)]
        if kind == "import":
            coll.import_bulk(docs)
        else:
            coll.insert_many(docs, silent=True)
    elif kind == "index":
        coll = db.collection("big")  # type: ignore[attr-defined]
        made = coll.add_index({"type": "persistent", "fields": ["n"]})
        coll.delete_index(made["id"])
    elif kind == "first_read":
        coll = db.collection("big")  # type: ignore[attr-defined]
        made = coll.add_index({"type": "fulltext", "fields": ["t"]})
        list(db.aql.execute(FIRST_READ))  # type: ignore[attr-defined]
        coll.delete_index(made["id"])
    elif kind == "collect":
        list(db.aql.execute(COLLECT_STEP))  # type: ignore[attr-defined]
    elif kind == "sort":
        list(db.aql.execute(SORT_STEP, bind_vars={"prefix": "x" * 200_000}))  # type: ignore[attr-defined]
    else:
        list(db.aql.execute(SEARCH_STEP))  # type: ignore[attr-defined]


def long_steps(path: str | None, docs: int, seconds: float, kind: str) -> tuple[float, float, int]:
    """Inserts/s idle and while another client runs long steps of ``kind`` one after another;
    how many of those completed meanwhile."""
    srv = serve(0, path)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{srv.server_address[1]}"
        db = ArangoClient(hosts=url).db("_system")
        db.create_collection("docs")
        db.create_collection("sink")
        nodes = db.create_collection("nodes")
        edges = db.create_collection("edges", edge=True)
        nodes.insert_many([{"_key": f"{s}{i}"} for i in range(LAYERS) for s in "ab"])
        edges.insert_many([
            {"_from": f"nodes/{s}{i}", "_to": f"nodes/{t}{i + 1}"}
            for i in range(LAYERS - 1) for s in "ab" for t in "ab"
        ])
        if kind in ("index", "first_read"):  # the collection the steps index (and unindex)
            words = kind == "first_read"
            db.create_collection("big").import_bulk([
                {"_key": str(i), "n": (i * 7919) % INDEX_DOCS}
                | ({"t": f"w{i % 1000} x{i}"} if words else {})
                for i in range(INDEX_DOCS)
            ])
        idle = _reads(db, docs, seconds, "writes")
        slow_db = ArangoClient(hosts=url).db("_system")
        stop, done, started = threading.Event(), [0], threading.Event()

        def run_steps() -> None:
            while not stop.is_set():
                started.set()
                _long_step(slow_db, kind, done[0])
                done[0] += 1

        slow = threading.Thread(target=run_steps, daemon=True)
        slow.start()
        started.wait()
        time.sleep(0.05)
        busy = _reads(db, docs, seconds, "writes")
        completed = done[0]
        stop.set()
        slow.join()
        return idle, busy, completed
    finally:
        srv.shutdown()
        srv.server_close()
        srv.engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--docs", type=int, default=1000)
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--aql", action="store_true", help="read-only AQL queries, not GETs")
    kind.add_argument("--batch", action="store_true", help=f"batch reads of {BATCH}, not GETs")
    kind.add_argument("--writes", action="store_true", help="inserts beside a slow writing query")
    kind.add_argument("--stream", action="store_true",
                      help="inserts beside a slow query inside a stream transaction")
    kind.add_argument("--long-steps", action="store_true",
                      help="inserts beside big imports, a big SORT, a long graph search, an"
                      " index build")
    parser.add_argument("--steps", default="import,insert_many,sort,search,collect",
                        help="with --long-steps: which ones (comma-separated; also: index, first_read)")
    args = parser.parse_args()
    if args.long_steps:
        for step in args.steps.split(","):
            for store in ("memory", "disk"):
                with tempfile.TemporaryDirectory() as tmp:
                    idle, busy, completed = long_steps(
                        None if store == "memory" else tmp, args.docs, args.seconds, step
                    )
                print(f"{store} {step}: loopback inserts {idle:,.0f}/s idle, {busy:,.0f}/s"
                      f" beside it (ratio {busy / idle:.2f}); {completed} long steps completed")
        return
    if args.stream:
        for store in ("memory", "disk"):
            runs = {}
            for off in (False, True):
                with tempfile.TemporaryDirectory() as tmp, (
                    hand_over_off() if off else contextlib.nullcontext()
                ):
                    runs[off] = loopback(None if store == "memory" else tmp, args.docs,
                                         args.seconds, "writes", blocked=off, stream=True)
            (idle, busy), (idle_off, busy_off) = runs[False], runs[True]
            print(f"{store}: loopback inserts {idle:,.0f}/s idle, {busy:,.0f}/s while a slow query"
                  f" runs in a stream transaction (ratio {busy / idle:.2f}); hand-over off:"
                  f" {idle_off:,.0f}/s idle, {busy_off:,.0f}/s (ratio {busy_off / idle_off:.2f})")
        for name, (off, on) in lease_cost().items():
            print(f"memory: in-process {name} in a stream transaction {off:,.0f}/s without the"
                  f" lease, {on:,.0f}/s with it (ratio {on / off:.2f})")
        return
    mode = "aql" if args.aql else "batch" if args.batch else "writes" if args.writes else "get"
    what = {"aql": "read-only queries", "batch": f"batch reads of {BATCH}", "get": "point reads",
            "writes": "inserts"}[mode]
    slow = "slow writing query" if mode in ("batch", "writes") else "slow query"
    if mode == "writes":
        for store in ("memory", "disk"):
            with tempfile.TemporaryDirectory() as tmp:
                idle, busy = loopback(None if store == "memory" else tmp, args.docs, args.seconds, mode)
            with tempfile.TemporaryDirectory() as tmp, hand_over_off():
                idle_off, busy_off = loopback(
                    None if store == "memory" else tmp, args.docs, args.seconds, mode, blocked=True
                )
            print(f"{store}: loopback {what} {idle:,.0f}/s idle, {busy:,.0f}/s while a {slow} runs"
                  f" (ratio {busy / idle:.2f}); hand-over off: {idle_off:,.0f}/s idle,"
                  f" {busy_off:,.0f}/s (ratio {busy_off / idle_off:.2f})")
            with tempfile.TemporaryDirectory() as tmp:
                without, with_ = safe_points_cost(None if store == "memory" else tmp)
            print(f"{store}: CPU-bound query under the lock {without * 1000:.0f} ms without safe"
                  f" points, {with_ * 1000:.0f} ms with them (ratio {with_ / without:.2f})")
        return
    n = 2000 if mode == "aql" else 5000 if mode == "batch" else 20000
    for store in ("memory", "disk"):
        with tempfile.TemporaryDirectory() as tmp:
            path = None if store == "memory" else tmp
            idle, busy = loopback(path, args.docs, args.seconds, mode)
            print(f"{store}: loopback {what} {idle:,.0f}/s idle, {busy:,.0f}/s while a {slow}"
                  f" runs (ratio {busy / idle:.2f})")
        with tempfile.TemporaryDirectory() as tmp:
            locked, unlocked = in_process(None if store == "memory" else tmp, n, mode)
            print(f"{store}: in-process {what} {locked:,.0f}/s locked path,"
                  f" {unlocked:,.0f}/s without the lock (ratio {unlocked / locked:.2f})")


if __name__ == "__main__":
    main()
