"""Benchmark: reads inside a query that writes the collection it reads, as the writes pile up.

Run: ``python bench/bench_own_writes.py [--sizes 5000 10000 20000]``

One query per size, on a fresh in-memory engine, through python-arango:

- ``edges``: ``FOR i IN 0..n-1 FOR x IN e FILTER x._from == CONCAT('v/', i) REMOVE x IN e``: an
  edge lookup, then a removal, n times (``nomarr library rm`` removes a library's tag links so);
- ``index``: ``FOR i IN 0..n-1 FOR d IN c FILTER d.a == i UPDATE d WITH {b: 1} IN c`` with a
  persistent index on ``a``: an index lookup, then an update, n times.

Each lookup must also see the query's own earlier writes, so it merges them in. Printed: seconds
per size and the growth from one size to the next; work that follows the rows doubles with n
(2x), work that goes through every earlier write each time quadruples (4x).
"""

from __future__ import annotations

import argparse
import sys
import time

from arango.client import ArangoClient

from arangolite.client import InProcessHTTPClient
from arangolite.storage.engine import Engine

EDGES = "FOR i IN 0..@last FOR x IN e FILTER x._from == CONCAT('v/', i) REMOVE x IN e"
INDEX = "FOR i IN 0..@last FOR d IN c FILTER d.a == i UPDATE d WITH {b: 1} IN c"


def run(n: int) -> tuple[float, float]:
    """Seconds of the edge query and of the index query over ``n`` documents."""
    engine = Engine(None)
    db = ArangoClient(hosts="http://x.invalid", http_client=InProcessHTTPClient(engine=engine)).db("_system")
    edges = db.create_collection("e", edge=True)
    edges.import_bulk([{"_from": f"v/{i}", "_to": f"w/{i % 100}"} for i in range(n)])
    started = time.perf_counter()
    list(db.aql.execute(EDGES, bind_vars={"last": n - 1}))
    edge_s = time.perf_counter() - started
    docs = db.create_collection("c")
    docs.add_index({"type": "persistent", "fields": ["a"]})
    docs.import_bulk([{"_key": str(i), "a": i} for i in range(n)])
    started = time.perf_counter()
    list(db.aql.execute(INDEX, bind_vars={"last": n - 1}))
    index_s = time.perf_counter() - started
    engine.close()
    return edge_s, index_s


def main(argv: list[str] | None = None) -> int:
    """Run the sizes and print a table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000], help="documents per query")
    args = parser.parse_args(argv)
    print(f"{'n':>8}{'edges s':>10}{'growth':>8}{'index s':>10}{'growth':>8}")
    before: tuple[float, float] | None = None
    for n in args.sizes:
        edge_s, index_s = run(n)
        grow = ("", "") if before is None else (f"{edge_s / before[0]:.1f}x", f"{index_s / before[1]:.1f}x")
        print(f"{n:>8}{edge_s:>10.2f}{grow[0]:>8}{index_s:>10.2f}{grow[1]:>8}")
        before = (edge_s, index_s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
