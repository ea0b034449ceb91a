"""A transaction's writes are checked against unique indexes created while it runs."""

from __future__ import annotations

import pytest
from arango.exceptions import DocumentInsertError, TransactionCommitError


def test_unique_index_created_during_a_transaction(client) -> None:  # type: ignore[no-untyped-def]
    db = client.db("_system")
    coll = db.create_collection("c")
    coll.add_index({"type": "persistent", "fields": ["v"]})
    coll.insert({"_key": "a", "u": 1})
    trx = db.begin_transaction(write="c")
    tc = trx.collection("c")
    tc.insert({"_key": "b", "u": 2})  # the transaction's view of the indexes: none unique
    coll.add_index({"type": "persistent", "fields": ["u"], "unique": True})
    with pytest.raises(DocumentInsertError) as err:
        tc.insert({"_key": "c", "u": 1})
    assert err.value.error_code == 1210
    # its own document written before the index holds its value too (before 4 December 2026
    # this write was taken, and both documents with 2 committed)
    with pytest.raises(DocumentInsertError) as own:
        tc.insert({"_key": "e", "u": 2})
    assert own.value.error_code == 1210
    tc.insert({"_key": "d", "u": 3})
    trx.commit_transaction()
    assert sorted(d["_key"] for d in coll.all()) == ["a", "b", "d"]


def test_two_of_its_documents_sharing_a_value_of_a_unique_index_made_meanwhile_fail_the_commit(
    client,  # type: ignore[no-untyped-def]
) -> None:
    """Two documents the transaction wrote with one value before a unique index on it was
    created (each write was fine then): its commit is refused with 1210 and nothing of it is
    stored, so the index never holds a value twice. (ArangoDB's index creation would have
    waited for the transaction and then failed itself; either way the value is held once.)"""
    db = client.db("_system")
    coll = db.create_collection("c")
    coll.insert({"_key": "kept", "u": 1})
    trx = db.begin_transaction(write="c")
    tc = trx.collection("c")
    tc.insert({"_key": "b", "u": 2})
    tc.insert({"_key": "e", "u": 2})
    coll.add_index({"type": "persistent", "fields": ["u"], "unique": True})
    with pytest.raises(TransactionCommitError) as err:
        trx.commit_transaction()
    assert err.value.error_code == 1210
    assert [d["_key"] for d in coll.all()] == ["kept"]
    query = "FOR d IN c FILTER d.u == @u RETURN d._key"
    assert list(db.aql.execute(query, bind_vars={"u": 2})) == []
    coll.insert({"_key": "later", "u": 2})  # the value is free: nothing of the two was stored
    assert list(db.aql.execute(query, bind_vars={"u": 2})) == ["later"]
