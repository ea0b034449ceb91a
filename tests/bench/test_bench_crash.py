"""The crash harness in CI: a few SIGKILLs (embedded and through the server), and its checks bite."""

from __future__ import annotations

import sys
from pathlib import Path

from arangolite.client import InProcessHTTPClient
from arangolite.storage.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import bench_crash


def test_kills_at_random_moments_lose_nothing(tmp_path: Path) -> None:
    for number, mode in enumerate(("embedded", "server", "embedded")):
        result = bench_crash.one_run(tmp_path, mode, seed=100 + number, delay=0.2 + 0.3 * number)
        assert result.problems == [], (mode, result)
        assert result.acked > 0


def test_two_processes_on_one_directory_both_killed_lose_nothing(tmp_path: Path) -> None:
    result = bench_crash.one_run(tmp_path, "shared", seed=300, delay=0.4)
    assert result.problems == [], result
    assert result.acked > 0


def test_the_snapshot_check_catches_a_claim_without_its_item(tmp_path: Path) -> None:
    from arango.client import ArangoClient

    engine = Engine(str(tmp_path / "broken"))
    try:
        client = ArangoClient(hosts="http://x.invalid", http_client=InProcessHTTPClient(engine=engine))
        db = client.db("_system")
        bench_crash._prepare(db)
        db.collection("claims").insert({"_key": "lonely"})  # a claim whose item is not claimed
        assert next(iter(db.aql.execute(bench_crash._CONSISTENT))) == 1
    finally:
        engine.close()


def test_the_checks_catch_a_partial_transaction_and_a_lost_write(tmp_path: Path) -> None:
    result = bench_crash.one_run(tmp_path, "embedded", seed=7, delay=0.3)
    data = str(tmp_path / "run7")
    assert result.problems == []
    engine = Engine(data)
    try:
        from arango.client import ArangoClient

        db = ArangoClient(hosts="http://x.invalid", http_client=InProcessHTTPClient(engine=engine)).db("crash")
        edge = next(iter(db.collection("in_batch").all()))
        db.collection("in_batch").delete(edge["_key"])  # half of an ingest transaction now
    finally:
        engine.close()
    problems = bench_crash.check(data, {"never-written"})
    assert any("partial transaction" in p for p in problems)
    assert any("acknowledged transactions lost" in p for p in problems)
