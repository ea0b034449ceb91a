"""FileSearchOperations, FileProblemsOperations and HousekeepingOperations on the backend under test."""

from __future__ import annotations

import random

import pytest

from nomarr.helpers.dto import Library, TagValue
from nomarr.persistence import Database
from nomarr.persistence.database.file_search_aql import (
    SEARCH_BY_TAGS,
    SEARCH_BY_TAGS_ONLY,
    SEARCH_FILES,
    search_bind,
)


def _tag(text: str) -> TagValue:
    name, _, value = text.partition("=")
    return TagValue(name=name, value=value)


def _clause(field: str, op: str, value: object = None, name: str = "", negate: bool = False, **rest: object) -> dict:
    return {"field": field, "name": name, "op": op, "value": value, "low": None, "high": None,
            "low_strict": False, "high_strict": False, "negate": negate, **rest}  # fmt: skip


@pytest.fixture
def keys(nomarr_db: Database, library: Library, make_files) -> list[str]:
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 4)).new_keys
    tags = {
        keys[0]: ["genre=rock", "year=1985"],
        keys[1]: ["genre=rock", "genre=jazz", "year=1995"],
        keys[2]: ["genre=jazz", "year=2001"],
        keys[3]: ["mood=calm"],
    }
    with nomarr_db.unit_of_work() as uow:
        uow.tags.replace_tags_of_files({k: [_tag(t) for t in v] for k, v in tags.items()})
    return keys


def _found(db: Database, groups: list[list[dict]], library_key: str | None = None) -> set[str]:
    return {f.key_ for f in db.file_search.iter_matching(groups, library_key)}


def test_and_or_not_and_ranges(nomarr_db: Database, keys: list[str]) -> None:
    rock = _clause("tag", "eq", "rock", "genre")
    jazz = _clause("tag", "eq", "jazz", "genre")
    assert _found(nomarr_db, [[rock, jazz]]) == {keys[1]}
    assert _found(nomarr_db, [[rock], [jazz]]) == set(keys[:3])
    assert _found(nomarr_db, [[{**rock, "negate": True}]]) == {keys[2], keys[3]}
    since_1990 = _clause("tag", "range", name="year", low=1990)
    assert _found(nomarr_db, [[since_1990]]) == {keys[1], keys[2]}
    strictly = _clause("tag", "range", name="year", low=1985, low_strict=True, high=2001, high_strict=True)
    assert _found(nomarr_db, [[strictly]]) == {keys[1]}
    assert _found(nomarr_db, [[_clause("tag", "contains", "az", "genre")]]) == {keys[1], keys[2]}
    assert _found(nomarr_db, [[_clause("any", "contains", "cal")]]) == {keys[3]}


def test_path_match_and_tag_names(nomarr_db: Database, keys: list[str]) -> None:
    first = nomarr_db.library_files.get(keys[0])
    assert _found(nomarr_db, [[_clause("path", "eq", first.path.lower())]]) == {keys[0]}
    assert nomarr_db.file_search.tag_names() == ["genre", "mood", "year"]


def test_problems_drop_tags_and_are_listed(nomarr_db: Database, keys: list[str]) -> None:
    assert nomarr_db.file_problems.record({keys[0]: ("unreadable", "not an audio file")}) == 1
    assert nomarr_db.tags.get_file_tags(keys[0]) == []
    listed = list(nomarr_db.file_problems.iter_by_status(["unreadable"]))
    assert [(f.key_, f.status, f.problem) for f in listed] == [(keys[0], "unreadable", "not an audio file")]


def test_orphan_tags_counted_and_removed(nomarr_db: Database, keys: list[str]) -> None:
    nomarr_db.library_files.delete_many([keys[3]])
    assert nomarr_db.housekeeping.count_orphan_tags() == 1
    assert nomarr_db.housekeeping.remove_orphan_tags() == 1
    assert nomarr_db.housekeeping.count_orphan_tags() == 0


def test_no_cap_on_results(nomarr_db: Database, library: Library, make_files) -> None:
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 10_050)).new_keys
    rock = [_tag("genre=rock")]
    with nomarr_db.unit_of_work() as uow:
        uow.tags.replace_tags_of_files(dict.fromkeys(keys, rock))
    found = sum(1 for _ in nomarr_db.file_search.iter_matching([[_clause("tag", "eq", "rock", "genre")]]))
    assert found == 10_050  # streamed, nothing cut at 10,000


def test_negations_and_fields_with_a_tag_driver(nomarr_db: Database, keys: list[str]) -> None:
    rock = _clause("tag", "eq", "rock", "genre")
    not_before_1990 = _clause("tag", "range", name="year", high=1990, high_strict=True, negate=True)
    assert search_bind([[rock, not_before_1990]])[0] == SEARCH_BY_TAGS  # starts from the genre tag
    assert _found(nomarr_db, [[rock, not_before_1990]]) == {keys[1]}
    first = nomarr_db.library_files.get(keys[0])
    by_path = _clause("path", "contains", first.path.lower()[-10:])
    assert search_bind([[rock], [by_path]])[0] == SEARCH_FILES  # one group without a tag term: every file is read
    assert _found(nomarr_db, [[_clause("tag", "eq", "jazz", "genre")], [by_path]]) == {keys[0], keys[1], keys[2]}
    assert search_bind([[{**rock, "negate": True}]])[0] == SEARCH_FILES
    assert search_bind([[rock], [{**rock, "value": "jazz"}]])[0] == SEARCH_BY_TAGS_ONLY  # the walk decides
    assert _found(nomarr_db, [[rock]], library_key=nomarr_db.library_files.get(keys[0]).library_key) == {keys[0], keys[1]}


def _reads(db: Database, groups: list[list[dict]]) -> tuple[int, dict]:
    query, bind = search_bind(groups)
    cursor = db.connection.db.aql.execute(query, bind_vars=bind)
    found = len(list(cursor))
    return found, cursor.statistics()


def test_a_selective_query_reads_the_matches_not_the_library(nomarr_db: Database, library: Library, make_files) -> None:
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 300)).new_keys
    tags = {key: [_tag("genre=rock")] + ([_tag("mood=rare")] if i % 30 == 0 else []) for i, key in enumerate(keys)}
    with nomarr_db.unit_of_work() as uow:
        uow.tags.replace_tags_of_files(tags)
    query = [[_clause("tag", "eq", "rock", "genre"), _clause("tag", "contains", "rar", "mood")]]
    found, before = _reads(nomarr_db, query)
    assert found == 10 and before["scanned_full"] == 0
    more = nomarr_db.library_files.upsert_batch(make_files(library.key_, 900, start=300)).new_keys
    with nomarr_db.unit_of_work() as uow:
        uow.tags.replace_tags_of_files({key: [_tag("genre=jazz")] for key in more})
    found, after = _reads(nomarr_db, query)
    assert found == 10 and after["scanned_full"] == 0
    assert after["scanned_index"] == before["scanned_index"]  # 900 more files, not one more read
    scanned, stats = _reads(nomarr_db, [[_clause("tag", "eq", "rock", "genre", negate=True)]])
    assert scanned == 900 and stats["scanned_full"] >= 1200  # the fallback reads every file


def test_choosing_the_narrowest_term_reads_at_most_probe_links_per_term(nomarr_db: Database, library: Library, make_files) -> None:
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 40)).new_keys
    tags = {key: [_tag(f"artist=band {n}") for n in range(30)] for key in keys}  # 30 tags, 40 links each
    tags[keys[0]].append(_tag("mood=rare"))
    with nomarr_db.unit_of_work() as uow:
        uow.tags.replace_tags_of_files(tags)
    query = [[_clause("tag", "contains", "band", "artist"), _clause("tag", "eq", "rare", "mood")]]
    found, stats = _reads(nomarr_db, query)
    assert found == 1
    # 1,200 links match "band": the choice reads PROBE_LIMIT (250) of them, not all of them
    assert stats["scanned_index"] < 1200, stats


def _keys_of(db: Database, query: str, bind: dict) -> list[str]:
    return [row["_key"] for row in db.connection.db.aql.execute(query, bind_vars=bind, batch_size=1000)]


def _random_clause(rng: random.Random) -> dict:
    kind = rng.choice(["eq", "eq", "contains", "range", "path"])
    negate = rng.random() < 0.15
    if kind == "path":
        return _clause("path", "contains", f"{rng.randrange(10)}.flac", negate=negate)
    if kind == "range":
        low = rng.choice([None, rng.randrange(1980, 2000)])
        high = rng.choice([None, rng.randrange(1980, 2000)])
        return _clause("tag", "range", name="year", low=low, high=high, low_strict=rng.random() < 0.5,
                       high_strict=rng.random() < 0.5, negate=negate)  # fmt: skip
    name = rng.choice(["genre", "mood"])
    values = {"genre": ["rock", "jazz", "pop", "folk", "indie rock"], "mood": ["calm", "sad", "nope"]}[name]
    value = rng.choice(values)
    if kind == "contains":
        start = rng.randrange(len(value))
        value = value[start : start + rng.randrange(1, 4)]
    return _clause("tag", kind, value, name, negate=negate)


def test_every_query_form_finds_what_the_scan_of_every_file_finds(nomarr_db: Database, library: Library, make_files) -> None:
    """Random queries over a random library: the walk from the tags, checked (SEARCH_BY_TAGS) or
    deciding alone (SEARCH_BY_TAGS_ONLY), returns exactly the files, in the order, that reading
    and checking every file (SEARCH_FILES) returns."""
    rng = random.Random(20261205)
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 60)).new_keys
    choices = ["genre=rock", "genre=jazz", "genre=pop", "genre=folk", "genre=indie rock", "mood=calm", "mood=sad"]
    tags = {key: [_tag(t) for t in rng.sample(choices, rng.randrange(0, 4))] + [_tag(f"year={rng.randrange(1980, 2000)}")]
            for key in keys}  # fmt: skip
    with nomarr_db.unit_of_work() as uow:
        uow.tags.replace_tags_of_files(tags)
    used: dict[str, int] = {}
    for _ in range(150):
        groups = [[_random_clause(rng) for _ in range(rng.randrange(1, 4))] for _ in range(rng.randrange(1, 3))]
        query, bind = search_bind(groups)
        used[query] = used.get(query, 0) + 1
        scan_bind = {k: v for k, v in bind.items() if k not in ("drivers", "probe")} | {"groups": groups}
        assert _keys_of(nomarr_db, query, bind) == _keys_of(nomarr_db, SEARCH_FILES, scan_bind), groups
    assert min(used.get(q, 0) for q in (SEARCH_BY_TAGS, SEARCH_BY_TAGS_ONLY, SEARCH_FILES)) >= 20, used


def test_a_tag_query_reads_no_more_when_its_files_carry_more_tags(nomarr_db: Database, library: Library, make_files) -> None:
    """``genre:=rock`` (and an OR of such terms) walks the links of the rock tag and reads each file
    once: the other tags its files carry are not read (before, every link of every file found was
    read twice: to intersect with no other term, and to check the file again)."""
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 40)).new_keys
    with nomarr_db.unit_of_work() as uow:
        uow.tags.replace_tags_of_files({key: [_tag("genre=rock" if i % 2 else "genre=jazz")] for i, key in enumerate(keys)})
    rock = [[_clause("tag", "eq", "rock", "genre")]]
    either = [[_clause("tag", "eq", "rock", "genre")], [_clause("tag", "contains", "jaz", "genre")]]
    few = [_reads(nomarr_db, rock), _reads(nomarr_db, either)]
    with nomarr_db.unit_of_work() as uow:
        uow.tags.replace_tags_of_files({
            key: [_tag("genre=rock" if i % 2 else "genre=jazz")] + [_tag(f"artist=band {n}") for n in range(20)]
            for i, key in enumerate(keys)
        })  # fmt: skip
    many_tags = [_reads(nomarr_db, rock), _reads(nomarr_db, either)]
    assert [found for found, _ in few] == [found for found, _ in many_tags] == [20, 40]
    assert [s["scanned_index"] for _, s in many_tags] == [s["scanned_index"] for _, s in few]
