"""Crash harness: SIGKILL at random moments of ingest, claim and tag workloads, then check.

Run: ``python bench/bench_crash.py [--runs 50] [--seed 1]``

Each run starts a writer on a fresh data directory, either embedded (the writer process holds the
engine), through the loopback server (``python -m arangolite.server``; the server is killed), or
shared: two embedded writers in two processes on one data directory, competing for the same items
(a write-write conflict, 1200, is retried), the second also checking in every transaction that its
snapshot is consistent (claimed items and claims match). The first is killed, the second writes on
for a moment (it must not notice beyond conflicts) and is killed too.
The writer loops over three transactional workloads, printing ``ACK <tx>`` once a commit is
acknowledged:

- ingest: a batch of items, each with an edge to its batch (one in twenty a big one of 500-600
  items: a commit of over 1,000 writes, which works out its rows with the engine lock let go
  first, ``Transaction.commit``);
- claim: a pending item marked claimed, with a claim document keyed by the item (one stream
  transaction);
- tag: a claimed item gets three tags and edges, is marked tagged and its claim removed.

Every transaction also writes ``txlog/<tx>`` with the number of documents it wrote, and stamps
each document with ``tx``. After the kill the directory is reopened and checked:

1. clean reopen (the engine opens, accepts a write);
2. every acknowledged transaction is present;
3. no partial transaction: for every ``tx`` seen, exactly ``txlog.count`` documents carry it;
4. exactly-once claims: an item is ``claimed`` iff its claim exists, a ``tagged`` item has no
   claim and exactly three tag edges;
5. indexes agree with documents: index-served lookups return what a full scan finds;
6. counts agree with documents: every collection's count (``LENGTH``, kept by the store)
   is the number of documents a full scan finds.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from arango.client import ArangoClient
from arango.exceptions import ArangoServerError

DB = "crash"
_DOCS = ("items", "tags", "claims", "txlog")
_EDGES = ("in_batch", "tagged")


# ---------------------------------------------------------------------------------- the writer


def _prepare(db: Any) -> None:
    for name in _DOCS:
        if not db.has_collection(name):
            db.create_collection(name)
    for name in _EDGES:
        if not db.has_collection(name):
            db.create_collection(name, edge=True)
    db.collection("items").add_index({"type": "persistent", "fields": ["state"]})
    db.collection("items").add_index({"type": "persistent", "fields": ["ingest_tx"]})
    db.collection("tagged").add_index({"type": "persistent", "fields": ["tx", "_from"]})


def _ingest(trx: Any, tx: str, rng: random.Random) -> dict[str, Any] | None:
    n = rng.randint(500, 600) if rng.random() < 0.05 else rng.randint(1, 20)
    items = [{"_key": f"{tx}-{i}", "state": "pending", "ingest_tx": tx, "n": rng.random()} for i in range(n)]
    trx.collection("items").insert_many(items)
    trx.collection("in_batch").insert_many(
        [{"_from": f"items/{d['_key']}", "_to": f"txlog/{tx}", "tx": tx} for d in items]
    )
    return {"kind": "ingest", "count": 2 * n}


_CLAIM = """FOR d IN items FILTER d.state == 'pending' LIMIT 1
UPDATE d WITH {state: 'claimed', claim_tx: @tx} IN items RETURN NEW._key"""
_CLAIMED = "FOR d IN items FILTER d.state == 'claimed' LIMIT 1 RETURN d._key"


def _claim(trx: Any, tx: str, rng: random.Random) -> dict[str, Any] | None:
    keys = list(trx.aql.execute(_CLAIM, bind_vars={"tx": tx}))
    if not keys:
        return None
    trx.collection("claims").insert({"_key": keys[0], "tx": tx})
    return {"kind": "claim", "count": 2, "item": keys[0]}


def _tag(trx: Any, tx: str, rng: random.Random) -> dict[str, Any] | None:
    keys = list(trx.aql.execute(_CLAIMED))
    if not keys:
        return None
    item = keys[0]
    tags = [{"_key": f"{tx}-{i}", "name": rng.choice("abcdef"), "tx": tx} for i in range(3)]
    trx.collection("tags").insert_many(tags)
    trx.collection("tagged").insert_many(
        [{"_from": f"items/{item}", "_to": f"tags/{t['_key']}", "tx": tx} for t in tags]
    )
    trx.collection("items").update({"_key": item, "state": "tagged", "tag_tx": tx})
    trx.collection("claims").delete(item)
    return {"kind": "tag", "count": 3 + 3 + 1, "item": item}


_CONSISTENT = """LET claimed = (FOR d IN items FILTER d.state == 'claimed' RETURN d._key)
LET claims = (FOR c IN claims RETURN c._key)
RETURN LENGTH(OUTERSECTION(claimed, claims))"""


def write_forever(db: Any, seed: int, *, verify: bool = False) -> None:
    """The writer's loop: random workloads, one stream transaction each, ACK after commit; a
    write-write conflict (1200, another process got there first) aborts and moves on."""
    rng = random.Random(seed)
    _prepare(db)
    for number in range(10**9):
        if number == 5:  # warmed up (queries compiled): kills from here on hit steady writing
            print("READY", flush=True)
        tx = f"t{seed}x{number}"
        work = rng.choice((_ingest, _ingest, _claim, _tag, _tag))
        trx = db.begin_transaction(write=[*_DOCS, *_EDGES])
        try:
            if verify and (odd := next(iter(trx.aql.execute(_CONSISTENT)))):
                print(f"BAD snapshot before {tx}: {odd} items claimed without a claim or back", flush=True)
            written = work(trx, tx, rng)
            if written:
                trx.collection("txlog").insert({"_key": tx, "tx": tx, **written})
            trx.commit_transaction()
        except ArangoServerError as exc:
            if exc.error_code != 1200:
                raise
            with contextlib.suppress(ArangoServerError):
                trx.abort_transaction()
            continue
        if written:
            print(f"ACK {tx}", flush=True)


# -------------------------------------------------------------------------------- the checks


def check(data: str, acked: set[str]) -> list[str]:
    """The problems found in the reopened directory (empty: all checks hold)."""
    from arangolite.client import InProcessHTTPClient
    from arangolite.storage.engine import Engine

    engine = Engine(data)
    try:
        client = ArangoClient(hosts="http://crash.invalid", http_client=InProcessHTTPClient(engine=engine))
        db = client.db(DB)
        problems = _check_db(db, acked)
        db.collection("txlog").insert({})  # the engine takes writes again
        return problems
    finally:
        engine.close()


def _check_db(db: Any, acked: set[str]) -> list[str]:
    problems: list[str] = []
    logs = {d["_key"]: d for d in db.collection("txlog").all()}
    missing = acked - set(logs)
    if missing:
        problems.append(f"{len(missing)} acknowledged transactions lost, e.g. {sorted(missing)[:3]}")
    items = {d["_key"]: d for d in db.collection("items").all()}
    seen: Counter[str] = Counter()
    for name in (*_DOCS, *_EDGES):
        for doc in db.collection(name).all():
            seen.update(doc[f] for f in ("tx", "ingest_tx", "claim_tx", "tag_tx") if f in doc and name != "txlog")
    for tx in set(seen) | set(logs):
        log = logs.get(tx, {})
        # a claim's document is removed by the transaction that later tags its item
        expected = log.get("count", 0) - (log.get("kind") == "claim" and items.get(log["item"], {}).get("state") == "tagged")
        if seen[tx] != expected:
            problems.append(f"partial transaction {tx}: {seen[tx]} documents, expected {expected}")
    claims = {d["_key"] for d in db.collection("claims").all()}
    edges = Counter(e["_from"] for e in db.collection("tagged").all())
    for key, item in items.items():
        if (item["state"] == "claimed") != (key in claims):
            problems.append(f"item {key} is {item['state']} but claim present={key in claims}")
        if item["state"] == "tagged" and edges[f"items/{key}"] != 3:
            problems.append(f"item {key} tagged with {edges[f'items/{key}']} edges")
    problems.extend(_check_indexes(db, items))
    for name in (*_DOCS, *_EDGES):
        counted = next(iter(db.aql.execute("RETURN LENGTH(@@c)", bind_vars={"@c": name})))
        scanned = len(list(db.aql.execute("FOR d IN @@c RETURN d._key", bind_vars={"@c": name})))
        if counted != scanned:
            problems.append(f"count of {name} disagrees: {counted} kept, {scanned} documents")
    return problems


def _check_indexes(db: Any, items: dict[str, Any]) -> list[str]:
    problems = []
    for state in ("pending", "claimed", "tagged"):
        via_index = set(db.aql.execute("FOR d IN items FILTER d.state == @s RETURN d._key", bind_vars={"s": state}))
        scanned = {k for k, d in items.items() if d["state"] == state}
        if via_index != scanned:
            problems.append(f"index on state disagrees for {state!r}: {len(via_index)} vs {len(scanned)}")
    sample = list(items.values())[:: max(1, len(items) // 50)]
    for item in sample:
        found = list(db.aql.execute("FOR d IN items FILTER d.ingest_tx == @t RETURN d._key",
                                    bind_vars={"t": item["ingest_tx"]}))
        if item["_key"] not in found:
            problems.append(f"index on tx misses item {item['_key']}")
    return problems


# ------------------------------------------------------------------------------- the harness


@dataclass
class RunResult:
    """One kill: where, after how long, how many acknowledged transactions, what broke."""

    mode: str
    delay: float
    acked: int
    problems: list[str] = field(default_factory=list)


def _child(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)


def _start_server(data: str) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen([sys.executable, "-m", "arangolite.server", "--port", "0", "--data", data],
                            stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    match = re.search(r":(\d+)", proc.stderr.readline())
    if match is None:
        proc.kill()
        raise RuntimeError("the server did not start")
    return proc, int(match.group(1))


def _output(proc: subprocess.Popen[str], early: list[str]) -> tuple[set[str], list[str]]:
    """The acknowledged transactions a writer printed, and its complaints (``BAD``, ``ERR``)."""
    assert proc.stdout is not None
    lines = early + proc.stdout.read().splitlines()
    acked = {line.split()[1] for line in lines if line.startswith("ACK ")}
    return acked, [line for line in lines if line.startswith(("BAD ", "ERR "))]


def _wait_ready(writer: subprocess.Popen[str]) -> tuple[bool, list[str]]:
    assert writer.stdout is not None
    early = []
    while (line := writer.stdout.readline()) and not line.startswith("READY"):
        early.append(line.rstrip("\n"))
    return line.startswith("READY"), early


def one_run(root: Path, mode: str, seed: int, delay: float) -> RunResult:
    """Start a writer (and a server in server mode), SIGKILL at ``delay`` after it is ready, check."""
    data = str(root / f"run{seed}")
    if mode == "shared":
        return _shared_run(data, seed, delay)
    server = None
    if mode == "server":
        server, port = _start_server(data)
        writer = _child(["--write-url", f"http://127.0.0.1:{port}", "--seed", str(seed)])
    else:
        writer = _child(["--write-dir", data, "--seed", str(seed)])
    ready, early = _wait_ready(writer)
    time.sleep(delay)
    os.kill((server or writer).pid, signal.SIGKILL)
    if server is not None:
        server.wait()
        time.sleep(0.05)
        writer.kill()
    writer.wait()
    acked, complaints = _output(writer, early)
    if not ready:
        return RunResult(mode, delay, 0, ["the writer never started"])
    # through the server, the writer fails once the server is gone: that is expected
    return RunResult(mode, delay, len(acked), (complaints if server is None else []) + check(data, acked))


def _shared_run(data: str, seed: int, delay: float) -> RunResult:
    """Two writer processes on one directory: kill the first, the second goes on, then kill it."""
    first = _child(["--write-dir", data, "--seed", str(seed)])
    ready, early = _wait_ready(first)  # the first prepares the collections alone
    second = _child(["--write-dir", data, "--seed", str(seed + 500_000), "--verify"])
    ready_2, early_2 = _wait_ready(second)
    time.sleep(delay)
    first.kill()
    first.wait()
    time.sleep(0.3)  # the second writes on, catching up on what the first left
    second.kill()
    second.wait()
    acked, complaints = _output(first, early)
    acked_2, complaints_2 = _output(second, early_2)
    if not (ready and ready_2):
        return RunResult("shared", delay, 0, ["a writer never started", *complaints, *complaints_2])
    both = acked | acked_2
    return RunResult("shared", delay, len(both), complaints + complaints_2 + check(data, both))


MODES = ("embedded", "server", "shared")


def run_many(runs: int, seed: int, max_delay: float = 2.0) -> list[RunResult]:
    """``runs`` kills, taking the modes in turn, at random delays."""
    rng = random.Random(seed)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for number in range(runs):
            mode = MODES[number % len(MODES)]
            results.append(one_run(Path(tmp), mode, seed * 1000 + number, rng.uniform(0.05, max_delay)))
    return results


def _writer_main(url: str | None, data: str | None, seed: int, verify: bool) -> None:
    if url:
        client = ArangoClient(hosts=url)
        sys_db = client.db("_system")
        if not sys_db.has_database(DB):
            sys_db.create_database(DB)
        db = client.db(DB)
    else:
        import arangolite

        db = arangolite.connect(data, db_name=DB)
    try:
        write_forever(db, seed, verify=verify)
    except Exception as exc:  # through a server: it was killed under us (the harness ignores it)
        print(f"ERR {type(exc).__name__}: {str(exc)[:300]}", flush=True)
        sys.exit(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write-url")
    parser.add_argument("--write-dir")
    parser.add_argument("--verify", action="store_true", help="writer: check each snapshot")
    args = parser.parse_args()
    if args.write_url or args.write_dir:
        _writer_main(args.write_url, args.write_dir, args.seed, args.verify)
        return
    started = time.time()
    results = run_many(args.runs, args.seed)
    broken = [r for r in results if r.problems]
    for mode in MODES:
        some = [r for r in results if r.mode == mode]
        print(f"{mode:9} kills {len(some):3}  acknowledged transactions {sum(r.acked for r in some):6}  "
              f"runs with problems {sum(1 for r in some if r.problems)}")
    for result in broken:
        print(f"  {result.mode} after {result.delay:.2f}s: {result.problems[:3]}")
    print(f"{len(results)} kills, {len(results) - len(broken)} survived with every check holding "
          f"({time.time() - started:.0f} s)")
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
