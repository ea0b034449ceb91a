"""Geo and fulltext index queries against the same answer from a full scan (a script, not a test).

    python bench/bench_geo_text.py [--docs 100000] [--repeat 5] [--disk]

Each pair runs in one process on one in-memory database (``--disk``: a data directory), through
python-arango: WITHIN (geo index, latitude band) against FILTER DISTANCE(...) <= r over every
document, NEAR (bounded heap over the index's points) against SORT DISTANCE LIMIT, FULLTEXT
(sorted word list) against FILTER over every document's words, and FULLTEXT with its limit
argument, 10, against the same FULLTEXT then ``LIMIT 10`` (every document a hit: the limit read
inside the index read against after it). Medians of ``--repeat`` runs and the ratio index / scan
are printed; both sides must return the same keys.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

from arangolite import connect

WORDS = [f"w{i}" for i in range(5000)]


def make_docs(n: int, seed: int = 11) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [
        {
            "_key": str(i),
            "loc": [rng.uniform(-60, 60), rng.uniform(-180, 180)],
            "text": " ".join(rng.choices(WORDS, k=8)),
        }
        for i in range(n)
    ]


def timed(fn: Callable[[], list[Any]], repeat: int) -> tuple[float, list[Any]]:
    runs, result = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), result


QUERIES = {
    "WITHIN 500 km": (
        "FOR d IN WITHIN(places, 10, 20, 500000) RETURN d._key",
        "FOR d IN places FILTER DISTANCE(d.loc[0], d.loc[1], 10, 20) <= 500000 "
        "SORT DISTANCE(d.loc[0], d.loc[1], 10, 20) RETURN d._key",
    ),
    "NEAR 10": (
        "FOR d IN NEAR(places, 10, 20, 10) RETURN d._key",
        "FOR d IN places SORT DISTANCE(d.loc[0], d.loc[1], 10, 20) LIMIT 10 RETURN d._key",
    ),
    "FULLTEXT prefix:w123": (
        "FOR d IN FULLTEXT(places, 'text', 'prefix:w123') RETURN d._key",
        "FOR d IN places FILTER LENGTH(FOR w IN SPLIT(d.text, ' ') FILTER STARTS_WITH(w, 'w123') "
        "LIMIT 1 RETURN 1) > 0 RETURN d._key",
    ),
    "FULLTEXT prefix:w, 10": (
        "FOR d IN FULLTEXT(places, 'text', 'prefix:w', 10) RETURN d._key",
        "FOR d IN FULLTEXT(places, 'text', 'prefix:w') LIMIT 10 RETURN d._key",
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--disk", action="store_true", help="on a data directory, not in memory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(args.docs, args.repeat, tmp if args.disk else None)


def run(docs: int, repeat: int, path: str | None) -> None:
    db = connect(path, db_name="bench")
    coll = db.create_collection("places")
    coll.import_bulk(make_docs(docs), batch_size=10_000)
    coll.add_index({"type": "geo", "fields": ["loc"]})
    coll.add_index({"type": "fulltext", "fields": ["text"]})
    print(f"{docs} documents {'on disk' if path else 'in memory'}, median of {repeat} runs")
    print(f"{'query':24} {'index ms':>10} {'scan ms':>10} {'index/scan':>11} {'rows':>6}")
    for label, (indexed, scanned) in QUERIES.items():
        t_index, keys = timed(lambda q=indexed: list(db.aql.execute(q)), repeat)
        t_scan, expected = timed(lambda q=scanned: list(db.aql.execute(q)), repeat)
        same = sorted(keys) == sorted(expected)
        print(
            f"{label:24} {t_index * 1000:10.1f} {t_scan * 1000:10.1f} "
            f"{t_index / t_scan:11.3f} {len(keys):6}{'' if same else '  DIFFERENT RESULTS'}"
        )


if __name__ == "__main__":
    main()
