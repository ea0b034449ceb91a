"""Tag normalisation: lowercase, trimmed, multi-values split, dates to years, bpm to integers."""

from __future__ import annotations

import pytest

from nomarr.components.tag_normalize import normalize_tags, normalize_value, parse_tag_filter


def _pairs(raw: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(tag.name, tag.value) for tag in normalize_tags(raw)]


def test_lowercase_trim_and_collapse_spaces() -> None:
    assert _pairs({"genre": ["  Progressive   ROCK "]}) == [("genre", "progressive rock")]


@pytest.mark.parametrize("raw", ["Jazz; Blues", "Jazz, Blues", "Jazz / Blues", "Jazz|Blues", "Jazz\x00Blues"])
def test_list_fields_split_on_separators(raw: str) -> None:
    assert _pairs({"genre": [raw]}) == [("genre", "blues"), ("genre", "jazz")]


def test_names_split_only_on_semicolons() -> None:
    assert _pairs({"artist": ["AC/DC; Guest, Jr."]}) == [("artist", "ac/dc"), ("artist", "guest, jr.")]


def test_multiple_values_and_duplicates() -> None:
    assert _pairs({"mood": ["Calm", "calm ", "Dark; CALM"]}) == [("mood", "calm"), ("mood", "dark")]


@pytest.mark.parametrize(("raw", "year"), [("2019-04-12", "2019"), ("2019", "2019"), ("12/03/1999", "1999")])
def test_dates_become_years(raw: str, year: str) -> None:
    assert _pairs({"date": [raw]}) == [("year", year)]


def test_date_without_a_year_is_dropped() -> None:
    assert _pairs({"date": ["spring"], "bpm": ["fast", "0"]}) == []


@pytest.mark.parametrize(("raw", "bpm"), [("120", "120"), ("128.0", "128"), ("99,6", "100"), (" 72 ", "72")])
def test_bpm_becomes_a_whole_number(raw: str, bpm: str) -> None:
    assert _pairs({"bpm": [raw]}) == [("bpm", bpm)]


def test_title_and_unknown_fields_are_not_tags() -> None:
    assert _pairs({"title": ["Song"], "comment": ["x"], "album": ["LP"]}) == [("album", "lp")]


def test_empty_values_vanish() -> None:
    assert _pairs({"genre": ["", " ; ", ","]}) == []


def test_normalize_value_of_a_field_without_rule() -> None:
    assert normalize_value("Label", "  Blue NOTE ") == ["blue note"]


def test_parse_tag_filter() -> None:
    assert parse_tag_filter(" Genre = JAZZ ").model_dump() == {"name": "genre", "value": "jazz"}
    assert parse_tag_filter("date=2019-04-01").model_dump() == {"name": "year", "value": "2019"}
    for bad in ("genre", "=jazz", "genre=", "genre=jazz; blues"):
        with pytest.raises(ValueError):
            parse_tag_filter(bad)
