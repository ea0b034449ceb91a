"""A transaction's writes are checked against unique indexes created while it runs."""

from __future__ import annotations

import pytest
from arango.exceptions import DocumentInsertError


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
    tc.insert({"_key": "d", "u": 3})
    trx.commit_transaction()
    assert sorted(d["_key"] for d in coll.all()) == ["a", "b", "d"]
