"""INSERT, UPDATE, REPLACE, REMOVE and UPSERT with their OPTIONS, and query atomicity."""

from __future__ import annotations

from typing import Any

import pytest
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError


def q(db: StandardDatabase, text: str, **binds: Any) -> list[Any]:
    return list(db.aql.execute(text, bind_vars=binds or None))


@pytest.fixture
def files(db: StandardDatabase) -> StandardDatabase:
    db.create_collection("files").insert_many([
        {"_key": "a", "size": 1, "meta": {"x": 1, "y": 2}},
        {"_key": "b", "size": 2},
    ])
    return db


def test_insert_returns_new_with_system_attributes(files: StandardDatabase) -> None:
    (new,) = q(files, "INSERT {_key: 'c', size: 3} INTO files RETURN NEW")
    assert new["_key"] == "c" and new["_id"] == "files/c" and new["_rev"]
    assert files.collection("files").count() == 3


def test_insert_generates_keys(files: StandardDatabase) -> None:
    keys = q(files, "FOR i IN 1..3 INSERT {i} INTO files RETURN NEW._key")
    assert len(set(keys)) == 3


def test_insert_duplicate_fails_whole_query(files: StandardDatabase) -> None:
    with pytest.raises(AQLQueryExecuteError) as info:
        q(files, "FOR k IN ['new1', 'a'] INSERT {_key: k} INTO files")
    assert info.value.error_code == 1210
    assert files.collection("files").count() == 2  # new1 rolled back


def test_ignore_errors_skips_failing_documents(files: StandardDatabase) -> None:
    cursor = files.aql.execute(
        "FOR k IN ['n1', 'a'] INSERT {_key: k} INTO files OPTIONS {ignoreErrors: true} RETURN NEW._key"
    )
    assert list(cursor) == ["n1"]
    assert cursor.statistics()["modified"] == 1
    assert cursor.statistics()["ignored"] == 1


def test_overwrite_modes(files: StandardDatabase) -> None:
    rows = q(files, "INSERT {_key: 'a', extra: true} INTO files OPTIONS {overwriteMode: 'update'} "
                    "RETURN [OLD.size, NEW.size, NEW.extra]")
    assert rows == [[1, 1, True]]
    rows = q(files, "INSERT {_key: 'a', only: 1} INTO files OPTIONS {overwriteMode: 'replace'} RETURN NEW")
    assert "size" not in rows[0]
    assert q(files, "INSERT {_key: 'a'} INTO files OPTIONS {overwriteMode: 'ignore'} RETURN NEW.only") == [1]


def test_update_merges_and_keep_null(files: StandardDatabase) -> None:
    q(files, "UPDATE 'a' WITH {meta: {y: null, z: 3}} IN files OPTIONS {keepNull: false}")
    assert files.collection("files").get("a")["meta"] == {"x": 1, "z": 3}
    q(files, "UPDATE {_key: 'a', meta: {w: 1}} IN files OPTIONS {mergeObjects: false}")
    assert files.collection("files").get("a")["meta"] == {"w": 1}


def test_update_missing_document(files: StandardDatabase) -> None:
    with pytest.raises(AQLQueryExecuteError) as info:
        q(files, "UPDATE 'nope' WITH {x: 1} IN files")
    assert info.value.error_code == 1202


def test_replace_and_remove(files: StandardDatabase) -> None:
    rows = q(files, "REPLACE 'b' WITH {fresh: 1} IN files RETURN [OLD.size, NEW]")
    assert rows[0][0] == 2 and rows[0][1]["fresh"] == 1 and "size" not in rows[0][1]
    assert q(files, "FOR f IN files REMOVE f IN files RETURN OLD._key") == ["a", "b"]
    assert files.collection("files").count() == 0


def test_revision_check_when_ignore_revs_false(files: StandardDatabase) -> None:
    with pytest.raises(AQLQueryExecuteError) as info:
        q(files, "UPDATE {_key: 'a', _rev: 'wrong', size: 5} IN files OPTIONS {ignoreRevs: false}")
    assert info.value.error_code == 1200


def test_upsert_inserts_then_updates(files: StandardDatabase) -> None:
    text = ("UPSERT {path: @p} INSERT {path: @p, n: 1} UPDATE {n: OLD.n + 1} IN files "
            "RETURN {n: NEW.n, old: OLD != null}")
    assert q(files, text, p="/x") == [{"n": 1, "old": False}]
    assert q(files, text, p="/x") == [{"n": 2, "old": True}]
    rows = q(files, "UPSERT {path: '/x'} INSERT {} REPLACE {path: '/x', r: 1} IN files RETURN NEW")
    assert "n" not in rows[0] and rows[0]["r"] == 1


def test_collection_bind_parameter(files: StandardDatabase) -> None:
    assert q(files, "FOR f IN @@c SORT f._key RETURN f._key", **{"@c": "files"}) == ["a", "b"]
    q(files, "INSERT {_key: 'z'} INTO @@c", **{"@c": "files"})
    assert files.collection("files").has("z")


def test_document_must_be_object(files: StandardDatabase) -> None:
    with pytest.raises(AQLQueryExecuteError) as info:
        q(files, "INSERT 'text' INTO files")
    assert info.value.error_code == 1227


def test_read_after_modification_is_refused(files: StandardDatabase) -> None:
    for text in (
        "LET x = (INSERT {} INTO files) FOR f IN files RETURN f",
        "FOR f IN files LET u = (UPDATE f WITH {n: 1} IN files) RETURN u",
    ):
        with pytest.raises(AQLQueryExecuteError) as info:
            q(files, text)
        assert info.value.error_code == 1579
    assert files.collection("files").count() == 2


def test_read_then_modify_in_the_same_loop_is_allowed(files: StandardDatabase) -> None:
    assert q(files, "FOR f IN files UPDATE f WITH {seen: true} IN files RETURN NEW.seen") == [True, True]
