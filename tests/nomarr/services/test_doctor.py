"""Doctor's repair of tags stored before Unicode normalisation."""

from __future__ import annotations

import unicodedata

from nomarr.helpers.dto import Library, TagValue
from nomarr.persistence import Database
from nomarr.services.doctor import _check_orphan_tags, _check_tag_forms

NFD = unicodedata.normalize("NFD", "beyoncé")


def test_repair_converts_tags_then_removes_the_old_ones_in_one_pass(nomarr_db: Database, library: Library, make_files) -> None:
    keys = nomarr_db.library_files.upsert_batch(make_files(library.key_, 2)).new_keys
    with nomarr_db.unit_of_work() as uow:
        uow.tags.replace_tags_of_files({key: [TagValue(name="artist", value=NFD)] for key in keys})
    removals = 0
    prune = nomarr_db.housekeeping.remove_orphan_tags

    def counted_prune() -> int:
        nonlocal removals
        removals += 1
        return prune()

    nomarr_db.housekeeping.remove_orphan_tags = counted_prune  # type: ignore[method-assign]
    forms = _check_tag_forms(nomarr_db, repair=True)
    orphans = _check_orphan_tags(nomarr_db, repair=True)
    assert forms.detail == "repaired: 1 tag(s) of 2 file(s) converted to NFC"
    assert orphans.detail == "repaired: 1 tag(s) no file carries removed"  # the decomposed tag document
    assert removals == 1  # one pass over every tag, not one per check
    assert nomarr_db.housekeeping.count_orphan_tags() == 0
    assert [t.value for t in nomarr_db.tags.get_file_tags(keys[0])] == [unicodedata.normalize("NFC", NFD)]
