"""LibraryStatsOperations, executed on the backend under test."""

from __future__ import annotations

import pytest

from nomarr.helpers.dto import Library, LibraryCreate, TagValue
from nomarr.helpers.errors import DocumentNotFoundError
from nomarr.persistence import Database


def test_refresh_and_rebuild(nomarr_db: Database, library: Library, make_files) -> None:
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 4)).new_keys
    nomarr_db.library_files.update_status(keys[0], "tagged")
    nomarr_db.tags.set_file_tags(keys[0], [TagValue(name="g", value="a"), TagValue(name="g", value="b")])
    nomarr_db.tags.set_file_tags(keys[1], [TagValue(name="g", value="a")])
    assert nomarr_db.stats.find(library.key_) is None
    stats = nomarr_db.stats.refresh(library.key_)
    assert (stats.file_count, stats.total_size, stats.tag_links, stats.distinct_tags) == (4, 4006, 3, 2)
    assert stats.files_by_status == {"tagged": 1, "pending": 3}
    assert nomarr_db.stats.find(library.key_) == stats


def test_rebuild_recomputes_and_drops_orphans(nomarr_db: Database, library: Library, make_files) -> None:
    empty = nomarr_db.libraries.create(LibraryCreate(name="Empty", root_path="/e"))
    nomarr_db.library_files.upsert_batch(make_files(library.key_, 2))
    nomarr_db._collections.insert_many("library_stats", [{"_key": "ghost", "library_key": "ghost", "computed_at": 1}])
    assert nomarr_db.rebuild() == 2
    assert nomarr_db.stats.find("ghost") is None
    assert nomarr_db.stats.find(empty.key_).file_count == 0  # type: ignore[union-attr]
    assert nomarr_db.stats.find(library.key_).file_count == 2  # type: ignore[union-attr]


def test_refresh_missing_library(nomarr_db: Database) -> None:
    with pytest.raises(DocumentNotFoundError):
        nomarr_db.stats.refresh("missing")
