"""memoryLimit follows the rows a query materialises: error 32 fires near the limit.

Each query holds ``n`` strings of about a kilobyte in one of the places a query materialises
rows (its result, a SORT, a COLLECT ... INTO, a subquery, a streaming cursor's SORT). The peak the
query reports is compared with what those strings take in Python, and the query is run just
under and just over a few limits: under, it succeeds; over, it fails with 32.
"""

from __future__ import annotations

import sys

import pytest
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError, CursorNextError

PAD = "x" * 1000
ROW = sys.getsizeof(PAD + "1000") + 8  # one string and the list slot pointing at it

SHAPES = {
    "result": "FOR i IN 1..@n RETURN CONCAT(@pad, i)",
    "sort": "FOR i IN 1..@n LET s = CONCAT(@pad, i) SORT s DESC LIMIT 2 RETURN s",
    "collect into": "FOR i IN 1..@n COLLECT g = i % 7 INTO grp = CONCAT(@pad, i) RETURN LENGTH(grp)",
    "subquery": "LET a = (FOR i IN 1..@n RETURN CONCAT(@pad, i)) RETURN LENGTH(a)",
    "array in a row": "FOR j IN 1..2 LET a = (FOR i IN 1..@n RETURN CONCAT(@pad, i, j)) RETURN LENGTH(a)",
}


def _run(db: StandardDatabase, query: str, n: int, limit: int, stream: bool = False) -> int:
    cursor = db.aql.execute(
        query, bind_vars={"n": n, "pad": PAD}, memory_limit=limit, stream=stream, batch_size=1000
    )
    list(cursor)
    return int(cursor.statistics()["peak_memory_usage"])


@pytest.mark.parametrize("shape", list(SHAPES))
def test_peak_is_what_the_rows_take(db: StandardDatabase, shape: str) -> None:
    n = 3000
    peak = _run(db, SHAPES[shape], n, 1 << 30)
    assert 0.9 * n * ROW <= peak <= 1.3 * n * ROW, (peak, n * ROW)


@pytest.mark.parametrize("limit", [1 << 20, 1 << 22, 1 << 24])
@pytest.mark.parametrize("shape", ["result", "sort", "collect into", "subquery"])
def test_error_32_fires_near_the_limit(db: StandardDatabase, shape: str, limit: int) -> None:
    under, over = int(0.75 * limit / ROW), int(1.2 * limit / ROW)
    assert _run(db, SHAPES[shape], under, limit) <= limit
    with pytest.raises(AQLQueryExecuteError) as info:
        _run(db, SHAPES[shape], over, limit)
    assert (info.value.error_code, info.value.http_code) == (32, 500)
    assert info.value.error_message == "query would use more memory than allowed"


def test_streaming_cursor_is_held_to_the_limit(db: StandardDatabase) -> None:
    limit = 1 << 22
    query = SHAPES["sort"].replace(" LIMIT 2", "")
    assert _run(db, query, int(0.75 * limit / ROW), limit, stream=True) <= limit
    with pytest.raises((AQLQueryExecuteError, CursorNextError)) as info:
        _run(db, query, int(1.2 * limit / ROW), limit, stream=True)
    assert info.value.error_code == 32


def test_results_are_the_same_under_a_limit(db: StandardDatabase) -> None:
    query = """
        LET a = (FOR i IN 1..5 RETURN i)
        LET g = (FOR i IN 1..6 COLLECT k = i % 2 INTO grp RETURN {k, n: LENGTH(grp)})
        FOR x IN a SORT x DESC
        RETURN {x, arr: IS_ARRAY(a), typ: TYPENAME(a), first: a[0], inner: (FOR y IN a RETURN y)[1],
                geo: GEO_POINT(a[0], a[1]), g, flat: FLATTEN([a, a]), u: UNIQUE(a)}
    """
    unlimited = list(db.aql.execute(query))
    assert list(db.aql.execute(query, memory_limit=1 << 30)) == unlimited
    assert unlimited[0]["arr"] is True and unlimited[0]["inner"] == 2 and len(unlimited) == 5
