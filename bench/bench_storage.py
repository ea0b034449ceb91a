"""arangolite's durable store against sqlite3 and plain Python (a script, not a test).

    python bench/bench_storage.py [--sizes 10000,100000] [--keep DIR] [--load-all] [--repeat 5]
                                  [--only index|scans]
    python bench/bench_storage.py --only bulk [--sizes 100000,1000000] [--runs 3]

Per size, in a fresh child process (so its RSS is its own): bulk insert through python-arango
into a data directory (durable: acknowledged writes survive kill -9) against sqlite3
``executemany`` of the same JSON; reopen of the directory against sqlite3 reading and decoding
every row; RSS after open plus ``COLLECT status WITH COUNT``; a full-scan FILTER first after open
("cold") and again ("cached") against a sqlite3 ``json_extract`` scan and a plain Python loop,
for ``n % 7 == 3``; the first query after open also as the best of 3 engines opened afresh in
the child ("1st best3"; single shots swing with the machine's load), for ``n % 7 == 3``, an
equality on the unindexed ``path``, a 1% range on the unindexed ``n``, ``n IN`` three numbers,
a string range on ``path`` (one artist's files: about 1 in 2,000) and ``path == null`` (none),
all pushed into the SQL as prefilters (``storage.prefilter``), each against sqlite3 doing the
same filter with ``json_extract`` as the first statement of a fresh connection (best of 3: cold
caches on both sides, :func:`sqlite_first`); a scan that ``LIMIT 10`` stops and ``RETURN
LENGTH(files)`` first after open the same way (against ``LIMIT 10`` and ``COUNT(*)``: what they
read must not grow with the collection); the equality and the range again ("cached", reading
the kept scan, against a plain Python loop over the same kept documents);
what snapshots cost: updating 10k documents while a stream transaction is open against
none open; and index reads against sqlite3 with the same expression indexes: equality + LIMIT 16
on the most common status (70% of the documents match; also against the rarest, 1%), a range +
SORT + LIMIT 10 on ``size`` (also with ``status == "done"`` beside it: 24%, indexes on both
attributes but none on the two) and ``FILTER status == @s COLLECT WITH COUNT`` (70% match). The
sub-millisecond reads are the best of ``--repeat`` runs. The ranges
and the count are measured twice: through python-arango (the request round trip included) and
through the engine's own query entry in process (``arangolite.aql.executor.execute``: no HTTP,
no driver, no JSON), each against sqlite3 doing the same work (its indexed query, plus
``json.loads`` of the rows it returns).
``--only index`` runs the index reads alone (no scans, no updates: minutes less at 1M);
``--only scans`` the full-scan rows alone (no index reads, no updates: the data is left as it is);
``--only bulk`` the bulk insert alone (into fresh directories, ``--runs`` times per size, each
with its sqlite3 baseline right after it, and the load average).
Open is compared with sqlite3 opening the file and reading its schema. ``--keep DIR`` keeps the generated directories there and reuses them on later runs
(generating 1M documents takes a while: do it once). Ratios are arangolite / baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from typing import Any

STATUSES = ("pending", "claimed", "done", "error")
_BATCH = 10_000


def make_docs(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """File-like documents with a status, as nomarr's library files."""
    rng = random.Random(seed)
    return [
        {
            "_key": f"f{i}",
            "path": f"/music/artist{rng.randrange(2000)}/album{i % 50}/track{i}.flac",
            "size": rng.randint(1_000_000, 50_000_000),
            "status": rng.choices(STATUSES, (70, 5, 24, 1))[0],
            "n": i,
        }
        for i in range(n)
    ]


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _client(path: str | None = None, engine: Any = None) -> Any:
    """python-arango in process on the data directory ``path`` or on an open ``engine``."""
    from arango.client import ArangoClient

    from arangolite.client import InProcessHTTPClient

    http = InProcessHTTPClient(path) if engine is None else InProcessHTTPClient(engine=engine)
    return ArangoClient(hosts="http://bench.invalid", http_client=http)


def insert(path: str, docs: list[dict[str, Any]]) -> float:
    """Seconds to bulk insert ``docs`` through python-arango (each batch durable when acked).

    The engine is closed after (not timed), as a program that wrote the data and stopped: its
    log is then copied into the database file. Left open, it kept the measurements made while
    this process lives (the child's "cold" scans) reading every page from a 40 MB log at 100k.
    The file system is then synced (not timed either), so the write-back of that copy does not
    land in the sqlite3 baseline timed next.
    """
    from arangolite.storage.engine import Engine

    engine = Engine(path)
    try:
        db = _client(engine=engine).db("_system")
        coll = db.create_collection("files")
        coll.add_index({"type": "persistent", "fields": ["status"]})
        coll.add_index({"type": "persistent", "fields": ["size"]})
        start = time.perf_counter()
        for i in range(0, len(docs), _BATCH):
            coll.import_bulk(docs[i : i + _BATCH])
        return time.perf_counter() - start
    finally:
        engine.close()
        os.sync()


def sqlite_insert(path: str, docs: list[dict[str, Any]]) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE docs (key TEXT PRIMARY KEY, doc TEXT NOT NULL)")
    conn.execute("CREATE INDEX by_status ON docs (json_extract(doc, '$.status'))")
    conn.execute("CREATE INDEX by_size ON docs (json_extract(doc, '$.size'))")
    start = time.perf_counter()
    for i in range(0, len(docs), _BATCH):
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO docs VALUES (?, ?)",
            ((d["_key"], json.dumps(d)) for d in docs[i : i + _BATCH]),
        )
        conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


def prepared(root: str, size: int) -> tuple[str, str]:
    """The data directory and sqlite3 file of ``size`` documents under ``root``, made once
    (``--keep DIR`` of the benches that reuse them)."""
    path = os.path.join(root, f"arangolite-{size}")
    sqlite_path = os.path.join(root, f"sqlite-{size}.db")
    if not os.path.exists(path):
        docs = make_docs(size)
        insert(path, docs)
        sqlite_insert(sqlite_path, docs)
    return path, sqlite_path


def child(path: str, sqlite_path: str, size: int) -> dict[str, float]:
    """Measurements on an existing directory, in this fresh process."""
    from arangolite.storage.engine import Engine

    out: dict[str, float] = {"rss_start": rss_mb()}
    start = time.perf_counter()
    engine = Engine(path, on_disk=os.environ.get("BENCH_LOAD_ALL") != "1")
    out["open"] = time.perf_counter() - start
    start = time.perf_counter()
    conn = sqlite3.connect(sqlite_path)
    conn.execute("SELECT name FROM sqlite_master").fetchall()
    out["sqlite_open"] = time.perf_counter() - start
    db = _client(engine=engine).db("_system")
    list(db.aql.execute("RETURN 1"))  # loads the AQL parser: "cold" is about the data
    counts = "FOR d IN files COLLECT s = d.status WITH COUNT INTO n RETURN [s, n]"
    start = time.perf_counter()
    list(db.aql.execute(counts))
    out["collect"] = time.perf_counter() - start
    start = time.perf_counter()
    conn.execute("SELECT json_extract(doc, '$.status'), COUNT(*) FROM docs GROUP BY 1").fetchall()
    out["sqlite_collect"] = time.perf_counter() - start
    out["rss_after"] = rss_mb()
    only = os.environ.get("BENCH_ONLY")
    if only != "scans":
        out.update(index_reads(db, conn, engine.database("_system")))
    if only == "index":
        conn.close()
        engine.close()
        return out

    # Full scans first after open. Single shots swing with the load of a shared machine, so
    # each is the best of 3 engines opened afresh on the directory (each with its own cache,
    # so each query is a first one), after one untimed query that loads the AQL lexer.
    def first_after_open(query: str, binds: dict[str, Any]) -> tuple[float, int]:
        runs = [
            query_after_open(path, query, binds, time.perf_counter, stream=False) for _ in range(3)
        ]
        return min(t for t, _ in runs), runs[-1][1]

    # a scan that its LIMIT stops, and the collection's count, first after open: what they read
    # must not grow with the collection (sqlite3: the same as a first statement)
    first_ten = "FOR d IN files LIMIT 10 RETURN d"
    out["limit_first"], ten = first_after_open(first_ten, {})
    assert ten == 10
    out["sqlite_limit_first"] = sqlite_first(sqlite_path, "SELECT doc FROM docs LIMIT 10", ())
    out["length_first"], _ = first_after_open("RETURN LENGTH(files)", {})
    out["sqlite_length_first"] = sqlite_first(sqlite_path, "SELECT COUNT(*) FROM docs", ())
    probe = engine.database("_system").collections["files"].state.get(f"f{size // 2}")
    assert probe is not None
    target = probe["path"]
    eq_scan = "FOR d IN files FILTER d.path == @p RETURN d._key"  # prefiltered: an equality
    out["eq_scan_first"], eq_found = first_after_open(eq_scan, {"p": target})
    eq_sql_text = "SELECT key FROM docs WHERE json_extract(doc, '$.path') = ?"
    assert eq_found == len(conn.execute(eq_sql_text, (target,)).fetchall()) >= 1
    out["sqlite_eq_scan"] = sqlite_first(sqlite_path, eq_sql_text, (target,))
    lo, hi = size // 3, size // 3 + size // 100  # prefiltered: a number range, 1%
    range_scan = "FOR d IN files FILTER d.n >= @lo && d.n < @hi RETURN d._key"
    out["range_scan_first"], range_found = first_after_open(range_scan, {"lo": lo, "hi": hi})
    range_sql = (
        "SELECT key FROM docs WHERE json_extract(doc, '$.n') >= ? AND json_extract(doc, '$.n') < ?"
    )
    assert range_found == len(conn.execute(range_sql, (lo, hi)).fetchall()) == hi - lo
    out["sqlite_range_scan"] = sqlite_first(sqlite_path, range_sql, (lo, hi))
    ns = [size // 5, size // 2, size - 1]  # prefiltered: IN a list
    in_scan = "FOR d IN files FILTER d.n IN @ns RETURN d._key"
    out["in_scan_first"], in_found = first_after_open(in_scan, {"ns": ns})
    in_sql = "SELECT key FROM docs WHERE json_extract(doc, '$.n') IN (?, ?, ?)"
    assert in_found == len(conn.execute(in_sql, ns).fetchall()) == 3
    out["sqlite_in_scan"] = sqlite_first(sqlite_path, in_sql, ns)
    artist = target.rsplit("/", 2)[0]  # prefiltered: a string range, one artist's files
    sbinds = {"lo": artist + "/", "hi": artist + "0"}  # ("0" follows "/")
    str_scan = "FOR d IN files FILTER d.path >= @lo && d.path < @hi RETURN d._key"
    out["str_scan_first"], str_found = first_after_open(str_scan, sbinds)
    str_sql = (
        "SELECT key FROM docs WHERE json_extract(doc, '$.path') >= ?"
        " AND json_extract(doc, '$.path') < ?"
    )
    assert str_found == len(conn.execute(str_sql, (sbinds["lo"], sbinds["hi"])).fetchall()) >= 1
    out["sqlite_str_scan"] = sqlite_first(sqlite_path, str_sql, (sbinds["lo"], sbinds["hi"]))
    null_scan = "FOR d IN files FILTER d.path == null RETURN d._key"  # prefiltered: null
    out["null_scan_first"], null_found = first_after_open(null_scan, {})
    null_sql = "SELECT key FROM docs WHERE json_extract(doc, '$.path') IS NULL"
    assert null_found == len(conn.execute(null_sql).fetchall()) == 0
    out["sqlite_null_scan"] = sqlite_first(sqlite_path, null_sql, ())
    mod_scan = "FOR d IN files FILTER d.n % 7 == 3 RETURN d._key"  # prefiltered: %
    out["scan_first"], _ = first_after_open(mod_scan, {})
    scan = "FOR d IN files FILTER d.n % 7 == 3 RETURN d._key"
    start = time.perf_counter()
    cold = list(db.aql.execute(scan, stream=False, batch_size=1_000_000))
    out["scan_cold"] = time.perf_counter() - start
    cached = list(db.aql.execute(scan, stream=False, batch_size=1_000_000))
    out["scan_cached"] = _best(
        lambda: list(db.aql.execute(scan, stream=False, batch_size=1_000_000)), 3
    )
    mod_sql = "SELECT key FROM docs WHERE json_extract(doc, '$.n') % 7 = 3"
    sql = conn.execute(mod_sql).fetchall()
    out["sqlite_scan"] = sqlite_first(sqlite_path, mod_sql, ())
    docs = list(engine.database("_system").collections["files"].state.scan())
    plain = [d["_key"] for d in docs if d["n"] % 7 == 3]
    out["python_scan"] = _best(lambda: [d["_key"] for d in docs if d["n"] % 7 == 3], 3)
    assert len(cold) == len(cached) == len(sql) == len(plain)
    list(
        db.aql.execute(eq_scan, bind_vars={"p": target}, stream=False)
    )  # (the scan is kept by now)
    eq_cached = list(db.aql.execute(eq_scan, bind_vars={"p": target}, stream=False))
    out["eq_scan_cached"] = _best(
        lambda: list(db.aql.execute(eq_scan, bind_vars={"p": target}, stream=False)), 3
    )
    eq_plain = [d["_key"] for d in docs if d["path"] == target]
    out["python_eq_scan"] = _best(lambda: [d["_key"] for d in docs if d["path"] == target], 3)
    assert len(eq_cached) == len(eq_plain) == eq_found
    rbinds = {"lo": lo, "hi": hi}
    range_cached = list(db.aql.execute(range_scan, bind_vars=rbinds, stream=False))
    out["range_scan_cached"] = _best(
        lambda: list(db.aql.execute(range_scan, bind_vars=rbinds, stream=False)), 3
    )
    range_plain = [d["_key"] for d in docs if lo <= d["n"] < hi]
    out["python_range_scan"] = _best(lambda: [d["_key"] for d in docs if lo <= d["n"] < hi], 3)
    assert len(range_cached) == len(range_plain) == hi - lo
    docs = []  # (let the list go)
    if only == "scans":
        conn.close()
        engine.close()
        return out
    updates = [{"_key": f"f{i}", "touched": 1} for i in range(min(size, 10_000))]
    coll = db.collection("files")
    start = time.perf_counter()
    coll.update_many(updates)
    out["update_no_reader"] = time.perf_counter() - start
    reader = db.begin_transaction(read="files")
    reader.collection("files").get("f0")
    start = time.perf_counter()
    coll.update_many([{**u, "touched": 2} for u in updates])
    out["update_with_reader"] = time.perf_counter() - start
    reader.abort_transaction()
    conn.close()
    engine.close()
    return out


def query_after_open(
    path: str, query: str, binds: dict[str, Any], clock: Any, **options: Any
) -> tuple[float, int]:
    """One ``query`` (python-arango ``options``) as the first after a fresh open of ``path``
    (after one untimed query that loads the AQL lexer), timed with ``clock``: its time and how
    many rows it returned."""
    from arangolite.storage.engine import Engine

    engine = Engine(path)
    try:
        db = _client(engine=engine).db("_system")
        list(db.aql.execute("FOR x IN [1] FILTER x == 1 RETURN x"))
        start = clock()
        found = len(list(db.aql.execute(query, bind_vars=binds, **options)))
        return clock() - start, found
    finally:
        engine.close()


def sqlite_first(
    sqlite_path: str, sql: str, params: Any, clock: Any = time.perf_counter, rounds: int = 3
) -> float:
    """The baseline of a first query after open: ``sql`` as the first statement of a fresh
    sqlite3 connection (cold page and statement caches, as the engine's after its open), best
    of ``rounds`` connections, timed with ``clock``."""
    best = float("inf")
    for _ in range(rounds):
        conn = sqlite3.connect(sqlite_path)
        try:
            start = clock()
            conn.execute(sql, params).fetchall()
            best = min(best, clock() - start)
        finally:
            conn.close()
    return best


def _best(run: Any, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def index_reads(db: Any, conn: sqlite3.Connection, dbh: Any) -> dict[str, float]:
    """Equality + LIMIT 16, range + SORT + LIMIT 10 (also beside an equality on another indexed
    attribute), a scan that a LIMIT 10 stops, a keyset page by ``_key`` (and every page of
    1,000, once: an export) and an equality count through an index; the ranges and the count also through the
    engine alone (``dbh``: its database). The sub-millisecond reads are the best of
    ``BENCH_REPEAT`` (5) runs; the range beside an equality and the count, whose sqlite3
    baselines take milliseconds (seconds at 1M over ``--repeat 200``), the best of at most 5,
    each pair on the same number of runs."""
    from arangolite.aql.executor import execute

    repeat = int(os.environ.get("BENCH_REPEAT", "5"))

    def best(run: Any) -> float:
        return _best(run, repeat)

    def best_few(run: Any) -> float:
        return _best(run, min(repeat, 5))

    eq = "FOR d IN files FILTER d.status == @s LIMIT 16 RETURN d"
    rng = "FOR d IN files FILTER d.size >= @lo && d.size < @hi SORT d.size LIMIT 10 RETURN d"
    cnt = "FOR d IN files FILTER d.status == @s COLLECT WITH COUNT INTO n RETURN n"
    lo, hi = 20_000_000, 30_000_000
    eq_sql = "SELECT doc FROM docs WHERE json_extract(doc, '$.status') = ? LIMIT 16"
    rng_sql = (
        "SELECT doc FROM docs WHERE json_extract(doc, '$.size') >= ? AND"
        " json_extract(doc, '$.size') < ? ORDER BY json_extract(doc, '$.size') LIMIT 10"
    )
    cnt_sql = "SELECT COUNT(*) FROM docs WHERE json_extract(doc, '$.status') = ?"
    binds = {"lo": lo, "hi": hi}
    mixed = rng.replace("d.size < @hi", "d.size < @hi && d.status == @s")
    mixed_sql = (
        "SELECT doc FROM docs WHERE json_extract(doc, '$.size') >= ? AND"
        " json_extract(doc, '$.size') < ? AND json_extract(doc, '$.status') = ?"
        " ORDER BY json_extract(doc, '$.size') LIMIT 10"
    )
    mixed_binds = {**binds, "s": "done"}
    # a keyset page through the primary index (ArangoDB's is sorted by key), from the middle
    page = "FOR d IN files FILTER d._key > @last SORT d._key LIMIT 10 RETURN d"
    page_sql = "SELECT doc FROM docs WHERE key > ? ORDER BY key LIMIT 10"
    page_binds = {"last": "f5"}
    def all_pages_ours() -> None:  # every document, in keyset pages of 1,000 (an export)
        last: str = ""
        while rows := execute(dbh, pages, {"last": last}).rows:
            last = rows[-1]["_key"]

    def all_pages_sqlite() -> None:
        last = ""
        while rows := [json.loads(d) for (d,) in conn.execute(pages_sql, (last,))]:
            last = rows[-1]["_key"]

    pages = page.replace("LIMIT 10", "LIMIT 1000")
    pages_sql = page_sql.replace("LIMIT 10", "LIMIT 1000")
    first = "FOR d IN files LIMIT 10 RETURN d"  # a scan that stops at once
    first_sql = "SELECT doc FROM docs LIMIT 10"
    return {
        "first_ten": best(lambda: list(db.aql.execute(first))),
        "first_ten_engine": best(lambda: execute(dbh, first).rows),
        "sqlite_first_ten": best(lambda: [json.loads(d) for (d,) in conn.execute(first_sql)]),
        "key_page": best(lambda: list(db.aql.execute(page, bind_vars=page_binds))),
        "key_page_engine": best(lambda: execute(dbh, page, page_binds).rows),
        "sqlite_key_page": best(
            lambda: [json.loads(d) for (d,) in conn.execute(page_sql, ("f5",))]
        ),
        "eq_limit": best(lambda: list(db.aql.execute(eq, bind_vars={"s": "pending"}))),
        "eq_limit_rare": best(lambda: list(db.aql.execute(eq, bind_vars={"s": "error"}))),
        "sqlite_eq_limit": best(
            lambda: [json.loads(d) for (d,) in conn.execute(eq_sql, ("pending",))]
        ),
        "range_sort": best(lambda: list(db.aql.execute(rng, bind_vars=binds))),
        "range_sort_engine": best(lambda: execute(dbh, rng, binds).rows),
        "sqlite_range_sort": best(
            lambda: [json.loads(d) for (d,) in conn.execute(rng_sql, (lo, hi))]
        ),
        "mixed_sort": best_few(lambda: list(db.aql.execute(mixed, bind_vars=mixed_binds))),
        "mixed_sort_engine": best_few(lambda: execute(dbh, mixed, mixed_binds).rows),
        "sqlite_mixed_sort": best_few(
            lambda: [json.loads(d) for (d,) in conn.execute(mixed_sql, (lo, hi, "done"))]
        ),
        "count_eq": best_few(lambda: list(db.aql.execute(cnt, bind_vars={"s": "pending"}))),
        "count_eq_engine": best_few(lambda: execute(dbh, cnt, {"s": "pending"}).rows),
        "sqlite_count_eq": best_few(lambda: conn.execute(cnt_sql, ("pending",)).fetchall()),
        # last: reading every document by key fills the cache with them, which slows the reads
        # timed after it through python-arango by about a fifth
        "all_pages_engine": _best(all_pages_ours, 1),
        "sqlite_all_pages": _best(all_pages_sqlite, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--keep", help="keep (and reuse) generated directories here")
    parser.add_argument(
        "--load-all", action="store_true", help="open with Engine(on_disk=False): the old store"
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="best of this many runs for the sub-ms index reads"
    )
    parser.add_argument(
        "--only",
        choices=("index", "scans", "bulk", "remove"),
        help="index: only open, COLLECT and the index reads; scans: only the full-scan rows;"
        " bulk: the bulk insert alone, into fresh directories",
    )
    parser.add_argument("--runs", type=int, default=1, help="--only bulk: runs per size")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.child:  # (the child takes them from the environment: its own defaults would win)
        os.environ["BENCH_REPEAT"] = str(args.repeat)
    if args.only:
        os.environ["BENCH_ONLY"] = args.only
    if args.load_all:
        os.environ["BENCH_LOAD_ALL"] = "1"
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], int(args.child[2]))))
        return
    if args.only == "remove":
        root = args.keep or tempfile.mkdtemp(prefix="bench-storage-")
        for size in (int(s) for s in args.sizes.split(",")):
            remove_all(root, size)
        return
    if args.only == "bulk":
        for size in (int(s) for s in args.sizes.split(",")):
            for _ in range(args.runs):
                bulk_only(size)
        return
    root = args.keep or tempfile.mkdtemp(prefix="bench-storage-")
    os.makedirs(root, exist_ok=True)
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            run_size(root, size)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def remove_all(root: str, size: int) -> None:
    """``--only remove``: truncate, and drop, the ``size``-document collection of ``root`` (made
    first if absent), each on a copy of the directory, against sqlite3's ``DELETE FROM docs`` on
    a copy of its file."""
    path, sqlite_path = prepared(root, size)
    scratch = tempfile.mkdtemp(prefix="bench-remove-")
    try:
        took: dict[str, float] = {}
        for what in ("truncate", "drop"):
            copy = os.path.join(scratch, what)
            shutil.copytree(path, copy)
            from arangolite.storage.engine import Engine

            engine = Engine(copy)
            try:
                engine_db = _client(engine=engine).db("_system")
                start = time.perf_counter()
                if what == "truncate":
                    engine_db.collection("files").truncate()
                else:
                    engine_db.delete_collection("files")
                took[what] = time.perf_counter() - start
            finally:
                engine.close()
            shutil.rmtree(copy)
        copy = os.path.join(scratch, "sqlite.db")
        shutil.copy(sqlite_path, copy)
        conn = sqlite3.connect(copy)
        start = time.perf_counter()
        conn.execute("DELETE FROM docs WHERE length(key) > 0")  # (row by row, as a truncate)
        conn.commit()
        theirs = time.perf_counter() - start
        conn.close()
        for what, ours in took.items():
            print(f"{what:<9} {size:>9,}  {ours * 1000:10.1f} ms   sqlite3 DELETE {theirs * 1000:8.1f} ms"
                  f"   ratio {ours / theirs:5.2f}x", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def bulk_only(size: int) -> None:
    """One bulk insert of ``size`` documents into a fresh directory, against sqlite3's."""
    root = tempfile.mkdtemp(prefix="bench-bulk-")
    try:
        docs = make_docs(size)
        load = os.getloadavg()[0]
        ours = insert(os.path.join(root, "arangolite"), docs)
        theirs = sqlite_insert(os.path.join(root, "sqlite.db"), docs)
        print(
            f"bulk insert {size:>9,}  {size / ours:>8,.0f} docs/s   sqlite3 {size / theirs:>8,.0f}"
            f" docs/s   ratio {ours / theirs:5.2f}x time   load {load:.2f} -> {os.getloadavg()[0]:.2f}",
            flush=True,
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run_size(root: str, size: int) -> None:
    path = os.path.join(root, f"arangolite-{size}")
    sqlite_path = os.path.join(root, f"sqlite-{size}.db")
    print(f"== {size:,} documents ({root})")
    if not os.path.exists(path):
        docs = make_docs(size)
        ours = insert(path, docs)
        theirs = sqlite_insert(sqlite_path, docs)
        print(
            f"bulk insert   {size / ours:>10,.0f} docs/s   sqlite3 {size / theirs:>10,.0f} docs/s"
            f"   ratio {ours / theirs:5.2f}x time"
        )
        del docs
    cmd = [sys.executable, __file__, "--child", path, sqlite_path, str(size)]
    m = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)

    def ms(seconds: float) -> str:  # sub-millisecond reads keep two significant decimals
        return f"{seconds * 1000:>10.{1 if seconds >= 0.01 else 3}f} ms"

    def row(name: str, ours: float, base: float, base_name: str) -> None:
        print(f"{name:<13} {ms(ours)}   {base_name} {ms(base)}   ratio {ours / base:5.2f}x")

    row("open", m["open"], m["sqlite_open"], "sqlite3 open+schema")
    if "scan_cold" not in m:  # --only index
        _index_rows(m, row)
        return
    row("scan cold", m["scan_cold"], m["sqlite_scan"], "sqlite3 json_extract")
    row("scan 1st best3", m["scan_first"], m["sqlite_scan"], "sqlite3 json_extract")
    row("scan cached", m["scan_cached"], m["python_scan"], "plain Python")
    row("eq 1st best3", m["eq_scan_first"], m["sqlite_eq_scan"], "sqlite3 json_extract")
    row("eq scan cached", m["eq_scan_cached"], m["python_eq_scan"], "plain Python")
    row("range cached", m["range_scan_cached"], m["python_range_scan"], "plain Python")
    row("range 1st best3", m["range_scan_first"], m["sqlite_range_scan"], "sqlite3 json_extract")
    row("IN 1st best3", m["in_scan_first"], m["sqlite_in_scan"], "sqlite3 json_extract")
    row("str range best3", m["str_scan_first"], m["sqlite_str_scan"], "sqlite3 json_extract")
    row("null 1st best3", m["null_scan_first"], m["sqlite_null_scan"], "sqlite3 json_extract")
    row("LIMIT 10 1st", m["limit_first"], m["sqlite_limit_first"], "sqlite3 LIMIT 10")
    row("LENGTH(c) 1st", m["length_first"], m["sqlite_length_first"], "sqlite3 COUNT(*)")
    if "update_no_reader" not in m:  # --only scans
        return
    _index_rows(m, row)
    row("update 10k", m["update_with_reader"], m["update_no_reader"], "no snapshot open")
    print(
        f"RSS after open + COLLECT: {m['rss_after']:.0f} MB (interpreter start {m['rss_start']:.0f} MB)"
    )


def _index_rows(m: dict[str, float], row: Any) -> None:
    row("COLLECT count", m["collect"], m["sqlite_collect"], "sqlite3 GROUP BY")
    row("eq LIMIT 16", m["eq_limit"], m["sqlite_eq_limit"], "sqlite3 index")
    row("eq LIMIT 16 1%", m["eq_limit"], m["eq_limit_rare"], "same, 1% match")
    row("range SORT 10", m["range_sort"], m["sqlite_range_sort"], "sqlite3 index")
    row("  engine alone", m["range_sort_engine"], m["sqlite_range_sort"], "sqlite3 index")
    row("scan LIMIT 10", m["first_ten"], m["sqlite_first_ten"], "sqlite3 LIMIT")
    row("  engine alone", m["first_ten_engine"], m["sqlite_first_ten"], "sqlite3 LIMIT")
    row("key page SORT", m["key_page"], m["sqlite_key_page"], "sqlite3 key")
    row("  engine alone", m["key_page_engine"], m["sqlite_key_page"], "sqlite3 key")
    row("every page", m["all_pages_engine"], m["sqlite_all_pages"], "sqlite3 pages")
    row("range+eq SORT", m["mixed_sort"], m["sqlite_mixed_sort"], "sqlite3 index")
    row("  engine alone", m["mixed_sort_engine"], m["sqlite_mixed_sort"], "sqlite3 index")
    row("count eq 70%", m["count_eq"], m["sqlite_count_eq"], "sqlite3 COUNT")
    row("  engine alone", m["count_eq_engine"], m["sqlite_count_eq"], "sqlite3 COUNT")


if __name__ == "__main__":
    main()
