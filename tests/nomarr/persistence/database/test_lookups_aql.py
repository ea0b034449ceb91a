"""Libraries by name and by path; files with all of several tags; deleting a job; job types."""

from __future__ import annotations

import pytest

from nomarr.helpers.dto import Library, LibraryCreate, TagValue
from nomarr.helpers.errors import InvalidJobTypeError
from nomarr.persistence import Database


def test_library_by_name(nomarr_db: Database, library: Library) -> None:
    assert nomarr_db.libraries.find_by_name("Music") == library
    assert nomarr_db.libraries.find_by_name("music") is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/music", "outer"), ("/music/a.flac", "outer"), ("/music/classical", "inner"),
     ("/music/classical/x/y.flac", "inner"), ("/musical/a.flac", None), ("/mus", None), ("/other", None)],
)
def test_library_containing_a_path_is_the_innermost(nomarr_db: Database, path: str, expected: str | None) -> None:
    nomarr_db.libraries.create(LibraryCreate(name="outer", root_path="/music"))
    nomarr_db.libraries.create(LibraryCreate(name="inner", root_path="/music/classical/"))
    found = nomarr_db.libraries.find_containing(path)
    assert (found.name if found else None) == expected


def test_a_root_library_contains_everything(nomarr_db: Database) -> None:
    nomarr_db.libraries.create(LibraryCreate(name="all", root_path="/"))
    assert nomarr_db.libraries.find_containing("/x/y.flac").name == "all"  # type: ignore[union-attr]


def test_files_with_all_of_several_tags(nomarr_db: Database, library: Library, make_files) -> None:
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 30)).new_keys
    jazz, calm, loud = (TagValue(name="genre", value="jazz"), TagValue(name="mood", value="calm"), TagValue(name="mood", value="loud"))
    for i, key in enumerate(keys):
        nomarr_db.tags.set_file_tags(key, [jazz] + ([calm] if i % 3 == 0 else [loud]))
    both = {f.key_ for f in nomarr_db.tags.iter_files_with_tags([jazz, calm], batch_size=4)}
    assert both == {k for i, k in enumerate(keys) if i % 3 == 0}
    assert len(list(nomarr_db.tags.iter_files_with_tags([calm, jazz, calm], batch_size=3))) == 10
    assert list(nomarr_db.tags.iter_files_with_tags([calm, loud])) == []
    assert len(list(nomarr_db.tags.iter_files_by_tag("genre", "jazz", batch_size=7))) == 30
    assert list(nomarr_db.tags.iter_files_by_tag("genre", "rock")) == []
    with pytest.raises(ValueError, match="at least one tag"):
        list(nomarr_db.tags.iter_files_with_tags([]))


def test_deleting_a_job(nomarr_db: Database) -> None:
    job = nomarr_db.queue.enqueue("tag_files")
    keep = nomarr_db.queue.enqueue("tag_files")
    assert nomarr_db.queue.delete(job.key_) is True
    assert nomarr_db.queue.delete(job.key_) is False
    assert [j.key_ for j in nomarr_db.queue.list()] == [keep.key_]


@pytest.mark.parametrize("job_type", ["", "Tag", "tag files", "tag;drop", "1tag", "x" * 65, None, 3])
def test_job_types_outside_the_allowlist_are_refused(nomarr_db: Database, job_type: object) -> None:
    with pytest.raises(InvalidJobTypeError, match="invalid job type"):
        nomarr_db.queue.enqueue(job_type)  # type: ignore[arg-type]
    with pytest.raises(InvalidJobTypeError):
        nomarr_db.queue.claim_next("w1", [job_type])  # type: ignore[list-item]
    assert nomarr_db.queue.list() == []


@pytest.mark.parametrize("job_type", ["tag", "tag_files", "scan.v2", "x:y-z", "a" * 64])
def test_allowed_job_types(nomarr_db: Database, job_type: str) -> None:
    assert nomarr_db.queue.enqueue(job_type).job_type == job_type
