"""LibrariesOperations, executed on the backend under test."""

from __future__ import annotations

import pytest

from nomarr.helpers.dto import Library, LibraryCreate, LibraryUpdate, TagValue
from nomarr.helpers.errors import DocumentNotFoundError, DuplicateKeyError, InvalidKeyError
from nomarr.persistence import Database


def test_create_get_list(nomarr_db: Database) -> None:
    b = nomarr_db.libraries.create(LibraryCreate(name="B", root_path="/b"))
    a = nomarr_db.libraries.create(LibraryCreate(name="A", root_path="/a", enabled=False), key="lib-a")
    assert a.key_ == "lib-a" and a.id_ == "libraries/lib-a" and a.rev_
    assert nomarr_db.libraries.get("lib-a") == a
    assert [lib.name for lib in nomarr_db.libraries.list()] == ["A", "B"]
    assert nomarr_db.libraries.get(b.key_).root_path == "/b"


def test_duplicate_key_raises_and_keeps_the_original(nomarr_db: Database) -> None:
    nomarr_db.libraries.create(LibraryCreate(name="A", root_path="/a"), key="same")
    with pytest.raises(DuplicateKeyError) as info:
        nomarr_db.libraries.create(LibraryCreate(name="B", root_path="/b"), key="same")
    assert info.value.error_num == 1210 and info.value.http_code == 409
    assert str(info.value).startswith(DuplicateKeyError.prefix)
    assert nomarr_db.libraries.get("same").name == "A"


def test_update_changes_only_given_fields(nomarr_db: Database, library: Library) -> None:
    updated = nomarr_db.libraries.update(library.key_, LibraryUpdate(enabled=False))
    assert (updated.name, updated.enabled) == ("Music", False)
    assert updated.updated_at >= library.updated_at


def test_missing_library(nomarr_db: Database) -> None:
    for call in (
        lambda: nomarr_db.libraries.get("nope"),
        lambda: nomarr_db.libraries.update("nope", LibraryUpdate(name="x")),
        lambda: nomarr_db.libraries.delete("nope"),
    ):
        with pytest.raises(DocumentNotFoundError, match="nope"):
            call()


def test_invalid_key_changes_nothing(nomarr_db: Database) -> None:
    with pytest.raises(InvalidKeyError):
        nomarr_db.libraries.create(LibraryCreate(name="A", root_path="/a"), key="a/b")
    assert nomarr_db.libraries.list() == []


def test_delete_removes_everything_hanging_off_the_library(
    nomarr_db: Database, library: Library, make_files
) -> None:
    other = nomarr_db.libraries.create(LibraryCreate(name="Other", root_path="/o"))
    folder = nomarr_db.library_folders.upsert(library.key_, "/music/album")
    report = nomarr_db.library_files.upsert_batch(make_files(library.key_, 4, folder.key_))
    kept = nomarr_db.library_files.upsert_batch(make_files(other.key_, 2))
    nomarr_db.tags.set_file_tags(report.new_keys[0], [TagValue(name="genre", value="jazz")])
    nomarr_db.worker_claims.try_claim(report.new_keys[1], "w1")
    nomarr_db.stats.refresh(library.key_)

    counts = nomarr_db.libraries.delete(library.key_)

    assert counts == {
        "libraries": 1,
        "library_folders": 1,
        "library_files": 4,
        "library_has_file": 4,
        "file_has_tag": 1,
        "worker_claims": 1,
        "library_stats": 1,
    }
    assert [lib.key_ for lib in nomarr_db.libraries.list()] == [other.key_]
    assert nomarr_db.library_files.count_by_status(other.key_) == {"pending": 2}
    assert nomarr_db.library_files.get(kept.new_keys[0]).library_key == other.key_
