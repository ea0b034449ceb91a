"""Full-scan FILTERs first after open, in CPU time, against sqlite3 (a script, not a test).

    python bench/bench_prefilter.py [--size 100000] [--keep DIR] [--rounds 5]

For each FILTER form a scan may push into its SQL as a prefilter (``storage.prefilter``), the
first query after open (an engine opened afresh on the data directory each round, one untimed
query first to load the AQL lexer) through python-arango, against sqlite3 running the same
filter with ``json_extract`` over the same JSON as the first statement of a fresh connection; rounds alternate the two, and each figure is
the best of ``--rounds``. Times are CPU time of this process (``time.process_time``), not wall
time: on a shared machine, time spent waiting for a core is not counted, so the ratio moves
less with the load (cache contention still counts). The data is ``bench_storage``'s
(``--keep DIR`` reuses its directories ``arangolite-N`` / ``sqlite-N.db``). Ratios are
arangolite / sqlite3, same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_storage import prepared, query_after_open, sqlite_first


def cases(size: int, path: str) -> list[tuple[str, str, dict[str, Any], str, tuple[Any, ...]]]:
    artist = path.rsplit("/", 2)[0]
    ns = [size // 5, size // 2, size - 1]
    lo, hi = size // 3, size // 3 + size // 100
    return [
        ("n % 7 == 3", "d.n % 7 == 3", {}, "json_extract(doc, '$.n') % 7 = 3", ()),
        ("path == @p", "d.path == @p", {"p": path}, "json_extract(doc, '$.path') = ?", (path,)),
        ("n range 1%", "d.n >= @lo && d.n < @hi", {"lo": lo, "hi": hi},
         "json_extract(doc, '$.n') >= ? AND json_extract(doc, '$.n') < ?", (lo, hi)),
        ("n IN 3 values", "d.n IN @ns", {"ns": ns}, "json_extract(doc, '$.n') IN (?, ?, ?)",
         tuple(ns)),
        ("path str range", "d.path >= @lo && d.path < @hi",
         {"lo": artist + "/", "hi": artist + "0"},
         "json_extract(doc, '$.path') >= ? AND json_extract(doc, '$.path') < ?",
         (artist + "/", artist + "0")),
        ("path == null", "d.path == null", {}, "json_extract(doc, '$.path') IS NULL", ()),
        ("n != 5, n < 1%", "d.n != 5 && d.n < @hi", {"hi": size // 100},
         "json_extract(doc, '$.n') != 5 AND json_extract(doc, '$.n') < ?", (size // 100,)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--keep", help="keep (and reuse) generated directories here")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    root = args.keep or tempfile.mkdtemp(prefix="bench-prefilter-")
    try:
        run(args.size, args.rounds, root)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def run(size: int, rounds: int, root: str) -> None:
    path, sqlite_path = prepared(root, size)
    conn = sqlite3.connect(sqlite_path)
    try:
        measure(conn, path, sqlite_path, size, rounds)
    finally:
        conn.close()


def measure(
    conn: sqlite3.Connection, path: str, sqlite_path: str, size: int, rounds: int
) -> None:
    probe = conn.execute("SELECT json_extract(doc, '$.path') FROM docs WHERE key = ?",
                         (f"f{size // 2}",)).fetchone()[0]
    print(f"== {size:,} documents, CPU time, best of {rounds}")
    for name, cond, binds, where, params in cases(size, probe):
        query = f"FOR d IN files FILTER {cond} RETURN d._key"
        sql = f"SELECT key FROM docs WHERE {where}"
        ours = theirs = float("inf")
        found_each_round = []
        for _ in range(rounds):
            took, found = query_after_open(
                path, query, binds, time.process_time, batch_size=1_000_000
            )
            found_each_round.append(found)
            ours = min(ours, took)
            theirs = min(theirs, sqlite_first(sqlite_path, sql, params, time.process_time, 1))
        rows = conn.execute(sql, params).fetchall()
        # every round, not only the last, must find what sqlite3 finds
        assert set(found_each_round) == {len(rows)}, (name, found_each_round, len(rows))
        print(f"{name:<16} {ours * 1000:8.1f} ms   sqlite3 json_extract {theirs * 1000:7.1f} ms"
              f"   ratio {ours / theirs:5.2f}x   ({len(rows)} found)")


if __name__ == "__main__":
    main()
