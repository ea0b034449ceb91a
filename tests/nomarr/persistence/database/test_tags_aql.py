"""TagsOperations, executed on the backend under test."""

from __future__ import annotations

import pytest

from nomarr.helpers.dto import Library, TagValue
from nomarr.helpers.errors import DocumentNotFoundError
from nomarr.helpers.keys import content_key, is_valid_key, link_key, make_id, tag_key
from nomarr.persistence import Database

JAZZ = TagValue(name="genre", value="jazz")
CALM = TagValue(name="mood", value="calm")
ROCK = TagValue(name="genre", value="rock")


@pytest.fixture
def keys(nomarr_db: Database, library: Library, make_files) -> list[str]:
    return nomarr_db.library_files.upsert_batch(make_files(library.key_, 3)).new_keys


def test_set_get_and_idempotence(nomarr_db: Database, keys: list[str]) -> None:
    assert nomarr_db.tags.set_file_tags(keys[0], [JAZZ, CALM]) == 2
    nomarr_db.tags.set_file_tags(keys[0], [JAZZ])
    tags = nomarr_db.tags.get_file_tags(keys[0])
    assert [(t.name, t.value) for t in tags] == [("genre", "jazz"), ("mood", "calm")]
    assert nomarr_db.tags.get("genre", "jazz").key_ == tags[0].key_
    assert nomarr_db._collections.count("file_has_tag") == 2


def test_replace_keeps_shared_and_drops_stale(nomarr_db: Database, keys: list[str]) -> None:
    nomarr_db.tags.set_file_tags(keys[0], [JAZZ, CALM])
    with nomarr_db.unit_of_work(write=["tags", "file_has_tag"]) as uow:
        removed = uow.tags.replace_file_tags(keys[0], [JAZZ, ROCK])
    assert removed == 1
    assert [t.value for t in nomarr_db.tags.get_file_tags(keys[0])] == ["jazz", "rock"]
    assert nomarr_db.tags.remove_file_tags(keys[0]) == 2
    assert nomarr_db.tags.get_file_tags(keys[0]) == []


def test_replace_tags_of_files_in_one_batch(nomarr_db: Database, keys: list[str]) -> None:
    nomarr_db.tags.set_file_tags(keys[0], [JAZZ, CALM])
    nomarr_db.tags.set_file_tags(keys[2], [CALM])
    with nomarr_db.unit_of_work(write=["tags", "file_has_tag"]) as uow:
        found = uow.tags.replace_tags_of_files({keys[0]: [JAZZ, ROCK], keys[1]: [JAZZ], "missing": [CALM]})
    assert sorted(found) == sorted(keys[:2])
    assert [t.value for t in nomarr_db.tags.get_file_tags(keys[0])] == ["jazz", "rock"]
    assert [t.value for t in nomarr_db.tags.get_file_tags(keys[1])] == ["jazz"]
    assert [t.value for t in nomarr_db.tags.get_file_tags(keys[2])] == ["calm"]
    assert nomarr_db._collections.count("file_has_tag") == 4
    assert nomarr_db.tags.replace_tags_of_files({}) == []


def test_add_tags_stores_tags_without_links(nomarr_db: Database) -> None:
    nomarr_db.tags.add_tags([JAZZ, CALM, JAZZ])
    nomarr_db.tags.add_tags([JAZZ])
    nomarr_db.tags.add_tags([])
    assert nomarr_db.tags.get("genre", "jazz").value == "jazz"
    assert nomarr_db._collections.count("tags") == 2
    assert nomarr_db.tags.tag_counts() == []


def test_files_by_tag_and_counts(nomarr_db: Database, keys: list[str]) -> None:
    for key in keys:
        nomarr_db.tags.set_file_tags(key, [JAZZ])
    nomarr_db.tags.set_file_tags(keys[0], [CALM])
    assert [f.key_ for f in nomarr_db.tags.get_files_by_tag("genre", "jazz")] == sorted(
        keys, key=lambda k: nomarr_db.library_files.get(k).path
    )
    assert len(nomarr_db.tags.get_files_by_tag("genre", "jazz", limit=2)) == 2
    counts = nomarr_db.tags.tag_counts()
    assert [(c.value, c.file_count) for c in counts] == [("jazz", 3), ("calm", 1)]
    assert [c.value for c in nomarr_db.tags.tag_counts(name="mood")] == ["calm"]


def test_missing_file_writes_nothing(nomarr_db: Database) -> None:
    with pytest.raises(DocumentNotFoundError):
        nomarr_db.tags.set_file_tags("missing", [JAZZ])
    assert nomarr_db.tags.tag_counts() == []
    with pytest.raises(DocumentNotFoundError):
        nomarr_db.tags.get("genre", "jazz")


def test_tags_of_several_files_in_one_query(nomarr_db: Database, keys: list[str], count_queries) -> None:
    nomarr_db.tags.set_file_tags(keys[0], [JAZZ, CALM])
    nomarr_db.tags.set_file_tags(keys[1], [ROCK])
    counter = count_queries(nomarr_db.tags)
    found = nomarr_db.tags.get_tags_of_files([keys[1], keys[0], keys[2], keys[1]])
    assert counter.queries == 1
    assert list(found) == [keys[1], keys[0], keys[2]]  # asked order, repeats once
    assert {key: [(t.name, t.value) for t in tags] for key, tags in found.items()} == {
        keys[0]: [("genre", "jazz"), ("mood", "calm")],
        keys[1]: [("genre", "rock")],
        keys[2]: [],
    }
    assert found[keys[0]] == nomarr_db.tags.get_file_tags(keys[0])
    assert nomarr_db.tags.get_tags_of_files([]) == {}


def test_links_made_under_the_earlier_key_scheme_are_not_doubled(nomarr_db: Database, keys: list[str]) -> None:
    """A store written before links were keyed by file keeps its links: adding or replacing the
    same tags again writes no second link (links are matched by file and tag, not by key)."""
    jazz = tag_key(JAZZ.name, JAZZ.value)
    nomarr_db.tags.add_tags([JAZZ])
    old = {"_key": content_key(keys[0], jazz), "_from": make_id("library_files", keys[0]), "_to": make_id("tags", jazz)}
    nomarr_db._collections.insert_many("file_has_tag", [{**old, "created_at": 1}])
    assert nomarr_db.tags.set_file_tags(keys[0], [JAZZ, CALM]) == 1
    with nomarr_db.unit_of_work(write=["tags", "file_has_tag", "library_files"]) as uow:
        uow.tags.replace_tags_of_files({keys[0]: [JAZZ, CALM, JAZZ]})
    assert sorted((c.value, c.file_count) for c in nomarr_db.tags.tag_counts()) == [("calm", 1), ("jazz", 1)]
    links = list(nomarr_db._collections.iter_documents("file_has_tag"))
    assert len(links) == 2 and old["_key"] in {link["_key"] for link in links}


def test_new_link_keys_are_one_per_file_and_tag(nomarr_db: Database, keys: list[str]) -> None:
    """A link's key is its file's and tag's (see ``link_key``), of the same length as before:
    a second writer's link to the same tag would collide on it (1210) rather than be added."""
    nomarr_db.tags.set_file_tags(keys[2], [JAZZ, CALM])
    links = list(nomarr_db._collections.iter_documents("file_has_tag"))
    assert len(links) == 2
    for link in links:
        assert link["_key"] == link_key(keys[2], link["_to"].partition("/")[2])
        assert is_valid_key(link["_key"]) and len(link["_key"]) == 32
