"""Single and batch document CRUD through python-arango, with every option."""

from __future__ import annotations

import pytest
from arango.database import StandardDatabase
from arango.exceptions import (
    DocumentDeleteError,
    DocumentGetError,
    DocumentInsertError,
    DocumentReplaceError,
    DocumentRevisionError,
    DocumentUpdateError,
)


@pytest.fixture
def coll(db: StandardDatabase):  # type: ignore[no-untyped-def]
    return db.create_collection("docs")


# --------------------------------------------------------------------------- insert


def test_insert_returns_metadata_and_generates_increasing_keys(coll) -> None:  # type: ignore[no-untyped-def]
    first = coll.insert({"a": 1})
    second = coll.insert({"a": 2})
    assert set(first) == {"_id", "_key", "_rev"}
    assert first["_id"] == f"docs/{first['_key']}"
    assert int(second["_key"]) > int(first["_key"])
    assert first["_rev"] != second["_rev"]


def test_insert_return_new_and_silent(coll) -> None:  # type: ignore[no-untyped-def]
    result = coll.insert({"_key": "k", "x": 1}, return_new=True)
    assert result["new"] == {"_key": "k", "_id": "docs/k", "_rev": result["_rev"], "x": 1}
    assert coll.insert({"_key": "s"}, silent=True) is True
    assert coll.has("s")


def test_insert_ignores_id_and_rev_in_body(coll) -> None:  # type: ignore[no-untyped-def]
    result = coll.insert({"_key": "k", "_rev": "bogus", "v": 1}, return_new=True)
    assert result["new"]["_rev"] != "bogus"


def test_duplicate_key_is_1210(coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert({"_key": "dup"})
    with pytest.raises(DocumentInsertError) as info:
        coll.insert({"_key": "dup"})
    assert info.value.error_code == 1210
    assert info.value.http_code == 409
    assert "conflicting key: dup" in info.value.error_message


@pytest.mark.parametrize("key", ["", "a" * 255, "a/b", "with space", "nul\x00", "ü", 17, "a#b"])
def test_invalid_keys_are_1221(coll, key) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DocumentInsertError) as info:
        coll.insert({"_key": key})
    assert info.value.error_code == 1221


@pytest.mark.parametrize("key", ["a" * 254, "A-z_0:9.@()+,=;$!*'%", "123"])
def test_valid_keys(coll, key) -> None:  # type: ignore[no-untyped-def]
    assert coll.insert({"_key": key})["_key"] == key
    assert coll.get(key)["_key"] == key


def test_overwrite_modes(coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert({"_key": "k", "a": 1, "o": {"x": 1}})
    ignored = coll.insert({"_key": "k", "a": 2}, overwrite_mode="ignore")
    assert coll.get("k")["a"] == 1 and "_old_rev" not in ignored
    replaced = coll.insert({"_key": "k", "b": 2}, overwrite_mode="replace", return_old=True)
    assert replaced["old"]["a"] == 1 and "_old_rev" in replaced
    assert coll.get("k") == {"_key": "k", "_id": "docs/k", "_rev": replaced["_rev"], "b": 2}
    coll.insert({"_key": "k", "o": {"y": 2}, "n": None}, overwrite_mode="update", keep_none=False)
    assert coll.get("k")["o"] == {"y": 2} and "n" not in coll.get("k")
    coll.insert({"_key": "k", "o": {"z": 3}}, overwrite_mode="update", merge=True)
    assert coll.get("k")["o"] == {"y": 2, "z": 3}
    with pytest.raises(DocumentInsertError) as info:
        coll.insert({"_key": "k"}, overwrite_mode="conflict")
    assert info.value.error_code == 1210


def test_legacy_overwrite_flag_replaces(coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert({"_key": "k", "a": 1})
    result = coll.insert({"_key": "k", "b": 1}, overwrite=True)
    assert "_old_rev" in result and "a" not in coll.get("k")


def test_non_object_document_is_1227(raw, coll) -> None:  # type: ignore[no-untyped-def]
    resp = raw("post", "/_api/document/docs", data=[1, "x", {"_key": "fine"}])
    assert [r.get("errorNum") for r in resp.body] == [1227, 1227, None]
    assert resp.headers["x-arango-error-codes"] == '{"1227":2}'
    single = raw("post", "/_api/document/docs", data="[1")
    assert single.status_code == 400 and single.body["errorNum"] == 600


def test_insert_into_missing_collection_is_1203(db: StandardDatabase) -> None:
    with pytest.raises(DocumentInsertError) as info:
        db.collection("nope").insert({})
    assert info.value.error_code == 1203
    assert info.value.error_message == "collection or view not found: nope"


def test_version_attribute_skips_older_writes(coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert({"_key": "k", "v": 5, "x": "five"})
    coll.insert(
        {"_key": "k", "v": 3, "x": "three"}, overwrite_mode="replace", version_attribute="v"
    )
    assert coll.get("k")["x"] == "five"
    coll.insert({"_key": "k", "v": 6, "x": "six"}, overwrite_mode="replace", version_attribute="v")
    assert coll.get("k")["x"] == "six"
    coll.update({"_key": "k", "v": 1, "x": "one"}, version_attribute="v")
    assert coll.get("k")["x"] == "six"


# --------------------------------------------------------------------------- read


def test_get_by_key_id_and_body(coll) -> None:  # type: ignore[no-untyped-def]
    meta = coll.insert({"_key": "k", "v": 1})
    assert coll.get("k")["v"] == 1
    assert coll.get("docs/k")["v"] == 1
    assert coll.get({"_key": "k"})["v"] == 1
    assert coll["k"]["v"] == 1
    assert coll.get("missing") is None
    assert coll.get("k", rev=meta["_rev"])["v"] == 1
    with pytest.raises(DocumentRevisionError) as info:
        coll.get("k", rev="_wrong")
    assert info.value.http_code == 412 and info.value.error_code == 1200


def test_get_missing_collection_is_1203(db: StandardDatabase) -> None:
    with pytest.raises(DocumentGetError) as info:
        db.collection("nope").get("x")
    assert info.value.error_code == 1203


def test_has_uses_head(coll) -> None:  # type: ignore[no-untyped-def]
    meta = coll.insert({"_key": "k"})
    assert coll.has("k") and not coll.has("other")
    assert coll.has({"_key": "k", "_rev": meta["_rev"]})
    with pytest.raises(DocumentRevisionError):
        coll.has({"_key": "k", "_rev": "_nope"})
    assert coll.has({"_key": "k", "_rev": "_nope"}, check_rev=False)


def test_get_many_skips_missing(coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert_many([{"_key": "a"}, {"_key": "b"}])
    found = coll.get_many(["a", "docs/b", {"_key": "zzz"}, "x"])
    assert [d["_key"] for d in found] == ["a", "b"]


# --------------------------------------------------------------------------- update / replace


def test_update_merges_and_keep_none(coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert({"_key": "k", "a": 1, "o": {"x": 1, "y": 2}, "drop": 1})
    result = coll.update(
        {"_key": "k", "o": {"x": None, "z": 3}, "drop": None},
        keep_none=False,
        return_old=True,
        return_new=True,
    )
    assert result["old"]["drop"] == 1
    assert result["new"]["o"] == {"y": 2, "z": 3} and "drop" not in result["new"]
    assert result["_old_rev"] == result["old"]["_rev"]
    coll.update({"_key": "k", "o": {"w": 0}}, merge=False)
    assert coll.get("k")["o"] == {"w": 0}
    coll.update({"_key": "k", "n": None})
    assert coll.get("k")["n"] is None


def test_update_keeps_attribute_order_and_system_attributes(coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert({"_key": "k", "one": 1})
    coll.update({"_key": "k", "two": 2, "_rev": "ignored"}, check_rev=False)
    doc = coll.get("k")
    assert list(doc) == ["_key", "_id", "_rev", "one", "two"]
    assert doc["_id"] == "docs/k"


def test_replace_drops_old_attributes(coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert({"_key": "k", "a": 1})
    result = coll.replace({"_key": "k", "b": 2}, return_new=True)
    assert result["new"] == {"_key": "k", "_id": "docs/k", "_rev": result["_rev"], "b": 2}


def test_revision_checks_on_update_replace_delete(coll) -> None:  # type: ignore[no-untyped-def]
    meta = coll.insert({"_key": "k", "v": 1})
    for call in (
        lambda: coll.update({"_key": "k", "_rev": "_bad", "v": 2}),
        lambda: coll.replace({"_key": "k", "_rev": "_bad", "v": 2}),
        lambda: coll.delete({"_key": "k", "_rev": "_bad"}),
    ):
        with pytest.raises(DocumentRevisionError) as info:
            call()
        assert info.value.http_code == 412 and info.value.error_code == 1200
    assert coll.update({"_key": "k", "_rev": "_bad", "v": 2}, check_rev=False)
    current = coll.get("k")["_rev"]
    assert current != meta["_rev"]
    assert coll.replace({"_key": "k", "_rev": current, "v": 3})["_old_rev"] == current


def test_update_missing_is_1202(coll) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DocumentUpdateError) as info:
        coll.update({"_key": "nope", "a": 1})
    assert info.value.error_code == 1202 and info.value.http_code == 404
    with pytest.raises(DocumentReplaceError) as info2:
        coll.replace({"_key": "nope", "a": 1})
    assert info2.value.error_code == 1202


def test_update_silent(coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert({"_key": "k"})
    assert coll.update({"_key": "k", "x": 1}, silent=True) is True
    assert coll.replace({"_key": "k", "x": 2}, silent=True) is True


# --------------------------------------------------------------------------- delete


def test_delete_variants(coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert_many([{"_key": "a"}, {"_key": "b"}, {"_key": "c"}])
    assert coll.delete("a")["_key"] == "a"
    assert coll.delete({"_key": "b"}, return_old=True)["old"]["_key"] == "b"
    assert coll.delete("c", silent=True) is True
    assert coll.delete("a", ignore_missing=True) is False
    with pytest.raises(DocumentDeleteError) as info:
        coll.delete("a")
    assert info.value.error_code == 1202
    assert coll.count() == 0


# --------------------------------------------------------------------------- batch


def test_insert_many_reports_errors_per_item(coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert({"_key": "taken"})
    results = coll.insert_many(
        [{"_key": "taken"}, {"_key": "new"}, {"_key": "bad key"}], return_new=True
    )
    assert isinstance(results[0], DocumentInsertError) and results[0].error_code == 1210
    assert results[1]["new"]["_key"] == "new"
    assert results[2].error_code == 1221
    with pytest.raises(DocumentInsertError):
        coll.insert_many([{"_key": "taken"}], raise_on_document_error=True)
    assert coll.insert_many([{"a": 1}], silent=True) is True


def test_batch_error_codes_header(raw, coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert({"_key": "a"})
    resp = raw("post", "/_api/document/docs", data=[{"_key": "a"}, {"_key": "a"}, {}])
    assert resp.status_code == 202
    assert resp.headers["x-arango-error-codes"] == '{"1210":2}'
    assert resp.body[0] == {
        "error": True,
        "errorNum": 1210,
        "errorMessage": "unique constraint violated - in index primary of type primary over '_key'; conflicting key: a",
    }


def test_update_replace_delete_many(coll) -> None:  # type: ignore[no-untyped-def]
    metas = coll.insert_many([{"_key": "a", "v": 1}, {"_key": "b", "v": 1}])
    updated = coll.update_many([{"_key": "a", "v": 2}, {"_key": "zz", "v": 2}], return_new=True)
    assert updated[0]["new"]["v"] == 2 and "_old_rev" in updated[0]
    assert isinstance(updated[1], DocumentUpdateError) and updated[1].error_code == 1202
    replaced = coll.replace_many([{"_key": "b", "w": 1, "_rev": metas[1]["_rev"]}])
    assert replaced[0]["_key"] == "b" and "v" not in coll.get("b")
    stale = coll.replace_many([{"_key": "b", "w": 2, "_rev": metas[1]["_rev"]}])
    assert isinstance(stale[0], DocumentRevisionError)
    deleted = coll.delete_many(["a", {"_key": "b"}, "docs/zz"], return_old=True)
    assert deleted[0]["old"]["v"] == 2 and deleted[1]["_key"] == "b"
    assert deleted[2].error_code == 1202
    assert coll.count() == 0


def test_delete_many_with_revisions(coll) -> None:  # type: ignore[no-untyped-def]
    coll.insert_many([{"_key": "a"}, {"_key": "b"}])
    results = coll.delete_many([{"_key": "a", "_rev": "_x"}, {"_key": "b", "_rev": "_x"}])
    assert [r.error_code for r in results] == [1200, 1200]
    assert coll.delete_many([{"_key": "a", "_rev": "_x"}], check_rev=False)[0]["_key"] == "a"


# --------------------------------------------------------------------------- edges


def test_edges_require_valid_from_and_to(db: StandardDatabase) -> None:
    edges = db.create_collection("rel", edge=True)
    ok = edges.insert({"_from": "v/1", "_to": "v/2", "w": 1}, return_new=True)
    assert ok["new"]["_from"] == "v/1"
    assert list(ok["new"])[:5] == ["_key", "_id", "_from", "_to", "_rev"]
    for bad in (
        {"_to": "v/2"},
        {"_from": "v/1"},
        {"_from": "v1", "_to": "v/2"},
        {"_from": 1, "_to": "v/2"},
        {"_from": "v/a b", "_to": "v/2"},
    ):
        with pytest.raises(DocumentInsertError) as info:
            edges.insert(bad)
        assert info.value.error_code == 1233
    edges.update({"_key": ok["_key"], "_to": "v/3"})
    assert edges.get(ok["_key"])["_to"] == "v/3"
    with pytest.raises(DocumentReplaceError) as info2:
        edges.replace({"_key": ok["_key"], "w": 2})
    assert info2.value.error_code == 1233


def test_edges_endpoint(db: StandardDatabase, raw) -> None:  # type: ignore[no-untyped-def]
    edges = db.create_collection("rel", edge=True)
    edges.insert_many(
        [
            {"_key": "1", "_from": "v/a", "_to": "v/b"},
            {"_key": "2", "_from": "v/b", "_to": "v/a"},
            {"_key": "3", "_from": "v/a", "_to": "v/a"},
        ]
    )

    def keys(**params: str) -> list[str]:
        body = raw("get", "/_api/edges/rel", params={"vertex": "v/a", **params}).body
        return [e["_key"] for e in body["edges"]]

    assert keys(direction="out") == ["1", "3"]
    assert keys(direction="in") == ["2", "3"]
    assert sorted(keys()) == ["1", "2", "3"]
    assert raw("get", "/_api/edges/rel").body["errorNum"] == 10


def test_overwrite_mode_ignore_returns_no_old_or_new(coll) -> None:  # type: ignore[no-untyped-def]
    first = coll.insert({"_key": "k", "v": 1})
    kept = coll.insert({"_key": "k", "v": 2}, overwrite_mode="ignore", return_new=True, return_old=True)
    assert kept == {"_id": first["_id"], "_key": "k", "_rev": first["_rev"]}
    assert coll.get("k")["v"] == 1
    fresh = coll.insert({"_key": "n"}, overwrite_mode="ignore", return_new=True)
    assert fresh["new"]["_key"] == "n"
