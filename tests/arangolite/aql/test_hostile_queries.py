"""Queries that used to crash the engine with a 500 get ArangoDB's error (or warning) instead."""

from __future__ import annotations

import pytest
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError


def _error(db: StandardDatabase, query: str) -> AQLQueryExecuteError:
    with pytest.raises(AQLQueryExecuteError) as info:
        list(db.aql.execute(query))
    return info.value


def test_let_cannot_see_itself(db: StandardDatabase) -> None:
    # `x` is not a variable yet, so it names a collection, which does not exist
    assert _error(db, "LET x = [x] RETURN x").error_code == 1203


def test_non_ascii_variable_names(db: StandardDatabase) -> None:
    assert list(db.aql.execute("LET `x²` = 1 LET `café` = 2 RETURN `x²` + `café`")) == [3]


def test_repeat_is_limited_to_16mb(db: StandardDatabase) -> None:
    err = _error(db, "RETURN REPEAT('a', 1e20)")
    assert (err.error_code, err.http_code) == (32, 500) and "16MB" in err.error_message
    assert list(db.aql.execute("RETURN LENGTH(REPEAT('ab', 3, '-'))")) == [8]


def test_date_add_beyond_any_date_is_a_warning(db: StandardDatabase) -> None:
    for query in (
        "RETURN DATE_ADD('2020-01-01', 1e308, 'day', 'Europe/Berlin')",
        "RETURN DATE_ADD('2020-01-01', 1e308, 'day')",
    ):
        cursor = db.aql.execute(query)
        assert list(cursor) == [None]
        assert cursor.warnings()[0]["code"] == 1542


def test_json_parse_of_deep_nesting_is_a_warning(db: StandardDatabase) -> None:
    cursor = db.aql.execute(
        "RETURN JSON_PARSE(CONCAT(REPEAT('[', 100000), REPEAT(']', 100000)))"
    )
    assert list(cursor) == [None] and cursor.warnings()[0]["code"] == 1542


@pytest.mark.parametrize(
    "query", ["RETURN RANGE(0, 1e12)", "RETURN RANGE(0, 1e12, 1)", "RETURN 1..1e12"]
)
def test_huge_ranges_are_not_materialized(db: StandardDatabase, query: str) -> None:
    err = _error(db, query)
    assert (err.error_code, err.http_code) == (1504, 400)
    assert "too big to be materialized" in err.error_message


def test_ranges_are_lazy(db: StandardDatabase) -> None:
    assert list(db.aql.execute("FOR i IN 1..1e8 LIMIT 2 RETURN i")) == [1, 2]
    assert list(db.aql.execute("FOR i IN 3..1 RETURN i")) == [3, 2, 1]
    assert list(db.aql.execute("RETURN [5 IN 1..1e8, 5.5 IN 1..1e8, '5' IN 1..9, 0 NOT IN 1..1e8]")) == [
        [True, False, False, True]
    ]


def test_in_range_filter_with_and_without_index(db: StandardDatabase) -> None:
    coll = db.create_collection("r")
    coll.insert_many([{"a": i} for i in range(100)] + [{"a": 2.5}, {"a": "7"}])
    query = "FOR d IN r FILTER d.a IN 10..100000000 COLLECT WITH COUNT INTO n RETURN n"
    assert list(db.aql.execute(query)) == [90]
    coll.add_index({"type": "persistent", "fields": ["a"]})
    assert list(db.aql.execute(query)) == [90]
    # the index reads the span 1..3, the FILTER keeps integers only (2.5 and '7' are not in it)
    assert list(db.aql.execute("FOR d IN r FILTER d.a IN 3..1 SORT d.a RETURN d.a")) == [1, 2, 3]


def test_deeply_nested_query_text_is_1524_or_parse_error(db: StandardDatabase) -> None:
    err = _error(db, "RETURN " + "[" * 5000 + "]" * 5000)
    assert err.http_code == 400 and err.error_code in (1501, 1524)
