"""Index selection for FOR loops over collections."""

from __future__ import annotations

from typing import Any

import pytest
from arango.database import StandardDatabase

from arangolite.aql.parser import parse
from arangolite.aql.planner import plan_access


def plan(text: str, allowed: frozenset[str] = frozenset()) -> Any:
    query = parse(text)
    return plan_access(query.body, 0, query.body[0].var, set(allowed))


def test_equality_conditions_become_a_lookup() -> None:
    access = plan("FOR d IN c FILTER d.a == @x && d.b.c == 1 FILTER 2 == d.z RETURN d")
    assert access.kind == "eq"
    assert access.fields == ["a", "b.c", "z"]


def test_conditions_on_later_variables_are_not_used() -> None:
    access = plan("FOR d IN c LET y = d.q FILTER d.a == y RETURN d")
    assert access.kind == "scan"


def test_outer_variables_may_drive_a_lookup() -> None:
    access = plan("FOR d IN c FILTER d._from == v RETURN d", frozenset({"v"}))
    assert access.kind == "eq" and access.fields == ["_from"]


def test_in_list() -> None:
    access = plan("FOR d IN c FILTER d.a IN @list RETURN d")
    assert access.kind == "in" and access.fields == ["a"]


def test_range_and_sort_satisfied() -> None:
    access = plan("FOR d IN c FILTER d.t > 5 FILTER d.t <= 9 SORT d.t DESC LIMIT 3 RETURN d")
    assert access.kind == "range" and access.fields == ["t"]
    assert access.low is not None and not access.low_inclusive
    assert access.high is not None and access.high_inclusive
    assert access.descending and access.sort_satisfied is not None


def test_or_is_not_indexed() -> None:
    assert plan("FOR d IN c FILTER d.a == 1 || d.b == 2 RETURN d").kind == "scan"


@pytest.fixture
def indexed(db: StandardDatabase) -> StandardDatabase:
    coll = db.create_collection("docs")
    coll.insert_many([{"_key": str(i), "g": i % 7, "t": (i * 37) % 101, "s": None if i % 5 else i}
                      for i in range(300)])
    return db


QUERIES = [
    ("FOR d IN docs FILTER d.g == 3 RETURN d._key", {}),
    ("FOR d IN docs FILTER d.g IN [1, 1, 2, 'x'] RETURN d._key", {}),
    ("FOR d IN docs FILTER d.t >= 10 && d.t < 50 SORT d.t, d._key RETURN d._key", {}),
    ("FOR d IN docs SORT d.t DESC LIMIT 5 RETURN d.t", {}),
    ("FOR d IN docs FILTER d.s > 100 SORT d.s RETURN d._key", {}),
    ("FOR d IN docs SORT d.s LIMIT 4 RETURN d.s", {}),
    ("FOR d IN docs FILTER d.g == 2 && d.t > 50 RETURN d._key", {}),
]


@pytest.mark.parametrize(("text", "binds"), QUERIES)
def test_indexes_never_change_results(indexed: StandardDatabase, text: str, binds: dict[str, Any]) -> None:
    before = list(indexed.aql.execute(text, bind_vars=binds or None))
    coll = indexed.collection("docs")
    coll.add_index({"type": "persistent", "fields": ["g"]})
    coll.add_index({"type": "persistent", "fields": ["t"]})
    coll.add_index({"type": "persistent", "fields": ["s"], "sparse": True})
    after = list(indexed.aql.execute(text, bind_vars=binds or None))
    if "SORT" in text:
        assert after == before
    else:
        assert sorted(after) == sorted(before)
