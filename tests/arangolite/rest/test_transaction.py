"""Stream transactions through python-arango: isolation, conflicts, commit, abort, timeouts."""

from __future__ import annotations

import time

import pytest
from arango.database import StandardDatabase, TransactionDatabase
from arango.exceptions import (
    AQLQueryExecuteError,
    DocumentGetError,
    DocumentInsertError,
    DocumentUpdateError,
    TransactionAbortError,
    TransactionCommitError,
    TransactionFetchError,
    TransactionInitError,
)

from tests.arangolite.rest.background import in_thread, joined


@pytest.fixture
def coll(db: StandardDatabase):  # type: ignore[no-untyped-def]
    return db.create_collection("accounts")


def test_uncommitted_writes_are_invisible_outside(db: StandardDatabase, coll) -> None:  # type: ignore[no-untyped-def]
    trx = db.begin_transaction(write="accounts")
    tcoll = trx.collection("accounts")
    tcoll.insert({"_key": "a", "v": 1})
    assert tcoll.get("a")["v"] == 1 and tcoll.count() == 1
    assert coll.get("a") is None and coll.count() == 0
    assert list(trx.aql.execute("FOR d IN accounts RETURN d._key")) == ["a"]
    assert list(db.aql.execute("FOR d IN accounts RETURN d._key")) == []
    assert trx.transaction_status() == "running"
    trx.commit_transaction()
    assert coll.get("a")["v"] == 1
    assert trx.transaction_status() == "committed"


def test_abort_discards(db: StandardDatabase, coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert({"_key": "keep", "v": 1})
    trx = db.begin_transaction(write=["accounts"])
    trx.collection("accounts").insert({"_key": "new"})
    trx.collection("accounts").update({"_key": "keep", "v": 2})
    trx.collection("accounts").delete("keep")
    trx.abort_transaction()
    assert coll.get("keep")["v"] == 1 and not coll.has("new")
    assert trx.transaction_status() == "aborted"


def test_write_write_conflict(db: StandardDatabase, coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert({"_key": "a", "v": 0})
    first = db.begin_transaction(write="accounts")
    second = db.begin_transaction(write="accounts")
    first.collection("accounts").update({"_key": "a", "v": 1})
    with pytest.raises(DocumentUpdateError) as info:
        second.collection("accounts").update({"_key": "a", "v": 2})
    assert info.value.error_code == 1200 and info.value.http_code == 409
    with pytest.raises(DocumentUpdateError) as standalone:
        coll.update({"_key": "a", "v": 3})
    assert standalone.value.error_code == 1200
    with pytest.raises(DocumentInsertError):
        second.collection("accounts").insert({"_key": "a"}, overwrite=True)
    first.commit_transaction()
    coll.update({"_key": "a", "v": 4})
    second.abort_transaction()
    assert coll.get("a")["v"] == 4


def test_undeclared_write_collection_is_1652(db: StandardDatabase, coll) -> None:  # type: ignore[no-untyped-def]
    db.create_collection("other")
    trx = db.begin_transaction(read="accounts", write="other")
    with pytest.raises(DocumentInsertError) as info:
        trx.collection("accounts").insert({})
    assert info.value.error_code == 1652
    trx.collection("other").insert({})
    assert trx.collection("accounts").count() == 0
    trx.abort_transaction()


def test_begin_with_missing_collection_is_1203(db: StandardDatabase) -> None:
    with pytest.raises(TransactionInitError) as info:
        db.begin_transaction(write="missing")
    assert info.value.error_code == 1203


def test_commit_and_abort_repeats(db: StandardDatabase, coll) -> None:  # type: ignore[no-untyped-def]
    trx = db.begin_transaction(write="accounts")
    trx.commit_transaction()
    assert trx.commit_transaction()
    with pytest.raises(TransactionAbortError) as info:
        trx.abort_transaction()
    assert (info.value.error_code, info.value.http_code) == (1653, 400)
    assert info.value.error_message == (  # ArangoDB 3.12's (Manager::updateTransaction)
        f"while trying to abort transaction {trx.transaction_id}: transaction was already committed"
    )


def test_a_request_in_an_ended_transaction_gets_arangodbs_answer(  # type: ignore[no-untyped-def]
    db: StandardDatabase, coll
) -> None:
    """ArangoDB 3.12 (``transaction::Manager::leaseManagedTrx``): a request carrying the id of a
    committed transaction gets 1653 (HTTP 400) ``transaction <id> has already been committed``,
    of an aborted one 1654 (HTTP 410) ``... has already been aborted``; writes, reads and
    queries alike, and nothing is written."""
    committed = db.begin_transaction(write="accounts")
    committed.commit_transaction()
    aborted = db.begin_transaction(write="accounts")
    aborted.abort_transaction()
    for trx, code, status, word in (
        (committed, 1653, 400, "committed"),
        (aborted, 1654, 410, "aborted"),
    ):
        message = f"transaction {trx.transaction_id} has already been {word}"
        with pytest.raises(DocumentInsertError) as write:
            trx.collection("accounts").insert({"_key": "late"})
        with pytest.raises(DocumentGetError) as read:
            trx.collection("accounts").get("late")
        with pytest.raises(AQLQueryExecuteError) as query:
            trx.aql.execute("RETURN 1")
        for caught in (write, read, query):
            assert (caught.value.error_code, caught.value.http_code) == (code, status)
            assert caught.value.error_message == message
    assert coll.count() == 0


def test_an_ended_transaction_of_another_database_is_not_found(  # type: ignore[no-untyped-def]
    sys_db: StandardDatabase, raw
) -> None:
    """The id of a transaction that ended in another database is unknown here: 1655."""
    other = sys_db.begin_transaction()
    other.commit_transaction()
    resp = raw(
        "post", "/_api/cursor", data={"query": "RETURN 1"},
        headers={"x-arango-trx-id": other.transaction_id},
    )
    assert (resp.status_code, resp.body["errorNum"]) == (404, 1655)


def test_routes_outside_stream_transactions_ignore_the_header(  # type: ignore[no-untyped-def]
    db: StandardDatabase, coll, raw
) -> None:
    """ArangoDB runs only the document, edge, import, graph vertex and edge, cursor creation,
    count and truncate APIs in the stream transaction ``x-arango-trx-id`` names; every other
    route ignores the header. So a request such as python-arango's ``TransactionDatabase``
    sends for collection properties or an index list answers whether the transaction has
    ended or is not known at all, and one of those seven APIs still gets the transaction's
    error and changes nothing."""
    coll.insert({"_key": "kept"})
    committed = db.begin_transaction(write="accounts")
    committed.commit_transaction()
    aborted = db.begin_transaction(write="accounts")
    aborted.abort_transaction()
    for tid in (committed.transaction_id, aborted.transaction_id, "424242"):
        header = {"x-arango-trx-id": tid}
        for method, endpoint, data in (
            ("get", "/_api/collection", None),
            ("get", "/_api/collection/accounts", None),
            ("get", "/_api/collection/accounts/properties", None),
            ("get", "/_api/collection/accounts/figures", None),
            ("get", "/_api/index?collection=accounts", None),
            ("post", "/_api/explain", {"query": "FOR d IN accounts RETURN d"}),
            ("post", "/_api/query", {"query": "RETURN 1"}),
            ("get", "/_api/gharial", None),
            ("get", "/_api/database/current", None),
        ):
            resp = raw(method, endpoint, data=data, headers=header)
            assert resp.status_code == 200, (tid, endpoint, resp.body)
        for method, endpoint, data in (
            ("get", "/_api/collection/accounts/count", None),
            ("put", "/_api/collection/accounts/truncate", None),
            ("get", "/_api/document/accounts/kept", None),
            ("post", "/_api/document/accounts", {"_key": "late"}),
            ("post", "/_api/import?collection=accounts", [{"_key": "late"}]),
            ("get", "/_api/edges/accounts?vertex=accounts/kept", None),
            ("post", "/_api/cursor", {"query": "RETURN 1"}),
        ):
            resp = raw(method, endpoint, data=data, headers=header)
            assert resp.body["errorNum"] in (1653, 1654, 1655), (tid, endpoint, resp.body)
    assert [d["_key"] for d in coll.all()] == ["kept"]
    assert committed.collection("accounts").properties()["name"] == "accounts"


def test_a_route_outside_stream_transactions_does_not_wait_for_the_lease(  # type: ignore[no-untyped-def]
    engine, db: StandardDatabase, coll, raw
) -> None:
    """While a request of the transaction holds its lease alone (a long query, a batch write),
    a request naming the transaction on a route that takes no part in it is answered; one that
    reads in the transaction (a count) gets ArangoDB's 28 ``already in use`` at once."""
    trx = db.begin_transaction(write="accounts")
    header = {"x-arango-trx-id": trx.transaction_id}
    lease = engine.streams.take(trx.transaction_id, db.name, write=True)
    assert lease is not None
    try:
        aside, aside_out = in_thread(
            lambda: raw("get", "/_api/collection/accounts/properties", headers=header)
        )
        joined(aside, "a properties request beside a held lease")
        assert aside_out[0].status_code == 200
        inside = raw("get", "/_api/collection/accounts/count", headers=header)
        assert inside.body["errorNum"] == 28 and "already in use" in inside.body["errorMessage"]
    finally:
        engine.streams.give_back(lease, write=True)
    assert raw("get", "/_api/collection/accounts/count", headers=header).body["count"] == 0
    trx.abort_transaction()


def test_unique_violation_detected_at_commit(db: StandardDatabase, coll) -> None:  # type: ignore[no-untyped-def]
    coll.add_index({"type": "persistent", "fields": ["email"], "unique": True})
    first = db.begin_transaction(write="accounts")
    second = db.begin_transaction(write="accounts")
    first.collection("accounts").insert({"_key": "1", "email": "x"})
    second.collection("accounts").insert({"_key": "2", "email": "x"})
    first.commit_transaction()
    with pytest.raises(TransactionCommitError) as info:
        second.commit_transaction()
    assert info.value.error_code == 1210
    assert second.transaction_status() == "aborted"
    assert coll.count() == 1


def test_a_commit_after_a_written_collection_was_dropped_fails_whole(  # type: ignore[no-untyped-def]
    db: StandardDatabase, coll
) -> None:
    """Another client dropped a collection the transaction wrote: the commit is 1203 and stores
    nothing, not even its writes to the collection still there (it used to answer success and
    keep those alone, while documents it had acknowledged as inserted were gone)."""
    kept = db.create_collection("kept")
    trx = db.begin_transaction(write=["accounts", "kept"])
    trx.collection("accounts").insert({"_key": "a"})
    trx.collection("kept").insert({"_key": "b"})
    db.delete_collection("accounts")
    with pytest.raises(TransactionCommitError) as info:
        trx.commit_transaction()
    assert info.value.error_code == 1203 and "accounts" in info.value.error_message
    assert trx.transaction_status() == "aborted"
    assert kept.count() == 0


def test_list_transactions(db: StandardDatabase, coll) -> None:  # type: ignore[no-untyped-def]
    trx = db.begin_transaction(read="accounts")
    listed = db.list_transactions()
    assert {"id": trx.transaction_id, "state": "running"} in listed
    trx.abort_transaction()
    assert all(t["id"] != trx.transaction_id for t in db.list_transactions())


def test_exclusive_collection_blocks_other_writers(db: StandardDatabase, coll) -> None:  # type: ignore[no-untyped-def]
    trx = db.begin_transaction(exclusive="accounts")
    with pytest.raises(DocumentInsertError) as info:
        coll.insert({})
    assert info.value.error_code == 1200
    trx.collection("accounts").insert({"_key": "x"})
    trx.commit_transaction()
    coll.insert({})


def test_idle_timeout_aborts(engine, db: StandardDatabase, coll) -> None:  # type: ignore[no-untyped-def]
    engine.streams.idle_timeout = 0.05
    trx = db.begin_transaction(write="accounts")
    trx.collection("accounts").insert({"_key": "late"})
    time.sleep(0.1)
    with pytest.raises(DocumentInsertError) as info:
        trx.collection("accounts").insert({})
    assert info.value.error_code == 1655
    assert trx.transaction_status() == "aborted"
    with pytest.raises(TransactionCommitError) as commit:
        trx.commit_transaction()
    assert commit.value.error_code == 1653
    assert not coll.has("late")


def test_unknown_transaction(db: StandardDatabase, raw) -> None:  # type: ignore[no-untyped-def]
    resp = raw("get", "/_api/transaction/424242")
    assert resp.status_code == 404 and resp.body["errorNum"] == 1655
    with pytest.raises(TransactionFetchError) as info:
        TransactionDatabase(db._conn, transaction_id="424242")
    assert info.value.error_code == 1655


def test_javascript_transactions_are_not_implemented(raw) -> None:  # type: ignore[no-untyped-def]
    resp = raw("post", "/_api/transaction", data={"collections": {}, "action": "function () {}"})
    assert resp.status_code == 501 and resp.body["errorNum"] == 9


def test_wire_shapes(raw, coll) -> None:  # type: ignore[no-untyped-def]
    begun = raw("post", "/_api/transaction/begin", data={"collections": {"write": "accounts"}})
    assert begun.status_code == 201
    tid = begun.body["result"]["id"]
    assert tid.isdigit() and begun.body == {
        "code": 201,
        "error": False,
        "result": {"id": tid, "status": "running"},
    }
    assert raw("get", "/_api/transaction").body == {
        "transactions": [{"id": tid, "state": "running"}]
    }
    committed = raw("put", f"/_api/transaction/{tid}").body
    assert committed == {"code": 200, "error": False, "result": {"id": tid, "status": "committed"}}
