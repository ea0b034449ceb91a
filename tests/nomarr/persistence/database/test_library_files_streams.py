"""Streams of library files (keyset pagination), files of a folder, and moving a file."""

from __future__ import annotations

import pytest

from nomarr.helpers.dto import Library, LibraryFileCreate, TagValue
from nomarr.helpers.errors import DocumentNotFoundError, DuplicateKeyError
from nomarr.persistence import Database


@pytest.mark.parametrize("batch", [1, 7, 25, 1000])
def test_iter_for_library_yields_every_file_once_in_path_order(nomarr_db: Database, library: Library, make_files, batch: int) -> None:
    nomarr_db.library_files.upsert_batch(make_files(library.key_, 25))
    nomarr_db.library_files.upsert_batch(make_files("other", 5))
    paths = [f.path for f in nomarr_db.library_files.iter_for_library(library.key_, batch_size=batch)]
    assert paths == sorted(f.path for f in make_files(library.key_, 25))


def test_one_query_per_batch(nomarr_db: Database, library: Library, make_files, count_queries) -> None:
    nomarr_db.library_files.upsert_batch(make_files(library.key_, 25))
    ops = nomarr_db.library_files
    counting = count_queries(ops)
    assert len(list(ops.iter_for_library(library.key_, batch_size=10))) == 25
    assert counting.queries == 3
    counting.queries = 0
    assert len(list(ops.iter_for_library(library.key_, batch_size=5))) == 25
    assert counting.queries == 5  # no empty last page


def test_a_stream_survives_writes_between_batches(nomarr_db: Database, library: Library, make_files) -> None:
    nomarr_db.library_files.upsert_batch(make_files(library.key_, 10))
    seen = []
    for file in nomarr_db.library_files.iter_for_library(library.key_, batch_size=3):
        seen.append(file.path)
        nomarr_db.library_files.delete_many([file.key_])  # the scan deletes as it goes
    assert len(seen) == 10 and len(set(seen)) == 10


def test_iter_by_status_and_folder(nomarr_db: Database, library: Library, make_files) -> None:
    folder = nomarr_db.library_folders.upsert(library.key_, "/music/album")
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 12, folder.key_)).new_keys
    nomarr_db.library_files.upsert_batch(make_files(library.key_, 3, start=100))
    nomarr_db.library_files.update_status_many(keys[:5], "tagged")
    tagged = list(nomarr_db.library_files.iter_by_status(library.key_, "tagged", batch_size=2))
    assert sorted(f.key_ for f in tagged) == sorted(keys[:5]) and [f.path for f in tagged] == sorted(f.path for f in tagged)
    in_folder = list(nomarr_db.library_files.iter_folder_files(folder.key_, batch_size=5))
    assert sorted(f.key_ for f in in_folder) == sorted(keys)


def test_a_bad_batch_size_is_refused(nomarr_db: Database, library: Library) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        list(nomarr_db.library_files.iter_for_library(library.key_, batch_size=0))


def test_move_keeps_status_metadata_and_tags(nomarr_db: Database, library: Library) -> None:
    record = LibraryFileCreate(library_key=library.key_, path="a/old.flac", size=5, mtime_ms=7, metadata={"x": 1})
    old_key = nomarr_db.library_files.upsert_batch([record]).new_keys[0]
    nomarr_db.library_files.update_status(old_key, "tagged")
    nomarr_db.tags.set_file_tags(old_key, [TagValue(name="genre", value="jazz")])
    moved = nomarr_db.library_files.move(library.key_, "a/old.flac", "b/new.flac")
    assert moved.path == "b/new.flac" and moved.status == "tagged" and moved.metadata == {"x": 1}
    assert moved.key_ != old_key and nomarr_db.library_files.get_by_path(library.key_, "b/new.flac") == moved
    with pytest.raises(DocumentNotFoundError):
        nomarr_db.library_files.get(old_key)
    assert [t.value for t in nomarr_db.tags.get_file_tags(moved.key_)] == ["jazz"]
    assert nomarr_db.tags.get_file_tags(old_key) == []
    assert [f.key_ for f in nomarr_db.tags.iter_files_by_tag("genre", "jazz")] == [moved.key_]
    assert [f.key_ for f in nomarr_db.library_files.iter_for_library(library.key_)] == [moved.key_]


def test_move_onto_an_existing_file_changes_nothing(nomarr_db: Database, library: Library, make_files) -> None:
    files = make_files(library.key_, 2)
    nomarr_db.library_files.upsert_batch(files)
    with pytest.raises(DuplicateKeyError):
        nomarr_db.library_files.move(library.key_, files[0].path, files[1].path)
    assert len(list(nomarr_db.library_files.iter_for_library(library.key_))) == 2
    with pytest.raises(DocumentNotFoundError):
        nomarr_db.library_files.move(library.key_, "missing.flac", "x.flac")


def test_move_inside_a_unit_of_work_is_atomic(nomarr_db: Database, library: Library, make_files) -> None:
    files = make_files(library.key_, 1)
    nomarr_db.library_files.upsert_batch(files)
    with pytest.raises(RuntimeError), nomarr_db.unit_of_work() as uow:
        uow.library_files.move(library.key_, files[0].path, "renamed.flac")
        raise RuntimeError("abort")
    assert [f.path for f in nomarr_db.library_files.iter_for_library(library.key_)] == [files[0].path]


def test_one_http_request_per_page(counting_db, make_files) -> None:
    db, transport = counting_db
    db.library_files.upsert_batch(make_files("lib", 2500))
    before = transport.requests
    assert len(list(db.library_files.iter_for_library("lib", batch_size=1000))) == 2500
    assert transport.requests - before == 3
    before = transport.requests
    assert len(list(db._collections.iter_documents("library_files", batch_size=1000))) == 2500
    assert transport.requests - before == 3
