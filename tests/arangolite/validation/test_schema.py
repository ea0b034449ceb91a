"""Collection ``schema`` validation through python-arango (error 1620 / 1621)."""

from __future__ import annotations

from typing import Any

import pytest
from arango.database import StandardDatabase
from arango.exceptions import (
    AQLQueryExecuteError,
    CollectionConfigureError,
    CollectionCreateError,
    DocumentInsertError,
    DocumentReplaceError,
    DocumentUpdateError,
)
from arango.request import Request

RULE = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
    "required": ["name"],
    "additionalProperties": False,
}


def _schema(level: str) -> dict[str, object]:
    return {"rule": RULE, "level": level, "message": "needs a name", "type": "json"}


def test_strict_refuses_invalid_writes(db: StandardDatabase) -> None:
    col = db.create_collection("people", schema=_schema("strict"))
    assert col.properties()["schema"] == _schema("strict")
    col.insert({"_key": "a", "name": "Ann", "age": 3})  # system attributes are not validated
    for bad in ({"age": 3}, {"name": "x", "age": -1}, {"name": "x", "extra": 1}):
        with pytest.raises(DocumentInsertError) as info:
            col.insert(bad)
        assert (info.value.http_code, info.value.error_code) == (400, 1620)
        assert info.value.error_message == "needs a name"
    with pytest.raises(DocumentUpdateError) as upd:
        col.update({"_key": "a", "age": "old"})
    assert upd.value.error_code == 1620
    with pytest.raises(DocumentReplaceError):
        col.replace({"_key": "a", "age": 4})
    with pytest.raises(AQLQueryExecuteError) as aql:
        db.aql.execute("INSERT {nope: true} INTO people")
    assert aql.value.error_code == 1620
    assert col.count() == 1 and col.get("a")["age"] == 3


def test_levels_new_and_moderate(db: StandardDatabase) -> None:
    col = db.create_collection("levels")
    col.insert_many([{"_key": "bad", "x": 1}, {"_key": "good", "name": "G"}])
    col.configure(schema=_schema("new"))
    with pytest.raises(DocumentInsertError):
        col.insert({"x": 2})
    col.update({"_key": "good", "x": 5})  # level new: changes are not validated
    col.configure(schema=_schema("moderate"))
    col.update({"_key": "bad", "x": 2})  # invalid before: may stay invalid
    col.insert({"_key": "ok", "name": "O"})
    with pytest.raises(DocumentUpdateError):
        col.update({"_key": "ok", "name": 7})  # valid before: must stay valid
    col.configure(schema=_schema("none"))
    col.insert({"anything": True})
    removal = Request("put", "/_api/collection/levels/properties", data={"schema": None})
    assert db._conn.send_request(removal).status_code == 200  # python-arango refuses a null schema
    assert col.properties()["schema"] is None
    col.insert({"anything": "again"})


def test_malformed_schemas_are_refused(db: StandardDatabase) -> None:
    with pytest.raises(CollectionCreateError) as info:
        db.create_collection("bad1", schema={"rule": {"type": 12}, "level": "strict"})
    assert info.value.error_code == 1621
    assert not db.has_collection("bad1")
    col = db.create_collection("bad2")
    for schema in ({"rule": RULE, "level": "sometimes"}, {"level": "strict"}):
        with pytest.raises(CollectionConfigureError) as conf:
            col.configure(schema=schema)
        assert conf.value.error_code == 1621
    assert col.properties()["schema"] is None


def _send(db: StandardDatabase, method: str, endpoint: str, body: object, skip: bool) -> Any:
    params = {"skipDocumentValidation": True} if skip else {}
    answer = db._conn.send_request(Request(method, endpoint, params=params, data=body))
    return {"status": answer.status_code, "body": answer.body}


def test_skip_document_validation_skips_the_schema_not_computed_values(db: StandardDatabase) -> None:
    """``skipDocumentValidation=true`` (document API) and ``OPTIONS { skipDocumentValidation:
    true }`` (AQL) store documents the schema refuses; computed values are still applied.
    python-arango has no argument for it, so the requests go through its connection."""
    col = db.create_collection("skip", schema=_schema("strict"))
    col.configure(
        computed_values=[{"name": "stamp", "expression": "RETURN 'computed'", "overwrite": True}]
    )
    api = "/_api/document/skip"
    refused = _send(db, "post", api, {"_key": "a", "age": -1}, skip=False)
    assert refused["status"] == 400 and refused["body"]["errorNum"] == 1620
    assert _send(db, "post", api, {"_key": "a", "age": -1}, skip=True)["status"] in (201, 202)
    assert col.get("a") == {**col.get("a"), "age": -1, "stamp": "computed"}
    assert _send(db, "patch", f"{api}/a", {"age": "old"}, skip=True)["status"] in (201, 202)
    assert _send(db, "put", f"{api}/a", {"extra": 1}, skip=True)["status"] in (201, 202)
    assert col.get("a")["extra"] == 1 and col.get("a")["stamp"] == "computed"
    assert _send(db, "patch", f"{api}/a", {"age": "old"}, skip=False)["body"]["errorNum"] == 1620
    many = _send(db, "post", api, [{"_key": "b"}, {"_key": "c", "name": 1}], skip=True)
    assert [item.get("error", False) for item in many["body"]] == [False, False]
    many = _send(db, "patch", api, [{"_key": "b", "x": 1}, {"_key": "c", "y": 2}], skip=True)
    assert [item.get("error", False) for item in many["body"]] == [False, False]
    many = _send(db, "put", api, [{"_key": "b", "z": 1}], skip=True)
    assert [item.get("error", False) for item in many["body"]] == [False]
    many = _send(db, "put", api, [{"_key": "b", "z": 1}], skip=False)
    assert many["body"][0]["errorNum"] == 1620
    assert col.get("b") == {**col.get("b"), "z": 1, "stamp": "computed"}
    db.aql.execute(
        "INSERT {_key: 'd', nope: true} INTO skip OPTIONS { skipDocumentValidation: true }"
        " UPDATE 'd' WITH {age: 'x'} IN skip OPTIONS { skipDocumentValidation: true }"
    )
    db.aql.execute("REPLACE 'c' WITH {w: 1} IN skip OPTIONS { skipDocumentValidation: true }")
    assert col.get("d")["age"] == "x" and col.get("d")["stamp"] == "computed"
    assert col.get("c")["w"] == 1
    db.aql.execute(
        "UPSERT {_key: 'e'} INSERT {_key: 'e', v: 1} UPDATE {v: 2} IN skip"
        " OPTIONS { skipDocumentValidation: true }"
    )
    assert col.get("e")["v"] == 1 and col.get("e")["stamp"] == "computed"
    with pytest.raises(AQLQueryExecuteError) as aql:
        db.aql.execute("INSERT {nope: true} INTO skip OPTIONS { skipDocumentValidation: false }")
    assert aql.value.error_code == 1620
