"""Multi-row inserts (``storage.bulk_sql``): the rows ``executemany`` would write, in few statements."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

import arangolite
from arangolite.storage.bulk_sql import MAX_VARIABLES, run_many, statements_for
from arangolite.storage.engine import Engine

_COUNTS = [0, 1, 8, 9, 17, 332, 333, 334, 499, 500, 1000, 2345]


def _pair() -> tuple[sqlite3.Connection, sqlite3.Connection]:
    conns = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
    for conn in conns:
        conn.execute("CREATE TABLE t (a INTEGER, b TEXT, c BLOB, PRIMARY KEY (a, b)) WITHOUT ROWID")
        conn.execute("CREATE TABLE r (x TEXT UNIQUE, y)")
    return conns


@pytest.mark.parametrize("count", _COUNTS)
@pytest.mark.parametrize("clause", ["OR REPLACE", "OR IGNORE"])
def test_same_rows_as_executemany(count: int, clause: str) -> None:
    rng = random.Random(count)
    # duplicates inside one batch: the later row wins (REPLACE) or the first stays (IGNORE)
    rows = [(rng.randrange(5), f"k{rng.randrange(count + 1)}", bytes([i % 256])) for i in range(count)]
    plain, bulk = _pair()
    plain.executemany(f"INSERT {clause} INTO t VALUES (?, ?, ?)", rows)
    run_many(bulk.cursor(), f"INSERT {clause} INTO t VALUES (?, ?, ?)", rows)
    query = "SELECT * FROM t ORDER BY a, b"
    assert bulk.execute(query).fetchall() == plain.execute(query).fetchall()
    # rowid order (a collection's write order) is the rows' order, replaced rows moved last
    named = [(f"k{rng.randrange(count + 1)}", i) for i in range(count)]
    plain.executemany("INSERT OR REPLACE INTO r (x, y) VALUES (?, ?)", named)
    run_many(bulk.cursor(), "INSERT OR REPLACE INTO r (x, y) VALUES (?, ?)", iter(named))
    query = "SELECT rowid, x, y FROM r ORDER BY rowid"
    assert bulk.execute(query).fetchall() == plain.execute(query).fetchall()


def test_few_statements_within_the_variable_limit() -> None:
    shapes = statements_for("INSERT INTO t VALUES (?, ?, ?)", 10_000)
    assert sum(n for _, n in shapes) == 10_000
    assert len(shapes) < 40
    assert all(sql.count("?") <= MAX_VARIABLES and sql.count("?") == 3 * n for sql, n in shapes)
    assert len({sql for sql, _ in statements_for("INSERT INTO t VALUES (?, ?)", 123_457)}) < 12
    _, bulk = _pair()
    traced: list[str] = []
    bulk.set_trace_callback(traced.append)
    run_many(bulk.cursor(), "INSERT INTO t VALUES (?, ?, ?)", [(1, str(i), b"") for i in range(5000)])
    assert 5000 // (MAX_VARIABLES // 3) <= len(traced) < 30


def test_other_statements_and_bad_rows_as_executemany() -> None:
    plain, bulk = _pair()
    rows = [(1, str(i), b"x") for i in range(50)]
    run_many(bulk.cursor(), "INSERT INTO t VALUES (?, ?, ?)", rows)
    run_many(bulk.cursor(), "DELETE FROM t WHERE a=? AND b=?", [(1, str(i)) for i in range(10)])
    assert bulk.execute("SELECT COUNT(*) FROM t").fetchone() == (40,)
    # a row with a binding missing and one with one too many (as many in all): refused
    uneven = [*rows[:20], (2, "short"), (3, "long", b"", b"")]
    with pytest.raises(sqlite3.ProgrammingError):
        run_many(plain.cursor(), "INSERT INTO t VALUES (?, ?, ?)", uneven)


def test_a_commit_of_many_documents_takes_few_statements(tmp_path: Path) -> None:
    engine = Engine(str(tmp_path / "d"))
    try:
        db = arangolite.connect(engine=engine)
        files = db.create_collection("files")
        files.add_index({"type": "persistent", "fields": ["status"]})
        files.add_index({"type": "persistent", "fields": ["size"]})
        assert engine.store is not None
        traced: list[str] = []
        engine.store._conn.set_trace_callback(traced.append)
        docs = [{"_key": f"f{i}", "status": f"s{i % 4}", "size": i} for i in range(3000)]
        result = files.import_bulk(docs)
        engine.store._conn.set_trace_callback(None)
        assert result["created"] == 3000
        # documents, change rows and two index tables: 3000 rows each, row by row 12,000 (the
        # trace repeats a statement for each run of a trigger it fires: counted once)
        statements = [s for i, s in enumerate(traced) if i == 0 or s != traced[i - 1]]
        assert len(statements) < 120, len(statements)
    finally:
        engine.close()
    engine = Engine(str(tmp_path / "d"))
    try:
        db = arangolite.connect(engine=engine, create=False)
        query = "FOR f IN files FILTER f.size >= 2990 SORT f.size RETURN [f._key, f.status]"
        assert list(db.aql.execute(query)) == [[f"f{i}", f"s{i % 4}"] for i in range(2990, 3000)]
        assert db.collection("files").count() == 3000
        assert list(db.aql.execute("FOR f IN files LIMIT 2 RETURN f._key")) == ["f0", "f1"]
    finally:
        engine.close()
