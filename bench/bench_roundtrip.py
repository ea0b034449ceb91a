"""Where a small read-only query's time goes on the way through python-arango (a script).

    python bench/bench_roundtrip.py [--size 100000] [--loops 2000] [--repeat 5] [--keep DIR]
                                    [--clock wall|cpu] [--json] [--profile locked|unlocked]
                                    [--profile-loops 20000]

On a data directory of ``--size`` file-like documents (``bench_storage.make_docs``, persistent
indexes on ``status`` and ``size``) and a sqlite3 file holding the same JSON with the same
expression indexes, two queries: the range + SORT + LIMIT 10 of ``bench_storage.py`` and
``RETURN 1``. Each is timed (mean of ``--loops`` calls, best of ``--repeat`` rounds; the layers take turns
within a round) at every layer:

- ``sqlite3``: the same query on the sqlite3 file plus ``json.loads`` of its rows (the baseline;
  for ``RETURN 1``: ``SELECT 1``);
- ``engine``: ``arangolite.aql.executor.execute`` on the database (no request);
- ``dispatch``: ``router.dispatch`` of a ready ``POST /_api/cursor`` request plus the response's
  JSON text (no driver), under the engine lock (the lock is free: a read-only query waits for it
  up to ``router.LOCK_PATIENCE`` and runs under it) and without it (``LOCK_PATIENCE`` 0: on a
  snapshot of its own);
- ``send``: ``InProcessHTTPClient.send_request`` with the body python-arango sends (the client's
  request and response handling, no driver);
- ``arango``: ``db.aql.execute`` through python-arango (the whole round trip), both paths;
- ``driver``: python-arango's own side alone: ``db.aql.execute`` and its cursor over an HTTP
  client that answers every request with the response arangolite gave to the same query (no
  request served; what no change of arangolite can take away).

Each ratio is to the sqlite3 baseline of the same run. ``--clock cpu`` times this thread's CPU
time instead of wall time (steadier on a loaded machine; waits on the disk are then not counted,
and the directory is in the page cache anyway). ``--profile`` runs ``--profile-loops``
python-arango calls of each query under cProfile on the chosen path and prints the top entries.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_storage import prepared

RANGE = "FOR d IN files FILTER d.size >= @lo && d.size < @hi SORT d.size LIMIT 10 RETURN d"
RANGE_SQL = (
    "SELECT doc FROM docs WHERE json_extract(doc, '$.size') >= ? AND"
    " json_extract(doc, '$.size') < ? ORDER BY json_extract(doc, '$.size') LIMIT 10"
)
BINDS = {"lo": 20_000_000, "hi": 30_000_000}


CLOCKS = {"wall": time.perf_counter, "cpu": time.thread_time}
_clock = time.perf_counter


def _interleaved(
    layers: dict[str, tuple[Callable[[], Any], float]], loops: int, repeat: int
) -> dict[str, float]:
    """Seconds per call of each layer: the best of ``repeat`` rounds, each timing ``loops``
    calls of every layer in turn (so a burst of load on the shared machine falls on all the
    layers of a round, not on one layer's whole measurement); each layer runs with its
    ``router.LOCK_PATIENCE``."""
    from arangolite.rest import router

    patience = router.LOCK_PATIENCE
    best = dict.fromkeys(layers, float("inf"))
    try:
        for _ in range(repeat):
            for key, (run, wait) in layers.items():
                router.LOCK_PATIENCE = wait
                start = _clock()
                for _ in range(loops):
                    run()
                best[key] = min(best[key], (_clock() - start) / loops)
    finally:
        router.LOCK_PATIENCE = patience
    return best
    return best


def _canned(answer: Any) -> Any:
    """An HTTP client for python-arango answering every request with ``answer`` (a response
    arangolite gave): python-arango's own work, and no request served."""
    from arango.http import HTTPClient
    from arango.response import Response

    class Canned(HTTPClient):
        def create_session(self, host: str) -> Any:
            return None

        def send_request(self, session: Any, method: str, url: str, *args: Any, **kw: Any) -> Any:
            return Response(
                method=method, url=url, headers=answer.headers, status_code=answer.status_code,
                status_text=answer.status_text, raw_body=answer.raw_body,
            )

    return Canned()


def measure(path: str, sqlite_path: str, loops: int, repeat: int) -> dict[str, float]:
    from arango.client import ArangoClient

    from arangolite.aql.executor import execute
    from arangolite.client import InProcessHTTPClient
    from arangolite.rest import router
    from arangolite.rest.router import dispatch, make_request
    from arangolite.storage.engine import Engine

    engine = Engine(path)
    http = InProcessHTTPClient(engine=engine)
    db = ArangoClient(hosts="http://bench.invalid", http_client=http).db("_system")
    dbh = engine.database("_system")
    conn = sqlite3.connect(sqlite_path)
    lo, hi = BINDS["lo"], BINDS["hi"]
    assert len(list(db.aql.execute(RANGE, bind_vars=BINDS))) == 10
    queries = {
        "range": (RANGE, BINDS, lambda: [json.loads(d) for (d,) in conn.execute(RANGE_SQL, (lo, hi))]),
        "return1": ("RETURN 1", None, lambda: conn.execute("SELECT 1").fetchall()),
    }
    patience = router.LOCK_PATIENCE
    headers = {"content-type": "application/json", "charset": "utf-8"}
    layers: dict[str, tuple[Callable[[], Any], float]] = {}
    for name, (query, binds, bare) in queries.items():
        body = json.dumps({"query": query, **({"bindVars": binds} if binds else {})})
        def via_dispatch(b: str = body) -> str:
            request = make_request("POST", "/_db/_system/_api/cursor", {}, headers, b)
            return dispatch(engine, http.router, request).text()

        def via_send(b: str = body) -> Any:
            return http.send_request(
                None, "post", "http://bench.invalid/_db/_system/_api/cursor", headers, {}, b
            )

        def via_arango(q: str = query, bv: Any = binds) -> list[Any]:
            return list(db.aql.execute(q, bind_vars=bv))

        canned = ArangoClient(
            hosts="http://bench.invalid", http_client=_canned(via_send())
        ).db("_system")
        assert list(canned.aql.execute(query, bind_vars=binds)) == via_arango()

        layers[f"{name}_sqlite"] = (bare, patience)
        layers[f"{name}_engine"] = (
            lambda q=query, bv=binds: execute(dbh, q, bv).rows, patience
        )
        for path_name, wait in (("locked", patience), ("unlocked", 0.0)):
            layers[f"{name}_dispatch_{path_name}"] = (via_dispatch, wait)
            layers[f"{name}_send_{path_name}"] = (via_send, wait)
            layers[f"{name}_arango_{path_name}"] = (via_arango, wait)
        layers[f"{name}_driver"] = (
            lambda q=query, bv=binds, c=canned: list(c.aql.execute(q, bind_vars=bv)), patience
        )
    out = _interleaved(layers, loops, repeat)
    conn.close()
    engine.close()
    return out


def profile(path: str, which: str, loops: int) -> None:
    from arango.client import ArangoClient

    from arangolite.client import InProcessHTTPClient
    from arangolite.rest import router
    from arangolite.storage.engine import Engine

    engine = Engine(path)
    db = ArangoClient(
        hosts="http://bench.invalid", http_client=InProcessHTTPClient(engine=engine)
    ).db("_system")
    if which == "unlocked":
        router.LOCK_PATIENCE = 0.0
    for query, binds in ((RANGE, BINDS), ("RETURN 1", None)):
        list(db.aql.execute(query, bind_vars=binds))
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(loops):
            list(db.aql.execute(query, bind_vars=binds))
        prof.disable()
        print(f"== {query} ({which}, {loops} calls)")
        pstats.Stats(prof).sort_stats("tottime").print_stats(40)
    engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--loops", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", help="keep (and reuse) the generated directory here")
    parser.add_argument(
        "--clock", choices=tuple(CLOCKS), default="wall",
        help="cpu: this thread's CPU time (steadier than wall time on a loaded machine)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--profile", choices=("locked", "unlocked"))
    parser.add_argument("--profile-loops", type=int, default=20_000)
    args = parser.parse_args()
    global _clock
    _clock = CLOCKS[args.clock]
    root = args.keep or tempfile.mkdtemp(prefix="bench-roundtrip-")
    os.makedirs(root, exist_ok=True)
    try:
        path, sqlite_path = prepared(root, args.size)
        if args.profile:
            profile(path, args.profile, args.profile_loops)
            return
        m = measure(path, sqlite_path, args.loops, args.repeat)
        if args.json:
            print(json.dumps(m))
            return
        print(
            f"size {args.size}, mean of {args.loops} calls, best of {args.repeat}, {args.clock} time"
        )
        for name in ("range", "return1"):
            base = m[f"{name}_sqlite"]
            print(f"{name}: sqlite3 {base * 1e6:.1f} us (baseline)")
            for layer in (
                "engine", "dispatch_locked", "dispatch_unlocked", "send_locked", "send_unlocked",
                "arango_locked", "arango_unlocked", "driver",
            ):
                value = m[f"{name}_{layer}"]
                print(f"  {layer:18s} {value * 1e6:8.1f} us  {value / base:6.2f}x")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
