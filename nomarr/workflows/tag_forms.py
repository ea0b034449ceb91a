"""Stored tags in Unicode normal form NFC: find those stored before the rule, and convert them.

Tagging has always lowercased and trimmed values, but older versions stored them as the file
had them, so ``beyoncé`` could be stored decomposed (``e`` + a combining accent) and then never
matched a query typed on a keyboard. :func:`normalise_stored_tags` re-tags every file carrying
such a tag with the NFC form of each of its tags, in batches (each batch one unit of work); a
file carrying both forms ends up with one tag, and files that carried different forms share
one tag document. The old tag documents, carried by no file any more, are then removed.
``nomarr doctor`` reports them; ``nomarr doctor --repair`` converts them.
"""

from __future__ import annotations

import unicodedata

from nomarr.helpers.dto import Tag, TagCount, TagValue
from nomarr.persistence import Database

__all__ = ["normalise_stored_tags", "tags_not_nfc"]

_BATCH = 500


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def tags_not_nfc(db: Database) -> list[TagCount]:
    """Return the stored tags (carried by a file) whose name or value is not in NFC."""
    return [tag for tag in db.tags.tag_counts() if _nfc(tag.name) != tag.name or _nfc(tag.value) != tag.value]


def _converted(tags: list[Tag]) -> list[TagValue]:
    forms = {(_nfc(tag.name), _nfc(tag.value)) for tag in tags}
    return [TagValue(name=name, value=value) for name, value in sorted(forms)]


def normalise_stored_tags(db: Database, batch_size: int = _BATCH, *, prune: bool = True) -> tuple[int, int]:
    """Convert every stored tag to NFC, merging tags that become equal; return (tags, files) converted.

    Each batch of files is read in one query. ``prune=False`` leaves the old tag documents for a
    caller that removes orphan tags next anyway (one pass over every tag instead of two).
    """
    bad = tags_not_nfc(db)
    files = list(dict.fromkeys(f.key_ for tag in bad for f in db.tags.iter_files_by_tag(tag.name, tag.value)))
    for start in range(0, len(files), batch_size):
        chunk = files[start : start + batch_size]
        wanted = {key: _converted(tags) for key, tags in db.tags.get_tags_of_files(chunk).items()}
        db.tags.add_tags([tag for tags in wanted.values() for tag in tags])
        with db.unit_of_work() as uow:
            uow.tags.replace_tags_of_files(wanted)
    if bad and prune:
        db.housekeeping.remove_orphan_tags()
    return len(bad), len(files)
