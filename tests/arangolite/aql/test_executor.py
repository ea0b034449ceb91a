"""Query-level behaviour: bind parameters, unknown names, errors, cursors, statistics."""

from __future__ import annotations

import pytest
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError


def error_code(db: StandardDatabase, text: str, binds: dict[str, object] | None = None) -> int:
    with pytest.raises(AQLQueryExecuteError) as info:
        list(db.aql.execute(text, bind_vars=binds))
    return int(info.value.error_code)


def test_bind_parameter_errors(db: StandardDatabase) -> None:
    assert error_code(db, "RETURN @x") == 1551
    assert error_code(db, "RETURN 1", {"x": 1}) == 1552
    assert error_code(db, "FOR d IN @@c RETURN d", {"@c": 5}) == 1553


def test_unknown_collection_and_function(db: StandardDatabase) -> None:
    assert error_code(db, "FOR d IN nowhere RETURN d") == 1203
    assert error_code(db, "RETURN NO_SUCH_FN(1)") == 1540
    assert error_code(db, "RETURN LENGTH(1, 2, 3)") == 1541


def test_syntax_error_has_position(db: StandardDatabase) -> None:
    with pytest.raises(AQLQueryExecuteError) as info:
        db.aql.execute("FOR x IN [1]\n  RETURN x +")
    assert info.value.error_code == 1501
    assert "2:" in info.value.error_message


def test_for_over_non_array(db: StandardDatabase) -> None:
    assert error_code(db, "FOR x IN 5 RETURN x") == 1563


def test_cursor_batches_and_full_count(db: StandardDatabase) -> None:
    cursor = db.aql.execute("FOR i IN 1..10 LIMIT 3 RETURN i", full_count=True, count=True, batch_size=2)
    assert list(cursor) == [1, 2, 3]
    assert cursor.statistics()["fullCount"] == 10


def test_plan_cache_reuses_compilation(db: StandardDatabase) -> None:
    from arangolite.aql.executor import plan_for

    text = "FOR i IN 1..@n RETURN i * @k"
    assert plan_for(text) is plan_for(text)
    assert list(db.aql.execute(text, bind_vars={"n": 3, "k": 2})) == [2, 4, 6]
    assert list(db.aql.execute(text, bind_vars={"n": 2, "k": 5})) == [5, 10]


def test_driver_collection_helpers_run_their_aql(db: StandardDatabase) -> None:
    coll = db.create_collection("c")
    coll.insert_many([{"_key": str(i), "g": i % 2} for i in range(5)])
    assert sorted(d["_key"] for d in coll.all()) == ["0", "1", "2", "3", "4"]
    assert sorted(d["_key"] for d in coll.find({"g": 1})) == ["1", "3"]
    assert [d["_key"] for d in coll.all(skip=1, limit=2)] == ["1", "2"]
