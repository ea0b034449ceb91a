"""The claim-and-tag step, alone and with concurrent workers."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from nomarr.helpers.dto import Library, LibraryFile, TagValue
from nomarr.persistence import Database
from nomarr.workflows.claim_and_tag import claim_and_tag, release_abandoned_claims


def _tagger(file: LibraryFile) -> list[TagValue]:
    return [TagValue(name="format", value=file.metadata["format"]), TagValue(name="size", value=str(file.size))]


def test_step_tags_and_releases(nomarr_db: Database, library: Library, make_files) -> None:
    nomarr_db.library_files.upsert_batch(make_files(library.key_, 5))
    result = claim_and_tag(nomarr_db, library.key_, "w1", _tagger, batch_size=3)
    assert len(result.tagged) == 3 and not result.failed
    assert nomarr_db.worker_claims.list_for_worker("w1") == []
    assert [t.name for t in nomarr_db.tags.get_file_tags(result.tagged[0])] == ["format", "size"]
    assert nomarr_db.library_files.count_by_status(library.key_) == {"tagged": 3, "pending": 2}


def test_known_tags_are_remembered_and_a_stale_entry_is_harmless(nomarr_db: Database, library: Library, make_files) -> None:
    nomarr_db.library_files.upsert_batch(make_files(library.key_, 4))
    known: set[tuple[str, str]] = set()
    first = claim_and_tag(nomarr_db, library.key_, "w1", _tagger, batch_size=2, known_tags=known)
    assert ("format", "flac") in known and len(known) == 3  # format=flac and two sizes
    nomarr_db.library_files.delete_many(first.tagged)
    assert nomarr_db.housekeeping.remove_orphan_tags() == 3  # every tag the worker knows is gone
    known.update({("format", "flac")})
    second = claim_and_tag(nomarr_db, library.key_, "w1", _tagger, batch_size=2, known_tags=known)
    for key in second.tagged:  # the unit of work stored the tag the cache wrongly believed stored
        assert [t.name for t in nomarr_db.tags.get_file_tags(key)] == ["format", "size"]
    assert nomarr_db.tags.get("format", "flac").name == "format"


def test_batch_writes_every_file_and_skips_a_lost_claim(nomarr_db: Database, library: Library, make_files) -> None:
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 4)).new_keys

    def stealing(file: LibraryFile) -> list[TagValue]:
        if file.key_ == keys[0]:  # another worker took over this file meanwhile
            nomarr_db.worker_claims.release(file.key_, "w1")
            nomarr_db.worker_claims.try_claim(file.key_, "w2")
        if file.key_ == keys[1]:
            raise ValueError("unreadable")
        return _tagger(file)

    result = claim_and_tag(nomarr_db, library.key_, "w1", stealing, batch_size=4)
    assert result.skipped == [keys[0]] and result.failed == [keys[1]]
    assert sorted(result.tagged) == sorted(keys[2:])
    for key in result.tagged:
        assert [t.name for t in nomarr_db.tags.get_file_tags(key)] == ["format", "size"]
    assert nomarr_db.tags.get_file_tags(keys[0]) == []
    assert nomarr_db.library_files.count_by_status(library.key_) == {"tagged": 2, "error": 1, "pending": 1}
    assert nomarr_db.worker_claims.list_for_worker("w1") == []
    assert [c.file_key for c in nomarr_db.worker_claims.list_for_worker("w2")] == [keys[0]]


def test_tagger_failure_marks_error(nomarr_db: Database, library: Library, make_files) -> None:
    nomarr_db.library_files.upsert_batch(make_files(library.key_, 2))

    def broken(file: LibraryFile) -> list[TagValue]:
        raise ValueError("unreadable")

    result = claim_and_tag(nomarr_db, library.key_, "w1", broken)
    assert len(result.failed) == 2
    assert nomarr_db.library_files.count_by_status(library.key_) == {"error": 2}
    assert nomarr_db.tags.tag_counts() == []


def test_concurrent_workers_tag_each_file_once(nomarr_db: Database, library: Library, make_files) -> None:
    nomarr_db.library_files.upsert_batch(make_files(library.key_, 400))

    def worker(number: int) -> list[str]:
        done: list[str] = []
        while step := claim_and_tag(nomarr_db, library.key_, f"w{number}", _tagger, batch_size=10):
            if not (step.tagged or step.skipped or step.failed):
                return done
            done += step.tagged

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(worker, range(8)))
    tagged = Counter(key for keys in results for key in keys)
    assert len(tagged) == 400 and set(tagged.values()) == {1}
    assert nomarr_db.library_files.count_by_status(library.key_) == {"tagged": 400}


def test_abandoned_claims_policy(nomarr_db: Database) -> None:
    nomarr_db.worker_claims.try_claim("old", "dead-worker", claimed_at=1_000)
    nomarr_db.worker_claims.try_claim("young", "busy-worker", claimed_at=9_000)
    assert release_abandoned_claims(nomarr_db, max_age_ms=5_000, now=10_000) == 1
    assert nomarr_db.worker_claims.get("young") is not None
