"""Turn raw embedded tag values into nomarr's tags: lowercase, trimmed, multi-values split.

::

    normalize_tags({"genre": ["Jazz; Blues", " jazz "], "date": ["2019-05-01"], "bpm": ["120.4"]})
    # [genre=blues, genre=jazz, year=2019, bpm=120]  (as TagValue, sorted, duplicates dropped)

Rules, field by field:

- every value is put in Unicode normal form NFC (``e`` + combining accent and ``é`` are one
  value), trimmed, inner whitespace collapsed, lowercased;
- ``genre`` and ``mood`` split on ``;``, ``,``, ``/``, ``|`` and NUL; ``artist`` and ``album`` split
  on ``;`` and NUL only (``AC/DC`` stays one artist);
- ``date`` becomes ``year``: the first four-digit year found (``0000`` is no year);
- ``bpm`` becomes a whole number (``"120.4"`` -> ``"120"``); non-numbers and zero are dropped;
- ``title`` is not a tag (it names one file, not a group of files).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence

from nomarr.helpers.dto import TagValue

__all__ = ["TAG_NAMES", "clean_text", "normalize_tags", "normalize_value", "parse_tag_filter"]

TAG_NAMES = ("artist", "album", "genre", "mood", "bpm", "year")
"""The tag names nomarr derives from embedded metadata."""

_LIST_SPLIT = re.compile(r"[;,/|\x00]")
_NAME_SPLIT = re.compile(r"[;\x00]")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_SPACES = re.compile(r"\s+")


def _clean(value: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip().lower()


def clean_text(value: str) -> str:
    """Return ``value`` as tags are compared: NFC, trimmed, spaces collapsed, lowercase."""
    return _clean(value)


def _split(pattern: re.Pattern[str]) -> Callable[[str], list[str]]:
    def split(value: str) -> list[str]:
        return [part for part in (_clean(piece) for piece in pattern.split(value)) if part]

    return split


def _year(value: str) -> list[str]:
    match = _YEAR.search(value)
    return [match.group(1)] if match and int(match.group(1)) > 0 else []


def _bpm(value: str) -> list[str]:
    try:
        number = round(float(_clean(value).replace(",", ".")))
    except ValueError:
        return []
    return [str(number)] if number > 0 else []


_RULES: dict[str, tuple[str, Callable[[str], list[str]]]] = {
    "artist": ("artist", _split(_NAME_SPLIT)),
    "album": ("album", _split(_NAME_SPLIT)),
    "genre": ("genre", _split(_LIST_SPLIT)),
    "mood": ("mood", _split(_LIST_SPLIT)),
    "bpm": ("bpm", _bpm),
    "date": ("year", _year),
    "year": ("year", _year),
}


def normalize_value(name: str, value: str) -> list[str]:
    """Return the normalised values of one raw value of field ``name`` (may be several or none).

    Fields without a rule are trimmed and lowercased only.
    """
    rule = _RULES.get(name.lower())
    if rule is None:
        cleaned = _clean(value)
        return [cleaned] if cleaned else []
    return rule[1](value)


def normalize_tags(raw: Mapping[str, Sequence[str]]) -> list[TagValue]:
    """Return the tags of a file from its raw fields, sorted by name and value, without duplicates.

    Args:
        raw: canonical field name to raw values, as :func:`~nomarr.components.tagreader.read_track`
            returns them. Fields that are not tags (``title``, unknown names) are ignored.
    """
    pairs: set[tuple[str, str]] = set()
    for field, values in raw.items():
        rule = _RULES.get(field.lower())
        if rule is None:
            continue
        pairs.update((rule[0], value) for value in _flatten(rule[1], values))
    return [TagValue(name=name, value=value) for name, value in sorted(pairs)]


def _flatten(rule: Callable[[str], list[str]], values: Iterable[str]) -> Iterable[str]:
    for value in values:
        yield from rule(value)


_EXAMPLES = {"year": "1997", "bpm": "120", "mood": "calm", "artist": "nina simone", "album": "kind of blue"}


def parse_tag_filter(text: str) -> TagValue:
    """Parse ``name=value`` (as typed by a user) into a normalised tag.

    Raises:
        ValueError: the text is not ``name=value`` or the value normalises to nothing.
    """
    name, sep, value = text.partition("=")
    name = _clean(name)
    if not sep or not name:
        raise ValueError(f"{text!r} is not name=value (for example genre=jazz)")
    canonical = "year" if name == "date" else name
    values = normalize_value(name, value)
    if len(values) != 1:
        what = "a four-digit year" if canonical == "year" else "exactly one value"
        raise ValueError(f"{text!r}: give {what} (for example {canonical}={_EXAMPLES.get(canonical, 'jazz')})")
    return TagValue(name=canonical, value=values[0])
