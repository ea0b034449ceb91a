"""LibraryFilesOperations, executed on the backend under test."""

from __future__ import annotations

import pytest

from nomarr.helpers.dto import FileStatus, Library, LibraryCreate, TagValue
from nomarr.helpers.errors import DocumentNotFoundError, InvalidKeyError
from nomarr.helpers.keys import file_key
from nomarr.persistence import Database
from nomarr.persistence.database.library_files_aql.lookups import COUNT_BY_STATUS
from nomarr.persistence.schema import LIBRARY_FILES


def test_upsert_batch_inserts_files_and_edges(nomarr_db: Database, library: Library, make_files) -> None:
    files = make_files(library.key_, 25)
    report = nomarr_db.library_files.upsert_batch(files, batch_size=10)
    assert len(report.new_keys) == 25 and not report.modified_keys and not report.unchanged_keys
    stored = nomarr_db.library_files.get_by_path(library.key_, files[3].path)
    assert stored.key_ == file_key(library.key_, files[3].path)
    assert (stored.size, stored.status, stored.metadata) == (files[3].size, "pending", {"format": "flac"})
    assert nomarr_db._collections.count("library_has_file") == 25


def test_rescan_reports_unchanged_and_resets_modified(nomarr_db: Database, library: Library, make_files) -> None:
    files = make_files(library.key_, 4)
    first = nomarr_db.library_files.upsert_batch(files)
    nomarr_db.library_files.update_status_many(first.new_keys, FileStatus.TAGGED)
    changed = files[1].model_copy(update={"mtime_ms": files[1].mtime_ms + 1})
    report = nomarr_db.library_files.upsert_batch([files[0], changed, files[2]])
    assert report.unchanged_keys == [first.new_keys[0], first.new_keys[2]]
    assert report.modified_keys == [first.new_keys[1]]
    assert nomarr_db.library_files.count_by_status(library.key_) == {"tagged": 3, "pending": 1}
    assert nomarr_db._collections.count("library_has_file") == 4


def test_find_unchanged(nomarr_db: Database, library: Library, make_files) -> None:
    files = make_files(library.key_, 3)
    nomarr_db.library_files.upsert_batch(files[:2])
    grown = files[1].model_copy(update={"size": 1})
    assert nomarr_db.library_files.find_unchanged([files[0], grown, files[2]]) == [
        file_key(library.key_, files[0].path)
    ]


def test_pending_files_and_claims(nomarr_db: Database, library: Library, make_files) -> None:
    report = nomarr_db.library_files.upsert_batch(make_files(library.key_, 5))
    nomarr_db.library_files.update_status(report.new_keys[0], FileStatus.TAGGED)
    nomarr_db.worker_claims.try_claim(report.new_keys[1], "w1")
    assert len(nomarr_db.library_files.get_pending_files(library.key_, 10)) == 4
    assert len(nomarr_db.library_files.get_pending_files(library.key_, 2)) == 2
    unclaimed = nomarr_db.library_files.get_pending_files(library.key_, 10, unclaimed_only=True)
    assert sorted(f.key_ for f in unclaimed) == sorted(report.new_keys[2:])


def test_mark_discovered_and_status(nomarr_db: Database, library: Library, make_files) -> None:
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 3)).new_keys
    assert nomarr_db.library_files.mark_discovered([*keys[:2], "missing"], discovered_at=42) == 2
    assert nomarr_db.library_files.get(keys[0]).discovered_at == 42
    assert nomarr_db.library_files.get(keys[2]).discovered_at is None
    updated = nomarr_db.library_files.update_status(keys[2], FileStatus.ERROR)
    assert updated.status == "error"
    assert nomarr_db.library_files.get_files_by_status(library.key_, "error")[0].key_ == keys[2]


def test_update_statuses_sets_each_files_own(nomarr_db: Database, library: Library, make_files) -> None:
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 3)).new_keys
    updated = nomarr_db.library_files.update_statuses(
        {keys[0]: FileStatus.TAGGED, keys[1]: FileStatus.ERROR, "missing": FileStatus.TAGGED}
    )
    assert sorted((f.key_, f.status) for f in updated) == sorted(
        [(keys[0], FileStatus.TAGGED), (keys[1], FileStatus.ERROR)]
    )
    assert nomarr_db.library_files.count_by_status(library.key_) == {"tagged": 1, "error": 1, "pending": 1}
    assert nomarr_db.library_files.update_statuses({}) == []


def test_list_for_library_pages_by_path(nomarr_db: Database, library: Library, make_files) -> None:
    nomarr_db.library_files.upsert_batch(make_files(library.key_, 7))
    page = nomarr_db.library_files.list_for_library(library.key_, limit=3, offset=3)
    assert [f.path for f in page] == [f"/music/album/{i:06d}.flac" for i in (3, 4, 5)]


def test_reset_folder_removes_files_edges_and_claims(nomarr_db: Database, library: Library, make_files) -> None:
    folder = nomarr_db.library_folders.upsert(library.key_, "/music/album")
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 3, folder.key_)).new_keys
    nomarr_db.library_files.upsert_batch(make_files(library.key_, 2, start=50))
    nomarr_db.tags.set_file_tags(keys[0], [TagValue(name="mood", value="calm")])
    nomarr_db.worker_claims.try_claim(keys[1], "w1")
    counts = nomarr_db.library_files.delete_folder_files(folder.key_)
    assert counts == {"library_files": 3, "library_has_file": 3, "file_has_tag": 1, "worker_claims": 1}
    assert nomarr_db.library_folders.get(folder.key_).key_ == folder.key_
    assert nomarr_db.library_files.count_by_status(library.key_) == {"pending": 2}
    assert nomarr_db.library_files.delete_folder_files(folder.key_)["library_files"] == 0


def test_delete_many_removes_files_edges_and_claims(nomarr_db: Database, library: Library, make_files) -> None:
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 4)).new_keys
    nomarr_db.tags.set_file_tags(keys[0], [TagValue(name="genre", value="jazz")])
    nomarr_db.worker_claims.try_claim(keys[1], "w1")
    counts = nomarr_db.library_files.delete_many([keys[0], keys[1], "missing"])
    assert counts == {"library_files": 2, "library_has_file": 2, "file_has_tag": 1, "worker_claims": 1}
    assert nomarr_db.library_files.count_by_status(library.key_) == {"pending": 2}
    assert nomarr_db.tags.get_files_by_tag("genre", "jazz") == []
    assert nomarr_db.library_files.delete_many([])["library_files"] == 0


def test_missing_and_invalid(nomarr_db: Database, library: Library, make_files) -> None:
    with pytest.raises(DocumentNotFoundError):
        nomarr_db.library_files.get("missing")
    with pytest.raises(DocumentNotFoundError):
        nomarr_db.library_files.update_status("missing", "tagged")
    with pytest.raises(DocumentNotFoundError):
        nomarr_db.library_files.get_by_path(library.key_, "/nope.mp3")
    bad = make_files("bad key", 1)
    with pytest.raises(InvalidKeyError):
        nomarr_db.library_files.upsert_batch(make_files(library.key_, 2) + bad)
    assert nomarr_db.library_files.count_by_status(library.key_) == {}


def test_count_by_status_reads_the_status_index_alone(nomarr_embedded_db: Database, make_files) -> None:
    """The count is ``FILTER f.library_key == @k COLLECT s = f.status`` over the index on
    [library_key, status]: arangolite answers it from the index entries, reading none of the
    library's files (it read every one before), and the counts are those of the files."""
    db = nomarr_embedded_db
    music = db.libraries.create(LibraryCreate(name="Music", root_path="/music"))
    other = db.libraries.create(LibraryCreate(name="Other", root_path="/other"))
    keys = db.library_files.upsert_batch(make_files(music.key_, 60)).new_keys
    db.library_files.upsert_batch(make_files(other.key_, 7))
    db.library_files.update_status_many(keys[:25], FileStatus.TAGGED)
    db.library_files.update_status_many(keys[25:30], FileStatus.ERROR)
    assert db.library_files.count_by_status(music.key_) == {"pending": 30, "tagged": 25, "error": 5}
    assert db.library_files.count_by_status(other.key_) == {"pending": 7}
    assert db.library_files.count_by_status("nolibrary") == {}
    bind = {"@files": LIBRARY_FILES, "library_key": music.key_}
    cursor = db.connection.db.aql.execute(COUNT_BY_STATUS, bind_vars=bind)
    assert {row["status"]: row["files"] for row in cursor} == {"pending": 30, "tagged": 25, "error": 5}
    stats = cursor.statistics()
    assert stats["scanned_index"] == 0 and stats["scanned_full"] == 0, stats
