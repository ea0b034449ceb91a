"""LibraryFoldersOperations, executed on the backend under test."""

from __future__ import annotations

import pytest

from nomarr.helpers.dto import Library
from nomarr.helpers.errors import DocumentNotFoundError
from nomarr.helpers.keys import folder_key
from nomarr.persistence import Database


def test_upsert_is_idempotent_and_keyed_by_path(nomarr_db: Database, library: Library) -> None:
    first = nomarr_db.library_folders.upsert(library.key_, "/music/b")
    again = nomarr_db.library_folders.upsert(library.key_, "/music/b")
    nomarr_db.library_folders.upsert(library.key_, "/music/a")
    assert first.key_ == again.key_ == folder_key(library.key_, "/music/b")
    assert again.created_at == first.created_at
    assert nomarr_db.library_folders.get(first.key_).path == "/music/b"
    paths = [f.path for f in nomarr_db.library_folders.list_for_library(library.key_)]
    assert paths == ["/music/a", "/music/b"]


def test_delete_removes_folder_files_and_edges(nomarr_db: Database, library: Library, make_files) -> None:
    folder = nomarr_db.library_folders.upsert(library.key_, "/music/album")
    nomarr_db.library_files.upsert_batch(make_files(library.key_, 3, folder.key_))
    nomarr_db.library_files.upsert_batch(make_files(library.key_, 2, None, start=100))
    counts = nomarr_db.library_folders.delete(folder.key_)
    assert counts["library_folders"] == 1
    assert counts["library_files"] == counts["library_has_file"] == 3
    assert nomarr_db.library_files.count_by_status(library.key_) == {"pending": 2}
    with pytest.raises(DocumentNotFoundError):
        nomarr_db.library_folders.get(folder.key_)
    with pytest.raises(DocumentNotFoundError):
        nomarr_db.library_folders.delete(folder.key_)
