"""Parsing beets-style find queries into clause groups."""

from __future__ import annotations

import unicodedata

import pytest

from nomarr.components.file_query import QueryError, parse_query, tag_names_in


def test_terms_fields_ranges_negation_and_or() -> None:
    groups = parse_query(["genre:Rock", "year:1990..1999", "^mood:calm", ",", "artist:=Nina  Simone", "year>2000"])
    first, second = groups
    assert [(c["field"], c["name"], c["op"], c["negate"]) for c in first] == [
        ("tag", "genre", "contains", False), ("tag", "year", "range", False), ("tag", "mood", "contains", True),
    ]  # fmt: skip
    assert first[0]["value"] == "rock" and (first[1]["low"], first[1]["high"]) == (1990, 1999)
    assert second[0] == {**second[0], "op": "eq", "value": "nina simone"}
    assert (second[1]["low"], second[1]["low_strict"], second[1]["high"]) == (2000, True, None)
    assert tag_names_in(groups) == {"genre", "year", "mood", "artist"}


def test_bare_words_path_title_and_nfc() -> None:
    (word, path, title), = parse_query(["Jazz", "path:Live/", "title:" + unicodedata.normalize("NFD", "Café")])
    assert (word["field"], word["value"]) == ("any", "jazz")
    assert (path["field"], path["value"]) == ("path", "live/")
    assert title["value"] == unicodedata.normalize("NFC", "café")


@pytest.mark.parametrize("terms", [["genre:"], ["genre::ro.k"], [","], ["rock", ","], ["year=0"], ["^"]])
def test_bad_queries_say_why(terms: list[str]) -> None:
    with pytest.raises(QueryError):
        parse_query(terms)
