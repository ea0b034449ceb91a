"""NEAR, WITHIN, WITHIN_RECTANGLE and FULLTEXT through real queries (geo_index.py, fulltext.py)."""

from __future__ import annotations

from typing import Any

import pytest
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError


@pytest.fixture
def places(db: StandardDatabase) -> StandardDatabase:
    coll = db.create_collection("places")
    coll.add_index({"type": "geo", "fields": ["loc"]})
    coll.add_index({"type": "fulltext", "fields": ["text"], "minLength": 3})
    coll.insert_many(
        [
            {"_key": "a", "loc": [1, 1], "text": "Quick brown fox"},
            {"_key": "b", "loc": [2, 2], "text": "lazy dog"},
            {"_key": "c", "loc": [5, 5], "text": "quick dog"},
            {"_key": "d", "loc": [40, 40], "text": "quicksilver"},
            {"_key": "e", "text": "no location, brown"},
        ]
    )
    return db


def q(db: StandardDatabase, text: str, **binds: Any) -> list[Any]:
    return list(db.aql.execute(text, bind_vars=binds))


def test_near_orders_by_distance_and_limits(places: StandardDatabase) -> None:
    assert q(places, "FOR d IN NEAR(places, 4, 4, 2) RETURN d._key") == ["c", "b"]
    assert q(places, "FOR d IN NEAR(places, 0, 0) RETURN d._key") == ["a", "b", "c", "d"]
    rows = q(places, "FOR d IN NEAR(@c, 1, 1, 1, 'dist') RETURN [d._key, d.dist]", c="places")
    assert rows == [["a", 0]]


def test_within_takes_the_radius(places: StandardDatabase) -> None:
    keys = q(places, "FOR d IN WITHIN(@@c, 1, 1, 200000) RETURN d._key", **{"@c": "places"})
    assert keys == ["a", "b"]
    rows = q(places, "FOR d IN WITHIN(places, 2, 2, 160000, 'm') RETURN [d._key, ROUND(d.m)]")
    assert rows == [["b", 0], ["a", 157225]]


def test_within_rectangle(places: StandardDatabase) -> None:
    assert q(places, "FOR d IN WITHIN_RECTANGLE(places, 0, 0, 3, 3) RETURN d._key") == ["a", "b"]


def test_index_queries_see_the_transactions_own_writes(places: StandardDatabase) -> None:
    rows = q(
        places,
        "LET x = (INSERT {_key: 'z', loc: [4, 4], text: 'quick zebra'} INTO places) "
        "LET y = (REMOVE 'c' IN places) "
        "RETURN [NEAR(places, 4, 4, 1)[*]._key, FULLTEXT(places, 'text', 'quick')[*]._key]",
    )
    assert rows == [[["z"], ["a", "z"]]]


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("quick", ["a", "c"]),
        ("QUICK,dog", ["c"]),
        ("quick,|lazy", ["a", "b", "c"]),
        ("quick,-dog", ["a"]),
        ("prefix:quick", ["a", "c", "d"]),
        ("complete:quicksilver", ["d"]),
        ("brown", ["a", "e"]),
        ("nothing", []),
    ],
)
def test_fulltext_queries(places: StandardDatabase, query: str, keys: list[str]) -> None:
    assert q(places, "FOR d IN FULLTEXT(places, 'text', @q) RETURN d._key", q=query) == keys


def test_fulltext_limit(places: StandardDatabase) -> None:
    assert q(places, "RETURN LENGTH(FULLTEXT(places, 'text', 'prefix:qu', 2))") == [2]
    assert q(places, "RETURN LENGTH(FULLTEXT(places, 'text', 'prefix:qu', 0))") == [0]


def test_missing_indexes_are_errors(places: StandardDatabase) -> None:
    places.create_collection("bare")
    with pytest.raises(AQLQueryExecuteError) as info:
        q(places, "RETURN NEAR(bare, 1, 1)")
    assert info.value.error_code == 1570
    with pytest.raises(AQLQueryExecuteError) as info:
        q(places, "RETURN FULLTEXT(places, 'other', 'x')")
    assert info.value.error_code == 1571
    with pytest.raises(AQLQueryExecuteError) as info:
        q(places, "RETURN WITHIN(@c, 1, 1, 5)", c="nope")
    assert info.value.error_code == 1203
    for no_words in ("+", "|", " , "):
        with pytest.raises(AQLQueryExecuteError) as info:
            q(places, "RETURN FULLTEXT(places, 'text', @q)", q=no_words)
        assert info.value.error_code == 10
