"""``POST /_api/import``: JSON lines, arrays, tabular rows, duplicates, ``complete``, details."""

from __future__ import annotations

import pytest
from arango.database import StandardDatabase
from arango.exceptions import DocumentInsertError


@pytest.fixture
def coll(db: StandardDatabase):  # type: ignore[no-untyped-def]
    return db.create_collection("products")


def test_import_bulk_counts_and_details(coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert({"_key": "taken"})
    result = coll.import_bulk([{"_key": "a"}, {"_key": "taken"}, {"v": 1}], halt_on_error=False)
    assert result["created"] == 2 and result["errors"] == 1 and result["error"] is False
    assert result["details"] == [
        "at position 2: creating document failed with error 'unique constraint violated', "
        'offending document: {"_key":"taken"}'
    ]
    assert coll.count() == 3


def test_complete_aborts_everything(coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert({"_key": "taken"})
    with pytest.raises(DocumentInsertError) as info:
        coll.import_bulk([{"_key": "fresh"}, {"_key": "taken"}], halt_on_error=True)
    assert (
        info.value.error_code == 1210 and info.value.error_message == "unique constraint violated"
    )
    assert coll.count() == 1


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("update", {"a": 1, "b": 2}), ("replace", {"b": 2}), ("ignore", {"a": 1})],
)
def test_on_duplicate(coll, mode, expected) -> None:  # type: ignore[no-untyped-def]
    coll.insert({"_key": "k", "a": 1})
    result = coll.import_bulk([{"_key": "k", "b": 2}], on_duplicate=mode)
    key = "ignored" if mode == "ignore" else "updated"
    assert result[key] == 1 and result["created"] == 0
    doc = coll.get("k")
    assert {k: v for k, v in doc.items() if not k.startswith("_")} == expected


def test_overwrite_truncates_first(coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert_many([{"_key": "old1"}, {"_key": "old2"}])
    coll.import_bulk([{"_key": "new"}], overwrite=True)
    assert [d["_key"] for d in coll.get_many(["old1", "old2", "new"])] == ["new"]


def test_json_lines_and_empty_lines(raw, coll) -> None:  # type: ignore[no-untyped-def]
    body = '{ "_key": "abc", "value1": 25 }\n{ "_key": "foo", "name": "baz" }\n\n{ "name": "x" }\n'
    resp = raw(
        "post", "/_api/import", data=body, params={"collection": "products", "type": "documents"}
    )
    assert resp.status_code == 201
    assert resp.body == {
        "error": False,
        "created": 3,
        "errors": 0,
        "empty": 1,
        "updated": 0,
        "ignored": 0,
    }


def test_tabular_format(raw, coll) -> None:  # type: ignore[no-untyped-def]
    body = '[ "_key", "value1", "value2" ]\n[ "abc", 25, "test" ]\n\n[ "foo", "bar", "baz" ]'
    resp = raw("post", "/_api/import", data=body, params={"collection": "products"})
    assert resp.body["created"] == 2 and resp.body["empty"] == 1
    assert coll.get("abc")["value1"] == 25
    bad = raw("post", "/_api/import", data='{ "_key": "foo" }', params={"collection": "products"})
    assert bad.status_code == 400


def test_list_requires_array(raw, coll) -> None:  # type: ignore[no-untyped-def]
    resp = raw(
        "post", "/_api/import", data="{ }", params={"collection": "products", "type": "list"}
    )
    assert (
        resp.status_code == 400
        and resp.body["errorMessage"] == "expecting a JSON array in the request"
    )
    auto = raw(
        "post", "/_api/import", data='[{"a": 1}]', params={"collection": "products", "type": "auto"}
    )
    assert auto.body["created"] == 1


def test_edges_need_from_and_to(db: StandardDatabase, raw) -> None:  # type: ignore[no-untyped-def]
    db.create_collection("links", edge=True)
    resp = raw(
        "post",
        "/_api/import",
        data=[{"name": "some name"}],
        params={"collection": "links", "type": "list", "details": "true"},
    )
    assert resp.body["errors"] == 1
    assert resp.body["details"] == [
        "at position 1: missing '_from' or '_to' attribute, offending document: {\"name\":\"some name\"}"
    ]
    prefixed = raw(
        "post",
        "/_api/import",
        data=[{"_from": "1", "_to": "2"}],
        params={"collection": "links", "type": "list", "fromPrefix": "v", "toPrefix": "w"},
    )
    assert prefixed.body["created"] == 1
    edge = db.aql.execute("FOR e IN links RETURN [e._from, e._to]")
    assert list(edge) == [["v/1", "w/2"]]


def test_missing_collection(raw) -> None:  # type: ignore[no-untyped-def]
    resp = raw(
        "post", "/_api/import", data='{"a": 1}', params={"collection": "nope", "type": "documents"}
    )
    assert resp.status_code == 404 and resp.body["errorNum"] == 1203
    assert raw("post", "/_api/import", data="[]", params={"type": "list"}).body["errorNum"] == 1204
