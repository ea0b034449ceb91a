"""Indexes answer exactly what a full scan answers, for every value a document can hold.

The same documents go into two collections, one with a persistent index on ``a`` (plus a sparse
and a unique one on other attributes) and one without; every FILTER the planner can serve from
an index must then give the same rows on both. Values are arbitrary JSON (what the REST boundary
accepts: no NaN or infinities), so index order must agree with AQL's comparison for all of them.
"""

from __future__ import annotations

from typing import Any

import pytest
from arango.database import StandardDatabase
from arango.exceptions import DocumentInsertError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arangolite.aql.values import compare
from tests.arangolite.fuzz_cases import json_values

# Arrays of nulls, empty arrays and arrays of them, objects with null attributes: AQL-equal
# without being Python-equal (``[] == [null] == [null, null]``, ``[[]] == [[null]]``,
# ``{} == {a: null}``), which json_values seldom draws; objects on few names, so they share some.
nullish = st.recursive(st.none() | st.just([]), lambda inner: st.lists(inner, max_size=3), max_leaves=5)
few_names = st.dictionaries(st.sampled_from(["a", "b", ""]), nullish | st.integers(-1, 1), max_size=3)
values = json_values | nullish | few_names | st.lists(nullish | json_values | few_names, max_size=2)

QUERIES = [
    "FOR d IN @@c FILTER d.a == @p RETURN d._key",
    "FOR d IN @@c FILTER d.a != @p RETURN d._key",
    "FOR d IN @@c FILTER d.a < @p RETURN d._key",
    "FOR d IN @@c FILTER d.a <= @p RETURN d._key",
    "FOR d IN @@c FILTER d.a > @p RETURN d._key",
    "FOR d IN @@c FILTER d.a >= @p RETURN d._key",
    "FOR d IN @@c FILTER d.a >= @p && d.a < @q RETURN d._key",
    "FOR d IN @@c FILTER d.a IN [@p, @q] RETURN d._key",
    "FOR d IN @@c FILTER d.a IN [@p, @q, @p] RETURN d._key",
    "FOR d IN @@c FILTER d.a == @p && d.b == @q RETURN d._key",
    "FOR d IN @@c FILTER d.a > @p SORT d.a DESC LIMIT 3 RETURN d.a",
    "FOR d IN @@c SORT d.a RETURN d.a",
]


@pytest.fixture
def pair(db: StandardDatabase) -> tuple[StandardDatabase, Any, Any]:
    indexed, plain = db.create_collection("indexed"), db.create_collection("plain")
    indexed.add_index({"type": "persistent", "fields": ["a"]})
    indexed.add_index({"type": "persistent", "fields": ["a", "b"]})
    indexed.add_index({"type": "persistent", "fields": ["b"], "sparse": True})
    return db, indexed, plain


def _run(db: StandardDatabase, query: str, coll: str, p: Any, q: Any) -> list[Any]:
    binds = {"@c": coll}
    binds.update({name: value for name, value in (("p", p), ("q", q)) if f"@{name}" in query})
    rows = list(db.aql.execute(query, bind_vars=binds))
    return rows if "SORT" in query else sorted(rows)


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(values, values), max_size=12), values, values)
def test_indexed_and_unindexed_answers_agree(
    pair: tuple[StandardDatabase, Any, Any], docs: list[tuple[Any, Any]], p: Any, q: Any
) -> None:
    db, indexed, plain = pair
    for coll in (indexed, plain):
        coll.truncate()
        coll.insert_many([{"_key": str(i), "a": a, "b": b} for i, (a, b) in enumerate(docs)])
    for query in QUERIES:
        got = _run(db, query, "indexed", p, q)
        want = _run(db, query, "plain", p, q)
        if "SORT" in query:  # equal values may come in any order; compare them as values
            assert [compare(x, y) for x, y in zip(got, want, strict=True)] == [0] * len(want), query
        else:
            assert got == want, query


@settings(max_examples=400, deadline=None, database=None)
@given(json_values, json_values, json_values)
def test_comparison_is_a_total_order(a: Any, b: Any, c: Any) -> None:
    assert compare(a, b) == -compare(b, a)
    assert compare(a, a) == 0
    if compare(a, b) <= 0 and compare(b, c) <= 0:
        assert compare(a, c) <= 0


@pytest.mark.parametrize(
    ("query", "want"),
    [
        ("FOR d IN @@c FILTER d.a IN [[], [null]] RETURN d._key", ["e", "n"]),
        ("FOR d IN @@c FILTER d.a IN [[[]], [[null]], [[null, null]]] RETURN d._key", ["ee", "en"]),
        ("FOR d IN @@c FILTER d.a == [] RETURN d._key", ["e", "n"]),
        ("FOR d IN @@c FILTER d.a == [[null]] RETURN d._key", ["ee", "en"]),
    ],
)
def test_arrays_ending_in_nulls_are_one_value(
    pair: tuple[StandardDatabase, Any, Any], query: str, want: list[str]
) -> None:
    """``[] == [null]`` in AQL (a shorter array reads as padded with nulls): each document matches
    once, through the index as without it."""
    db, indexed, plain = pair
    docs = [{"_key": "e", "a": []}, {"_key": "n", "a": [None]}, {"_key": "ee", "a": [[]]},
            {"_key": "en", "a": [[None]]}, {"_key": "z", "a": None}]
    for coll in (indexed, plain):
        coll.insert_many(docs)
    for coll in ("indexed", "plain"):
        assert sorted(db.aql.execute(query, bind_vars={"@c": coll})) == want, (query, coll)


def test_unique_array_index_tells_true_from_one(db: StandardDatabase) -> None:
    """``a[*]`` items are told apart by AQL equality, not Python's (where ``1 == True``)."""
    coll = db.create_collection("u")
    coll.add_index({"type": "persistent", "fields": ["a[*]"], "unique": True})
    coll.insert({"_key": "1", "a": [1, True]})
    with pytest.raises(DocumentInsertError) as caught:
        coll.insert({"_key": "2", "a": [True]})
    assert caught.value.error_code == 1210
    coll.insert({"_key": "3", "a": [0, False]})
