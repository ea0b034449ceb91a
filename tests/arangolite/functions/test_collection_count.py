"""``COLLECTION_COUNT(coll)`` and ``LENGTH(coll)`` / ``COUNT(coll)``: a collection's count, read
as a count (ArangoDB turns ``LENGTH(coll)`` into ``COLLECTION_COUNT``), never its documents.

Through python-arango on the engine, and as they are on a real ArangoDB with ``--arango-url``.
"""

from __future__ import annotations

from typing import Any

import pytest
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError

COUNTS = (
    "RETURN COLLECTION_COUNT(files)",
    'RETURN COLLECTION_COUNT("files")',
    "RETURN LENGTH(files)",
    "RETURN COUNT(files)",
    "RETURN LENGTH(@@c)",
    "FOR x IN [1, 2] RETURN LENGTH(files)",
)


@pytest.fixture
def files(db: StandardDatabase) -> Any:
    coll = db.create_collection("files")
    coll.import_bulk([{"_key": f"f{i}", "n": i} for i in range(250)])
    return coll


def _run(db: Any, query: str) -> tuple[list[Any], dict[str, Any]]:
    binds = {"@c": "files"} if "@@c" in query else None
    cursor = db.aql.execute(query, bind_vars=binds)
    return list(cursor), cursor.statistics()


@pytest.mark.parametrize("query", COUNTS)
def test_a_count_reads_no_document(db: StandardDatabase, files: Any, query: str) -> None:
    rows, stats = _run(db, query)
    assert set(rows) == {250}
    assert stats["scanned_full"] == 0 and stats["scanned_index"] == 0


def test_a_stream_transaction_counts_its_snapshot_and_own_writes(
    db: StandardDatabase, files: Any
) -> None:
    trx = db.begin_transaction(write="files")
    try:
        trx.collection("files").insert_many([{"_key": "mine1"}, {"_key": "mine2"}])
        trx.collection("files").delete("f0")
        # committed by another client after the transaction's snapshot: not seen in it
        files.insert_many([{"_key": "other1"}, {"_key": "other2"}])
        assert list(trx.aql.execute("RETURN [LENGTH(files), COLLECTION_COUNT('files')]")) == [
            [251, 251]
        ]
    finally:
        trx.abort_transaction()
    assert list(db.aql.execute("RETURN LENGTH(files)")) == [252]


def test_a_variable_named_like_a_collection_is_the_variable(
    db: StandardDatabase, files: Any
) -> None:
    assert list(db.aql.execute("LET files = [1, 2, 3] RETURN LENGTH(files)")) == [3]


def test_the_count_of_a_missing_collection_is_1203(db: StandardDatabase) -> None:
    for query in ('RETURN COLLECTION_COUNT("nope")', "RETURN LENGTH(nope)"):
        with pytest.raises(AQLQueryExecuteError) as info:
            db.aql.execute(query)
        assert info.value.error_code == 1203


def test_a_name_that_is_not_a_string_is_1542(db: StandardDatabase, files: Any) -> None:
    with pytest.raises(AQLQueryExecuteError) as info:
        db.aql.execute("RETURN COLLECTION_COUNT(1)")
    assert info.value.error_code == 1542
