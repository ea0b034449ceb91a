"""``/_api/cursor``: batching, count, ttl, deletion, retries and errors."""

from __future__ import annotations

import pytest
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError, CursorCloseError


def test_batches_are_fetched_until_exhausted(db: StandardDatabase) -> None:
    cursor = db.aql.execute("FOR i IN 1..10 RETURN i", batch_size=3, count=True)
    assert cursor.count() == 10
    assert cursor.has_more() and cursor.id is not None
    assert list(cursor) == list(range(1, 11))


def test_single_batch_has_no_id(raw) -> None:  # type: ignore[no-untyped-def]
    resp = raw("post", "/_api/cursor", data={"query": "RETURN 1"})
    assert resp.status_code == 201
    body = resp.body
    assert body["result"] == [1] and body["hasMore"] is False and "id" not in body
    assert body["cached"] is False and body["error"] is False and body["code"] == 201
    assert body["extra"]["warnings"] == []
    for stat in (
        "writesExecuted",
        "writesIgnored",
        "scannedFull",
        "scannedIndex",
        "filtered",
        "executionTime",
        "peakMemoryUsage",
    ):
        assert stat in body["extra"]["stats"]
    assert "count" not in body


def test_next_batch_wire_shape_and_deletion(raw) -> None:  # type: ignore[no-untyped-def]
    first = raw(
        "post",
        "/_api/cursor",
        data={"query": "FOR i IN 1..5 RETURN i", "batchSize": 2, "count": True},
    ).body
    assert first["hasMore"] and first["nextBatchId"] == "2" and first["count"] == 5
    cid = first["id"]
    second = raw("put", f"/_api/cursor/{cid}")
    assert (
        second.status_code == 200 and second.body["result"] == [3, 4] and second.body["id"] == cid
    )
    third = raw("post", f"/_api/cursor/{cid}").body
    assert third["result"] == [5] and third["hasMore"] is False
    assert "id" not in third and "nextBatchId" not in third  # as ArangoDB: no id on the last batch
    gone = raw("put", f"/_api/cursor/{cid}")
    assert gone.status_code == 404 and gone.body["errorNum"] == 1600
    other = raw(
        "post", "/_api/cursor", data={"query": "FOR i IN 1..5 RETURN i", "batchSize": 2}
    ).body
    deleted = raw("delete", f"/_api/cursor/{other['id']}")
    assert deleted.status_code == 202 and deleted.body == {
        "id": other["id"],
        "error": False,
        "code": 202,
    }
    assert raw("delete", f"/_api/cursor/{other['id']}").body["errorNum"] == 1600


def test_allow_retry_refetches_last_batch(raw) -> None:  # type: ignore[no-untyped-def]
    first = raw(
        "post",
        "/_api/cursor",
        data={"query": "FOR i IN 1..5 RETURN i", "batchSize": 2, "options": {"allowRetry": True}},
    ).body
    cid = first["id"]
    second = raw("post", f"/_api/cursor/{cid}/2").body
    again = raw("post", f"/_api/cursor/{cid}/2").body
    assert second["result"] == again["result"] == [3, 4]


def test_cursor_close(db: StandardDatabase) -> None:
    cursor = db.aql.execute("FOR i IN 1..10 RETURN i", batch_size=2)
    assert cursor.close() is True
    with pytest.raises(CursorCloseError):
        cursor.close()


def test_ttl_expires_cursor(raw) -> None:  # type: ignore[no-untyped-def]
    import time

    first = raw(
        "post",
        "/_api/cursor",
        data={"query": "FOR i IN 1..5 RETURN i", "batchSize": 1, "ttl": 0.05},
    ).body
    time.sleep(0.1)
    assert raw("post", f"/_api/cursor/{first['id']}").body["errorNum"] == 1600


def test_errors(raw, db: StandardDatabase) -> None:  # type: ignore[no-untyped-def]
    assert raw("post", "/_api/cursor", data={}).body["errorNum"] == 1502
    assert raw("post", "/_api/cursor", data={"query": "  "}).body["errorNum"] == 1502
    unknown = raw("post", "/_api/cursor", data={"query": "FOR u IN unknowncoll RETURN u"})
    assert (
        unknown.status_code == 404
        and unknown.body["errorMessage"] == "collection or view not found: unknowncoll"
    )
    missing = raw("put", "/_api/cursor")
    assert missing.status_code == 400 and missing.body["errorNum"] == 400
    assert (
        raw("post", "/_api/cursor", data={"query": "RETURN 1", "batchSize": 0}).body["errorNum"]
        == 10
    )
    with pytest.raises(AQLQueryExecuteError) as info:
        db.aql.execute("FOR x IN")
    assert info.value.error_code == 1501


def test_writes_through_cursor_are_durable_in_engine(db: StandardDatabase) -> None:
    db.create_collection("c")
    cursor = db.aql.execute("FOR i IN 1..4 INSERT {i} INTO c RETURN NEW._key")
    assert len(list(cursor)) == 4
    assert db.collection("c").count() == 4
    assert cursor.statistics()["modified"] == 4


def test_full_count(db: StandardDatabase) -> None:
    cursor = db.aql.execute("FOR i IN 1..10 LIMIT 2 RETURN i", full_count=True)
    assert cursor.statistics()["fullCount"] == 10


@pytest.fixture
def graded(db: StandardDatabase) -> StandardDatabase:
    coll = db.create_collection("docs")
    coll.insert_many([{"_key": f"k{i:02}", "g": i % 3} for i in range(30)])
    coll.add_index({"type": "persistent", "fields": ["g"]})
    return db


def test_stream_cursor_produces_batches_lazily(raw, graded: StandardDatabase) -> None:  # type: ignore[no-untyped-def]
    query = {"query": "FOR d IN docs FILTER d.g == 1 RETURN d._key", "batchSize": 4,
             "count": True, "options": {"stream": True}}
    first = raw("post", "/_api/cursor", data=query).body
    assert first["result"] == ["k01", "k04", "k07", "k10"] and first["hasMore"]
    assert "count" not in first  # a streaming query does not know its count ahead
    assert first["extra"]["stats"]["scannedIndex"] == 5  # 4 rows and one read ahead, not 10
    keys = list(first["result"])
    while True:
        batch = raw("put", f"/_api/cursor/{first['id']}").body
        keys += batch["result"]
        if not batch["hasMore"]:
            break
        assert batch["id"] == first["id"]
    assert "id" not in batch and batch["extra"]["stats"]["scannedIndex"] == 10
    assert keys == [f"k{i:02}" for i in range(1, 30, 3)]
    assert raw("put", f"/_api/cursor/{first['id']}").body["errorNum"] == 1600


def test_stream_cursor_through_the_driver(graded: StandardDatabase) -> None:
    cursor = graded.aql.execute(
        "FOR d IN docs SORT d._key DESC LIMIT 2, 20 RETURN DISTINCT d.g", batch_size=1,
        stream=True, full_count=True,
    )
    assert list(cursor) == [0, 2, 1]  # k27, k26, k25 ...
    assert cursor.statistics()["fullCount"] == 30
    early = graded.aql.execute("FOR d IN docs RETURN d", batch_size=2, stream=True)
    assert early.close() is True  # ends the query's transaction
    with pytest.raises(CursorCloseError):
        early.close()


def test_stream_cursor_error_ends_the_cursor(raw, graded: StandardDatabase) -> None:  # type: ignore[no-untyped-def]
    query = {"query": "FOR d IN docs SORT d._key RETURN d._key == 'k05' ? FAIL('at k05') : d._key",
             "batchSize": 2, "options": {"stream": True}}
    first = raw("post", "/_api/cursor", data=query).body
    assert first["result"] == ["k00", "k01"]
    assert raw("put", f"/_api/cursor/{first['id']}").body["result"] == ["k02", "k03"]
    failed = raw("put", f"/_api/cursor/{first['id']}").body
    assert failed["errorNum"] == 1569 and "at k05" in failed["errorMessage"]
    assert raw("put", f"/_api/cursor/{first['id']}").body["errorNum"] == 1600


def test_stream_cursor_that_writes_runs_at_once(graded: StandardDatabase) -> None:
    cursor = graded.aql.execute("FOR i IN 1..5 INSERT {g: 9} INTO docs RETURN NEW._key",
                                batch_size=1, stream=True)
    assert graded.collection("docs").count() == 35  # all or nothing, before the first batch
    assert len(list(cursor)) == 5
