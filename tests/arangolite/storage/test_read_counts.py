"""What index reads cost, in rows: it must not grow with the collection (issue 8).

Counts, never timings: the documents a query reads through an index (``scannedIndex``) and
by full scan (``scannedFull``), at two collection sizes ten times apart, in memory and on disk.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest

STATUSES = ("pending", "claimed", "done", "error")
RANGE = "FOR d IN files FILTER d.size >= @lo && d.size < @hi SORT d.size LIMIT 10 RETURN d"
COUNT = "FOR d IN files FILTER d.status == @s COLLECT WITH COUNT INTO n RETURN n"


def _files(db: Any, name: str, n: int) -> Any:
    rng = random.Random(n)
    coll = db.create_collection(name)
    coll.add_index({"type": "persistent", "fields": ["status"]})
    coll.add_index({"type": "persistent", "fields": ["size"]})
    coll.import_bulk(
        [
            {
                "_key": f"f{i}",
                "size": rng.randint(1_000, 50_000),
                "status": rng.choices(STATUSES, (70, 5, 24, 1))[0],
            }
            for i in range(n)
        ]
    )
    return coll


def _stats(db: Any, query: str, binds: dict[str, Any], name: str) -> tuple[list[Any], Any]:
    cursor = db.aql.execute(query.replace("files", name), bind_vars=binds)
    rows = list(cursor)
    stats = cursor.statistics()
    return rows, (stats["scanned_index"], stats["scanned_full"])


@pytest.fixture
def sized(client: Any) -> Any:
    db = client.db("_system")
    _files(db, "small", 300)
    _files(db, "large", 3_000)
    return db


def test_range_sort_limit_reads_as_many_rows_at_any_size(sized: Any) -> None:
    binds = {"lo": 20_000, "hi": 30_000}
    small, small_read = _stats(sized, RANGE, binds, "small")
    large, large_read = _stats(sized, RANGE, binds, "large")
    assert len(small) == len(large) == 10
    assert [d["size"] for d in large] == sorted(d["size"] for d in large)
    assert small_read == large_read  # the LIMIT stops the index read, whatever the size
    assert small_read[0] <= 16 and small_read[1] == 0
    desc = RANGE.replace("SORT d.size", "SORT d.size DESC")
    assert _stats(sized, desc, binds, "small")[1] == _stats(sized, desc, binds, "large")[1]


def test_a_limit_counts_the_rows_it_took_not_the_chunk_read(sized: Any) -> None:
    """Index reads come in chunks (16 entries, or as many as a LIMIT after a sorted range
    needs); ``scannedIndex`` counts the documents the query took from them: the LIMIT's rows
    and the one past it that stops it."""
    rows, read = _stats(sized, "FOR d IN files FILTER d.status == @s LIMIT 5 RETURN d", {"s": "done"}, "large")
    assert len(rows) == 5 and read == (6, 0)
    query = "FOR d IN files FILTER d.status == @s && d.size >= @lo LIMIT 3 RETURN d"
    rows, read = _stats(sized, query, {"s": "done", "lo": 40_000}, "large")
    # (the size FILTER drops about four in five: the read goes on into the next chunks)
    everything = list(sized.aql.execute("FOR d IN large FILTER d.status == 'done' RETURN d.size"))
    took = next(i for i, n in enumerate(itertools.accumulate(s >= 40_000 for s in everything)) if n == 4)
    assert len(rows) == 3 and read == (took + 1, 0)


def test_equality_beside_a_range_sort_limit_reads_as_many_rows_at_any_size(sized: Any) -> None:
    """``FILTER range && status == @s SORT size LIMIT 10`` with indexes on [status] and [size]
    (none on both): the size index is walked in order and the LIMIT stops it, instead of reading
    and sorting every document of that status (before: about 210 and 2,100 here)."""
    query = (
        "FOR d IN files FILTER d.size >= @lo && d.size < @hi && d.status == @s"
        " SORT d.size LIMIT 10 RETURN d"
    )
    binds = {"lo": 20_000, "hi": 30_000, "s": "pending"}
    reads = []
    for name in ("small", "large"):
        rows, read = _stats(sized, query, binds, name)
        everything = list(sized.aql.execute(f"FOR d IN {name} RETURN d"))
        expected = sorted(
            (d for d in everything if 20_000 <= d["size"] < 30_000 and d["status"] == "pending"),
            key=lambda d: d["size"],
        )[:10]
        assert [d["size"] for d in rows] == [d["size"] for d in expected]
        reads.append(read)
    assert reads[0][1] == reads[1][1] == 0
    # at 300 the 209 matches are read and sorted (few enough: WALK_AFTER); at 3,000 the walk
    # reads about 10 / 70% entries and a chunk: never more than at the smaller size
    assert reads[1][0] <= min(reads[0][0], 64)


def test_equality_count_reads_no_document_at_any_size(sized: Any) -> None:
    for name, n in (("small", 300), ("large", 3_000)):
        expected = {
            s: len(list(sized.aql.execute(
                f"FOR d IN {name} FILTER d.status == @s && true RETURN 1", bind_vars={"s": s}
            )))
            for s in STATUSES
        }
        assert sum(expected.values()) == n
        for status, count in expected.items():
            rows, read = _stats(sized, COUNT, {"s": status}, name)
            assert rows == [count]
            assert read == (0, 0)  # counted from the index's entries: no document read


@pytest.mark.parametrize(
    ("query", "small_full", "large_full", "rows"),
    [
        ("FOR d IN files LIMIT 10 RETURN d._key", 10, 10, 10),
        ("FOR d IN files LIMIT 5, 10 RETURN d._key", 15, 15, 10),  # the skipped are read too
        ("FOR d IN files LIMIT 1000 RETURN 1", 300, 1_000, None),
        ("FOR d IN files RETURN 1", 300, 3_000, None),
    ],
)
def test_a_scan_counts_the_documents_it_read(
    sized: Any, query: str, small_full: int, large_full: int, rows: int | None
) -> None:
    # ArangoDB's scannedFull: a scan that its LIMIT stops counts what the LIMIT took, not the
    # collection (the conformance corpus: `FOR p IN products LIMIT 2` scanned 2)
    small, small_read = _stats(sized, query, {}, "small")
    large, large_read = _stats(sized, query, {}, "large")
    assert small_read == (0, small_full) and large_read == (0, large_full)
    if rows is not None:
        assert len(small) == len(large) == rows
