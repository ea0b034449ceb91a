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

With ``--lean`` it measures a stored text without ``_key`` and ``_id`` on copies of the table
(:func:`lean_text`). With ``--sql`` it shows instead where the first ``%`` scan's time goes in SQLite alone (CPU time,
best of ``--rounds`` fresh read-only connections, each statement its first): sqlite3's
``json_extract`` scan on its own file; the same statement on arangolite's ``documents`` table
(the stored text: each document also carries ``_id`` and ``_rev``); that with the bare ``%``
test as arangolite binds it (``cid``, the JSON path as a parameter); with the one-read ``%``
superset arangolite runs (``prefilter_order.remainder``: it keeps strings, arrays, objects and
numbers beyond 2**38, which AQL may convert to a match); and with the projection a scan reads
(``scan_sql.projection``: a JSON object of the key and the attribute the query uses).
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
    parser.add_argument("--sql", action="store_true", help="the % scan's SQL alone, step by step")
    parser.add_argument(
        "--lean", action="store_true",
        help="the stored text without _key and _id (copies of the table): the % scan and a whole read",
    )
    args = parser.parse_args()
    root = args.keep or tempfile.mkdtemp(prefix="bench-prefilter-")
    try:
        if args.sql:
            sql_steps(*prepared(root, args.size), args.rounds)
            return
        if args.lean:
            lean_text(prepared(root, args.size)[0], args.rounds)
            return
        run(args.size, args.rounds, root)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def sql_steps(path: str, sqlite_path: str, rounds: int) -> None:
    """``--sql``: see the module's docstring."""
    from arangolite.storage.durability import DB_FILE
    from arangolite.storage.prefilter_order import remainder
    from arangolite.storage.scan_sql import projection

    ours = os.path.join(path, DB_FILE)
    with sqlite3.connect(ours) as conn:
        cid = conn.execute("SELECT cid FROM collections WHERE name = 'files'").fetchone()[0]
    clause, clause_params = remainder("$.n", (7, 3))
    column, column_params = projection(("n",))
    steps = [
        ("sqlite3's scan, its file", sqlite_path,
         "SELECT key FROM docs WHERE json_extract(doc, '$.n') % 7 = 3", ()),
        ("the same on arangolite's text", ours,
         "SELECT key FROM documents WHERE json_extract(doc, '$.n') % 7 = 3", ()),
        ("bare %, bound as arangolite's", ours,
         "SELECT rowid, key FROM documents NOT INDEXED WHERE cid = ? AND json_extract(doc, ?) % ? = ?",
         (cid, "$.n", 7, 3)),
        ("the one-read % superset", ours,
         f"SELECT rowid, key FROM documents NOT INDEXED WHERE cid = ? AND {clause}",
         (cid, *clause_params)),
        ("and the projection", ours,
         f"SELECT rowid, {column} FROM documents NOT INDEXED WHERE cid = ? AND {clause}",
         (*column_params, cid, *clause_params)),
    ]
    base = 0.0
    print(f"== `d.n % 7 == 3`, SQLite alone, CPU time, best of {rounds} fresh connections")
    for name, file, sql, params in steps:
        best, found = float("inf"), 0
        for _ in range(rounds):
            conn = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
            try:
                start = time.process_time()
                found = len(conn.execute(sql, params).fetchall())
                best = min(best, time.process_time() - start)
            finally:
                conn.close()
        base = base or best
        print(f"{name:<32} {best * 1000:7.1f} ms   {best / base:5.2f}x   ({found} found)")


def lean_text(path: str, rounds: int) -> None:
    """``--lean``: whether leaving ``_key`` and ``_id`` out of the stored JSON (both can be made
    from the key column and the collection's name) would pay. On two copies of arangolite's
    table, the stored text and the same with ``json_remove(doc, '$._key', '$._id')`` (both
    vacuumed), CPU time, best of ``rounds`` fresh read-only connections: the ``%`` scan's SQL
    with its projection (``prefilter_order.remainder``, ``scan_sql.projection``) and decoding
    what it returns; and reading every document of the collection and decoding it, the lean text
    given its ``_key`` and ``_id`` back in Python or in the SQL."""
    import json

    from arangolite.storage.durability import DB_FILE
    from arangolite.storage.prefilter_order import remainder
    from arangolite.storage.scan_sql import projection

    scratch = tempfile.mkdtemp(prefix="bench-lean-")
    try:
        files = {name: os.path.join(scratch, name + ".sqlite") for name in ("stored", "lean")}
        for name, file in files.items():
            shutil.copy(os.path.join(path, DB_FILE), file)
            conn = sqlite3.connect(file)
            if name == "lean":
                conn.execute("UPDATE documents SET doc = json_remove(doc, '$._key', '$._id')")
                conn.commit()
            conn.execute("VACUUM")
            cid, size = conn.execute(
                "SELECT cid, (SELECT avg(length(doc)) FROM documents) FROM collections"
                " WHERE name = 'files'"
            ).fetchone()
            conn.close()
            print(f"{name:<7} {size:6.1f} characters a document, file {os.path.getsize(file):,} bytes")
        clause, clause_params = remainder("$.n", (7, 3))
        column, column_params = projection(("n",))
        scan = (f"SELECT rowid, {column} FROM documents NOT INDEXED WHERE cid = ? AND {clause}",
                (*column_params, cid, *clause_params))
        every = ("SELECT rowid, key, doc FROM documents WHERE cid = ?", (cid,))
        spliced = ("SELECT rowid, key, '{\"_key\":\"' || key || '\",\"_id\":\"' || ? || key ||"
                   " '\",' || substr(doc, 2) FROM documents WHERE cid = ?", ("files/", cid))

        def decode(texts: list[str]) -> Any:
            return json.loads("[" + ",".join(texts) + "]")

        def given_back(rows: list[Any]) -> Any:
            return decode([f'{{"_key":"{k}","_id":"files/{k}",{d[1:]}' for _, k, d in rows])

        steps = [
            ("% scan + projection", "stored", scan, lambda rows: decode([r[1] for r in rows])),
            ("% scan + projection", "lean", scan, lambda rows: decode([r[1] for r in rows])),
            ("every document", "stored", every, lambda rows: decode([r[2] for r in rows])),
            ("every document", "lean", every, given_back),
            ("every document, SQL", "lean", spliced, lambda rows: decode([r[2] for r in rows])),
        ]
        print(f"== CPU time, best of {rounds} fresh connections: SQL, then decoding")
        for name, which, (sql, params), after in steps:
            best_sql = best_py = float("inf")
            for _ in range(rounds):
                conn = sqlite3.connect(f"file:{files[which]}?mode=ro", uri=True)
                try:
                    start = time.process_time()
                    rows = conn.execute(sql, params).fetchall()
                    middle = time.process_time()
                    after(rows)
                    best_sql = min(best_sql, middle - start)
                    best_py = min(best_py, time.process_time() - middle)
                finally:
                    conn.close()
            print(f"{name:<22} {which:<7} {best_sql * 1000:7.1f} ms + {best_py * 1000:6.1f} ms"
                  f" = {(best_sql + best_py) * 1000:7.1f} ms   ({len(rows)} rows)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


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
