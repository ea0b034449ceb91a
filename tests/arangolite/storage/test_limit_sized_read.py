"""A range read in index order with a LIMIT after it asks the index for as many entries as the
LIMIT takes (offset + count + 1) in its first chunk, not a fixed 16 (issue 8); so does a full
scan's first page (not a fixed 64); results, order and statistics as before, whatever the FILTERs
drop.

On disk the chunk statements are seen through SQLite's trace of the pinned connection (the
expanded SQL carries the LIMIT bound); in memory and on disk every answer is checked against
Python over the same documents.
"""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from arangolite.aql.executor import plan_for
from arangolite.storage.disk_state import SqliteEntries
from arangolite.storage.engine import Engine

RANGE = "FOR d IN c FILTER d.size >= @lo && d.size < @hi SORT d.size LIMIT {limit} RETURN d.n"


@pytest.fixture
def db(client: Any) -> Any:
    rng = random.Random(8)
    database = client.db("_system")
    coll = database.create_collection("c")
    coll.add_index({"type": "persistent", "fields": ["size"]})
    coll.import_bulk([{"_key": f"k{i}", "n": i, "size": rng.randint(0, 999)} for i in range(400)])
    return database


def _expected(db: Any, lo: int, hi: int, offset: int, count: int, keep: Any = None) -> list[int]:
    docs = list(db.aql.execute("FOR d IN c RETURN d"))
    chosen = [d for d in docs if lo <= d["size"] < hi and (keep is None or keep(d))]
    chosen.sort(key=lambda d: (d["size"], d["_key"]))
    return [d["n"] for d in chosen[offset : offset + count]]


def _traced(engine: Engine) -> list[str]:
    """The statements the engine's connections run from now on: the pinned snapshot's (queries
    under the engine lock) and the idle pooled readers' (queries on a snapshot of their own,
    as these tests run them: ``LOCK_PATIENCE`` 0)."""
    entries = engine.database("_system").collections["c"].indexes[-1].entries
    assert isinstance(entries, SqliteEntries) and engine.disk is not None
    seen: list[str] = []
    for conn in (entries.pins.current.conn, *engine.disk.readers._spare):
        conn.set_trace_callback(seen.append)
    return seen


def _chunk_limits(seen: list[str], table: str) -> list[int]:
    return [int(m.group(1)) for s in seen if table in s for m in [re.search(r"LIMIT (\d+)$", s)] if m]


def test_the_plan_passes_the_limit_to_the_range_read() -> None:
    source = plan_for(RANGE.format(limit="2, @n")).compiled.source
    assert "want=rt.limit_want(2, bv_n)" in source
    # anything but FILTERs between the read and the LIMIT: no hint (the LET may drop nothing, but
    # the rule stays simple)
    other = "FOR d IN c FILTER d.size >= 1 LET x = d.n SORT d.size LIMIT 3 RETURN x"
    assert "want=" not in plan_for(other).compiled.source


@pytest.mark.parametrize("limit, offset, count", [("3", 0, 3), ("2, 5", 2, 5), ("40", 0, 40)])
def test_the_first_chunk_is_as_long_as_the_limit_needs(
    db: Any, engine: Engine, limit: str, offset: int, count: int
) -> None:
    binds = {"lo": 100, "hi": 900}
    query = RANGE.format(limit=limit)
    list(db.aql.execute(query, bind_vars=binds))  # (plan compiled, documents cached)
    seen = _traced(engine) if engine.path else []
    rows = list(db.aql.execute(query, bind_vars=binds))
    assert rows == _expected(db, 100, 900, offset, count)
    if engine.path:
        table = engine.database("_system").collections["c"].indexes[-1].entries.table
        assert _chunk_limits(seen, table) == [offset + count + 1]


def test_filters_that_drop_rows_read_more_chunks_and_the_same_answer(db: Any, engine: Engine) -> None:
    query = (
        "FOR d IN c FILTER d.size >= @lo && d.size < @hi && d.n % 7 == 0"
        " SORT d.size LIMIT 1, 4 RETURN d.n"
    )
    binds = {"lo": 0, "hi": 1000}
    list(db.aql.execute(query, bind_vars=binds))
    seen = _traced(engine) if engine.path else []
    rows = list(db.aql.execute(query, bind_vars=binds))
    assert rows == _expected(db, 0, 1000, 1, 4, keep=lambda d: d["n"] % 7 == 0)
    if engine.path:
        table = engine.database("_system").collections["c"].indexes[-1].entries.table
        sizes = _chunk_limits(seen, table)
        assert sizes[0] == 6 and len(sizes) > 1 and sizes[1:] == [6 * 2**i for i in range(1, len(sizes))]


def test_full_count_and_descending_order_are_unchanged(db: Any) -> None:
    query = RANGE.format(limit="5").replace("SORT d.size", "SORT d.size DESC")
    cursor = db.aql.execute(query, bind_vars={"lo": 100, "hi": 900}, full_count=True)
    rows = list(cursor)
    stats = cursor.statistics()
    docs = list(db.aql.execute("FOR d IN c RETURN d"))
    chosen = sorted(
        (d for d in docs if 100 <= d["size"] < 900),
        key=lambda d: (d["size"], d["_key"]),
        reverse=True,
    )
    assert rows == [d["n"] for d in chosen[:5]]
    assert stats["fullCount"] == len(chosen)
    assert stats["scanned_index"] == len(chosen)


@pytest.mark.parametrize("limit, offset, count", [("1", 0, 1), ("2, 3", 2, 3), ("100", 0, 100)])
def test_a_full_scan_reads_as_many_documents_as_the_limit_needs(
    db: Any, engine: Engine, limit: str, offset: int, count: int
) -> None:
    """``FOR d IN c LIMIT n``: on disk the scan's first page is offset + count + 1 documents
    long (it was 64 whatever the LIMIT); a FILTER that drops rows reads the next pages as
    before (at least 64 each), and the answers are those of the whole scan."""
    query = f"FOR d IN c LIMIT {limit} RETURN d.n"
    filtered = f"FOR d IN c FILTER d.n % 9 == 0 LIMIT {limit} RETURN d.n"
    list(db.aql.execute(query))  # (plans compiled; neither reads the whole collection)
    list(db.aql.execute(filtered))
    seen = _traced(engine) if engine.path else []
    rows, kept = list(db.aql.execute(query)), list(db.aql.execute(filtered))
    scans = _chunk_limits([s for s in seen if s.startswith("SELECT rowid, ")], "documents")
    everything = list(db.aql.execute("FOR d IN c RETURN d.n"))
    assert rows == everything[offset : offset + count]
    assert kept == [n for n in everything if n % 9 == 0][offset : offset + count]
    if engine.path:
        assert scans[0] == offset + count + 1, scans
        assert scans[2:] == [max(scans[1] * 2**i, 64 * 2**(i - 1)) for i in range(1, len(scans) - 1)], scans
