"""Every AQL statement, executed through python-arango on arangolite."""

from __future__ import annotations

from typing import Any

import pytest
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError


def q(db: StandardDatabase, text: str, **binds: Any) -> list[Any]:
    return list(db.aql.execute(text, bind_vars=binds or None))


@pytest.fixture
def songs(db: StandardDatabase) -> StandardDatabase:
    coll = db.create_collection("songs")
    coll.insert_many([
        {"_key": "s1", "title": "A", "artist": "x", "year": 2001, "tags": ["rock", "pop"]},
        {"_key": "s2", "title": "B", "artist": "y", "year": 1999, "tags": ["jazz"]},
        {"_key": "s3", "title": "C", "artist": "x", "year": 2005, "tags": []},
        {"_key": "s4", "title": "D", "artist": "z", "year": None},
    ])
    return db


def test_for_filter_return_over_collection(songs: StandardDatabase) -> None:
    assert q(songs, "FOR s IN songs FILTER s.artist == 'x' RETURN s._key") == ["s1", "s3"]


def test_nested_for_and_let(songs: StandardDatabase) -> None:
    rows = q(songs, "FOR s IN songs FILTER s.artist == 'x' FOR t IN s.tags LET u = UPPER(t) RETURN u")
    assert rows == ["ROCK", "POP"]


def test_sort_several_keys_and_directions(songs: StandardDatabase) -> None:
    rows = q(songs, "FOR s IN songs SORT s.artist DESC, s.year ASC RETURN s._key")
    assert rows == ["s4", "s2", "s1", "s3"]


def test_sort_puts_null_first(songs: StandardDatabase) -> None:
    assert q(songs, "FOR s IN songs SORT s.year RETURN s._key") == ["s4", "s2", "s1", "s3"]


def test_limit_offset_count(songs: StandardDatabase) -> None:
    assert q(songs, "FOR s IN songs SORT s._key LIMIT 1, 2 RETURN s._key") == ["s2", "s3"]
    assert q(songs, "FOR s IN songs SORT s._key LIMIT 2 RETURN s._key") == ["s1", "s2"]


def test_limit_stops_nested_loops(db: StandardDatabase) -> None:
    rows = q(db, "FOR a IN 1..3 FOR b IN 1..3 LIMIT 4 RETURN [a, b]")
    assert rows == [[1, 1], [1, 2], [1, 3], [2, 1]]


def test_limit_in_subquery_applies_per_execution(db: StandardDatabase) -> None:
    rows = q(db, "FOR a IN 1..2 RETURN (FOR b IN 1..5 LIMIT 2 RETURN a * b)")
    assert rows == [[1, 2], [2, 4]]


def test_return_distinct(db: StandardDatabase) -> None:
    assert q(db, "FOR x IN [1, 1.0, '1', [1], [1], {a: 1}, {a: 1}] RETURN DISTINCT x") == [
        1, "1", [1], {"a": 1}
    ]


def test_collect_variants(songs: StandardDatabase) -> None:
    assert q(songs, "FOR s IN songs COLLECT a = s.artist RETURN a") == ["x", "y", "z"]
    rows = q(songs, "FOR s IN songs COLLECT a = s.artist WITH COUNT INTO n RETURN [a, n]")
    assert rows == [["x", 2], ["y", 1], ["z", 1]]
    rows = q(songs, "FOR s IN songs COLLECT a = s.artist INTO g RETURN {a, keys: g[*].s._key}")
    assert rows[0] == {"a": "x", "keys": ["s1", "s3"]}
    rows = q(songs, "FOR s IN songs COLLECT a = s.artist INTO g = s.title RETURN [a, g]")
    assert rows[0] == ["x", ["A", "C"]]
    rows = q(songs, "FOR s IN songs LET y = s.year COLLECT a = s.artist INTO g KEEP y RETURN g")
    assert rows[0] == [{"y": 2001}, {"y": 2005}]
    rows = q(songs, "FOR s IN songs COLLECT a = s.artist AGGREGATE lo = MIN(s.year), hi = MAX(s.year), "
                    "n = COUNT(1) RETURN [a, lo, hi, n]")
    assert rows[0] == ["x", 2001, 2005, 2]
    assert q(songs, "FOR s IN songs COLLECT WITH COUNT INTO n RETURN n") == [4]
    assert q(songs, "FOR s IN songs FILTER false COLLECT WITH COUNT INTO n RETURN n") == [0]
    assert q(songs, "FOR s IN songs COLLECT AGGREGATE total = SUM(s.year) RETURN total") == [6005]


def test_collect_hides_loop_variables(songs: StandardDatabase) -> None:
    from arango.exceptions import AQLQueryExecuteError

    with pytest.raises(AQLQueryExecuteError) as info:
        q(songs, "FOR s IN songs COLLECT a = s.artist RETURN s")
    assert info.value.error_code in (1203, 1512)  # `s` is no longer a variable


def test_subqueries_and_expansion(songs: StandardDatabase) -> None:
    rows = q(songs, "LET titles = (FOR s IN songs FILTER s.year > 2000 SORT s.year RETURN s.title) "
                    "RETURN titles")
    assert rows == [["A", "C"]]
    rows = q(songs, "FOR s IN songs FILTER s._key == 's1' RETURN s.tags[* FILTER CURRENT != 'pop' "
                    "RETURN UPPER(CURRENT)]")
    assert rows == [["ROCK"]]
    assert q(songs, "RETURN [[1, 2], [3]][**]") == [[1, 2, 3]]
    assert q(songs, "RETURN [{a: {b: 1}}, {a: {b: 2}}][*].a.b") == [[1, 2]]
    assert q(songs, "RETURN [1, 2, 3, 4][* LIMIT 1, 2]") == [[2, 3]]


def test_subquery_sees_outer_variables(songs: StandardDatabase) -> None:
    rows = q(songs, "FOR a IN ['x', 'y'] LET n = LENGTH(FOR s IN songs FILTER s.artist == a "
                    "RETURN 1) RETURN {a, n}")
    assert rows == [{"a": "x", "n": 2}, {"a": "y", "n": 1}]


def test_destructuring_for(db: StandardDatabase) -> None:
    assert q(db, "FOR [k, v] IN [['a', 1], ['b', 2]] RETURN CONCAT(k, v)") == ["a1", "b2"]
    assert q(db, "FOR {a, b} IN [{a: 1, b: 2}] RETURN a + b") == [3]


def test_window_rows(db: StandardDatabase) -> None:
    rows = q(db, "FOR x IN [1, 2, 3, 4] WINDOW {preceding: 1, following: 1} "
                 "AGGREGATE s = SUM(x) RETURN [x, s]")
    assert rows == [[1, 3], [2, 6], [3, 9], [4, 7]]
    rows = q(db, "FOR x IN [1, 2, 3] WINDOW {preceding: 'unbounded', following: 0} "
                 "AGGREGATE s = SUM(x) RETURN s")
    assert rows == [1, 3, 6]


def test_window_range(db: StandardDatabase) -> None:
    rows = q(db, "FOR x IN [1, 2, 5, 6] WINDOW x WITH {preceding: 1, following: 0} "
                 "AGGREGATE n = COUNT(x) RETURN [x, n]")
    assert rows == [[1, 1], [2, 2], [5, 1], [6, 2]]


def test_operators_in_queries(db: StandardDatabase) -> None:
    assert q(db, "RETURN [1 + '2', 5 % 3, -(2), !0, 1 < 'a', null ?: 'dflt', true ? 1 : 2]") == [
        [3, 2, -2, True, True, "dflt", 1]
    ]
    assert q(db, "RETURN [1 && 0, 0 || 'x', 'ab' LIKE 'a%', 'ab' =~ '^a', 2 IN 1..3]") == [
        [0, "x", True, True, True]
    ]
    assert q(db, "RETURN [[1, 2, 3] ALL > 0, [1, 2] ANY == 2, [1, 2] NONE == 3, "
                 "[1, 2, 3] AT LEAST (2) >= 2]") == [[True, True, True, True]]


def test_object_literals(db: StandardDatabase) -> None:
    assert q(db, "LET k = 'dyn' LET v = 1 RETURN {v, [k]: 2, 'quoted key': 3, `bt`: 4}") == [
        {"v": 1, "dyn": 2, "quoted key": 3, "bt": 4}
    ]


def test_warnings_are_reported_not_raised(db: StandardDatabase) -> None:
    cursor = db.aql.execute("RETURN 1 / 0")
    assert list(cursor) == [None]
    assert [w["code"] for w in cursor.warnings()] == [1562]


@pytest.mark.parametrize(
    ("limit", "binds", "want"),
    [
        ("LIMIT 3", {}, [0, 1, 2]),
        ("LIMIT 2, 3", {}, [2, 3, 4]),
        ("LIMIT 1.9, 2.5", {}, [1, 2]),  # (as the runtime takes them: rounded down)
        ("LIMIT 0", {}, []),
        ("LIMIT 8, 5", {}, [8, 9]),
        ("LIMIT @o, @c", {"o": 1, "c": 2}, [1, 2]),
        ("LIMIT 1, @c", {"c": 3}, [1, 2, 3]),
    ],
)
def test_limits_of_literals_and_of_bind_values_agree(
    db: StandardDatabase, limit: str, binds: dict[str, Any], want: list[int]
) -> None:
    """A LIMIT of number literals is worked out when the query compiles, others when it runs:
    the same rows either way, plain and as a range read's first chunk through an index."""
    assert q(db, f"FOR x IN 0..9 {limit} RETURN x", **binds) == want
    coll = db.create_collection("nums")
    coll.insert_many([{"n": n} for n in range(10)])
    coll.add_index({"type": "persistent", "fields": ["n"]})
    assert q(db, f"FOR d IN nums FILTER d.n >= 0 SORT d.n {limit} RETURN d.n", **binds) == want


@pytest.mark.parametrize("limit", ["LIMIT -1", "LIMIT null, 2", "LIMIT true", "LIMIT 'a'"])
def test_a_limit_literal_out_of_range_is_refused_when_the_query_runs(db: StandardDatabase, limit: str) -> None:
    with pytest.raises(AQLQueryExecuteError) as info:
        q(db, f"FOR x IN 0..9 {limit} RETURN x")
    assert info.value.error_code in (1504, 1501)
