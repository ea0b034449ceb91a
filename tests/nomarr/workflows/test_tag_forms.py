"""Tags stored before Unicode normalisation are found, converted to NFC and merged."""

from __future__ import annotations

import unicodedata

from nomarr.components.file_query import parse_query
from nomarr.helpers.dto import Library, TagValue
from nomarr.persistence import Database
from nomarr.workflows.tag_forms import normalise_stored_tags, tags_not_nfc

NFC = unicodedata.normalize("NFC", "beyoncé strings")
NFD = unicodedata.normalize("NFD", "beyoncé strings")


def test_old_decomposed_tags_are_converted_and_merged(nomarr_db: Database, library: Library, make_files) -> None:
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 4)).new_keys
    old = {  # as an older nomarr stored them: the file's own form
        keys[0]: [TagValue(name="artist", value=NFD), TagValue(name="genre", value="jazz")],
        keys[1]: [TagValue(name="artist", value=NFD), TagValue(name="artist", value=NFC)],  # both forms
        keys[2]: [TagValue(name="artist", value=NFC)],
        keys[3]: [TagValue(name="genre", value="jazz")],
    }
    with nomarr_db.unit_of_work() as uow:
        uow.tags.replace_tags_of_files(old)
    assert [t.value for t in tags_not_nfc(nomarr_db)] == [NFD]
    before = {f.key_ for f in nomarr_db.file_search.iter_matching(parse_query([f"artist={NFC}"]))}
    assert before == {keys[1], keys[2]}  # the decomposed-only file is missed

    assert normalise_stored_tags(nomarr_db, batch_size=1) == (1, 2)
    assert tags_not_nfc(nomarr_db) == []
    after = {f.key_ for f in nomarr_db.file_search.iter_matching(parse_query([f"artist={NFC}"]))}
    assert after == {keys[0], keys[1], keys[2]}
    assert [(t.name, t.value) for t in nomarr_db.tags.get_file_tags(keys[0])] == [("artist", NFC), ("genre", "jazz")]
    assert [(t.name, t.value) for t in nomarr_db.tags.get_file_tags(keys[1])] == [("artist", NFC)]  # merged
    counts = {(t.name, t.value): t.file_count for t in nomarr_db.tags.tag_counts()}
    assert counts == {("artist", NFC): 3, ("genre", "jazz"): 2}
    assert nomarr_db.housekeeping.count_orphan_tags() == 0  # the old tag document is gone
    assert normalise_stored_tags(nomarr_db) == (0, 0)  # nothing left to do


def test_each_batch_of_files_is_read_in_one_query(nomarr_db: Database, library: Library, make_files) -> None:
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 5)).new_keys
    with nomarr_db.unit_of_work() as uow:
        uow.tags.replace_tags_of_files({key: [TagValue(name="artist", value=NFD)] for key in keys})
    reads = []
    get_tags_of_files = nomarr_db.tags.get_tags_of_files
    nomarr_db.tags.get_tags_of_files = lambda chunk: reads.append(list(chunk)) or get_tags_of_files(chunk)  # type: ignore[method-assign]
    assert normalise_stored_tags(nomarr_db, batch_size=2) == (1, 5)
    assert [len(chunk) for chunk in reads] == [2, 2, 1]  # one read per batch, not one per file
    assert {(t.name, t.value) for key in keys for t in nomarr_db.tags.get_file_tags(key)} == {("artist", NFC)}
