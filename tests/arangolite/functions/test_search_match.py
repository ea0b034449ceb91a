"""NGRAM_MATCH, MINHASH_MATCH and TOKENS with custom ngram / minhash Analyzers, through
python-arango on arangolite (search_match.py, analyzer_runs.py, analyzer_ngram.py)."""

from __future__ import annotations

from typing import Any

import pytest
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError

from arangolite.functions._cityhash import city_hash64

BIGRAM = {"min": 2, "max": 2, "preserveOriginal": False, "streamType": "utf8"}
TRIGRAM = {"min": 3, "max": 3, "preserveOriginal": False, "streamType": "utf8"}


def run(db: StandardDatabase, query: str, **bind: Any) -> tuple[Any, list[tuple[int, str]]]:
    """The single result of ``query`` and its warnings as (code, message)."""
    cursor = db.aql.execute(query, bind_vars=bind)
    rows = list(cursor)
    assert len(rows) == 1
    warnings = [(w["code"], w["message"]) for w in cursor.warnings() or []]
    return rows[0], warnings


@pytest.fixture
def bigram(db: StandardDatabase) -> StandardDatabase:
    db.create_analyzer("bigram", "ngram", BIGRAM, ["frequency", "norm", "position"])
    return db


# ------------------------------------------------------------------ TOKENS with ngram Analyzers

NGRAM_DOCS = [
    # ArangoDB Analyzers docs, `ngram` section: min 4, max 5 on "foobar", with / without
    # preserveOriginal and with startMarker "^" / endMarker "$"; "foo" is shorter than min
    ({"min": 4, "max": 5, "preserveOriginal": False}, "foobar",
     ["foob", "fooba", "ooba", "oobar", "obar"]),
    ({"min": 4, "max": 5, "preserveOriginal": True}, "foobar",
     ["foob", "fooba", "foobar", "ooba", "oobar", "obar"]),
    ({"min": 4, "max": 5, "preserveOriginal": True, "startMarker": "^", "endMarker": "$"},
     "foobar", ["^foob", "^fooba", "^foobar", "foobar$", "ooba", "oobar$", "obar$"]),
    ({"min": 4, "max": 5, "preserveOriginal": False, "startMarker": "^", "endMarker": "$"},
     "foobar", ["^foob", "^fooba", "ooba", "oobar$", "obar$"]),
    ({"min": 4, "max": 5, "preserveOriginal": False}, "foo", []),
    ({"min": 4, "max": 5, "preserveOriginal": True}, "foo", ["foo"]),
    # the docs' analyzerNgram1 / analyzerNgram2 inputs ("trigram", "bigram_markers")
    (TRIGRAM, "foobar", ["foo", "oob", "oba", "bar"]),
    ({**BIGRAM, "preserveOriginal": True, "startMarker": "^", "endMarker": "$"}, "foobar",
     ["^fo", "^foobar", "foobar$", "oo", "ob", "ba", "ar$"]),
    # utf8 steps code points, binary (the default) bytes; empty input gives no tokens
    (BIGRAM, "Grüße", ["Gr", "rü", "üß", "ße"]),
    ({"min": 1, "max": 1, "preserveOriginal": False}, "ab", ["a", "b"]),
    ({**BIGRAM, "preserveOriginal": True}, "", []),
]


@pytest.mark.parametrize(("properties", "text", "expected"), NGRAM_DOCS)
def test_tokens_with_ngram_analyzer(db: StandardDatabase, properties: dict[str, Any],
                                    text: str, expected: list[str]) -> None:
    db.create_analyzer("ng", "ngram", properties)
    assert run(db, "RETURN TOKENS(@t, 'ng')", t=text) == (expected, [])


def test_tokens_binary_stream_splitting_utf8_is_an_error(db: StandardDatabase) -> None:
    # ArangoDB's docs: binary mode on multi-byte characters raises an error
    db.create_analyzer("ng", "ngram", {"min": 1, "max": 1, "preserveOriginal": False})
    with pytest.raises(AQLQueryExecuteError) as info:
        db.aql.execute("RETURN TOKENS('ü', 'ng')")
    assert info.value.error_code == 9


def test_tokens_with_unsupported_custom_type_is_not_implemented(db: StandardDatabase) -> None:
    db.create_analyzer("comma", "delimiter", {"delimiter": ","})
    with pytest.raises(AQLQueryExecuteError) as info:
        db.aql.execute("RETURN TOKENS('a,b', 'comma')")
    assert info.value.error_code == 9 and "delimiter" in info.value.error_message


# ------------------------------------------------------------------------------- NGRAM_MATCH


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        # ArangoDB docs, NGRAM_MATCH "Using a custom bigram Analyzer" (document "quick red fox")
        ('NGRAM_MATCH("quick red fox", "quick fox", "bigram")', True),
        ('NGRAM_MATCH("quick red fox", "quick blue fox", 0.4, "bigram")', True),
        ('NGRAM_MATCH("quick red fox", "quick blue fox", 0.9, "bigram")', False),
        # ... and "Using constant values"
        ('NGRAM_MATCH("quick fox", "quick blue fox", 0.9, "bigram")', False),
        ('NGRAM_MATCH("quick fox", "quick blue fox", "bigram")', False),
        # threshold edges: 8 of the target's 13 bigrams are matched in order (8/13 = 0.615)
        ('NGRAM_MATCH("quick red fox", "quick blue fox", 0.61, "bigram")', True),
        ('NGRAM_MATCH("quick red fox", "quick blue fox", 0.62, "bigram")', False),
        ('NGRAM_MATCH("quick red fox", "quick blue fox", 8 / 13, "bigram")', True),
        ('NGRAM_MATCH("fox", "fox", 1, "bigram")', True),
        ('NGRAM_MATCH("xof", "fox", 0.01, "bigram")', False),
        # subsequence, not substring: order counts, gaps do not
        ('NGRAM_MATCH("a-b-c", "abc", 1, "bigram")', False),
        ('NGRAM_MATCH("abxbc", "abc", 1, "bigram")', True),
        # no n-grams on either side: false
        ('NGRAM_MATCH("f", "f", 0.1, "bigram")', False),
        ('NGRAM_MATCH("", "fox", 0.1, "bigram")', False),
        # any Analyzer, as in ArangoDB: identity gives one token per string
        ('NGRAM_MATCH("fox", "fox", "identity")', True),
        ('NGRAM_MATCH("Running dogs", "run", 0.5, "text_en")', True),
    ],
)
def test_ngram_match(bigram: StandardDatabase, call: str, expected: bool) -> None:
    assert run(bigram, f"RETURN {call}") == (expected, [])


def test_ngram_match_filters_documents(bigram: StandardDatabase) -> None:
    docs = bigram.create_collection("docs")
    docs.insert_many([{"text": t} for t in ("quick red fox", "slow brown dog", "quick fox")])
    found = list(bigram.aql.execute(
        "FOR d IN docs FILTER NGRAM_MATCH(d.text, @target, 0.7, 'bigram') SORT d.text "
        "RETURN d.text", bind_vars={"target": "quick fox"}))
    assert found == ["quick fox", "quick red fox"]


def test_ngram_match_threshold_outside_range_warns_and_is_used(bigram: StandardDatabase) -> None:
    # ArangoDB records warning 10 and goes on with the given threshold
    message = "in function 'NGRAM_MATCH()': Threshold must be between 0 and 1"
    assert run(bigram, 'RETURN NGRAM_MATCH("ab", "xy", 0, "bigram")') == (True, [(10, message)])
    assert run(bigram, 'RETURN NGRAM_MATCH("ab", "ab", 1.5, "bigram")') == (False, [(10, message)])


@pytest.mark.parametrize(
    ("call", "code"),
    [
        ('NGRAM_MATCH("a", "b")', 1541),  # the analyzer is needed outside SEARCH
        ('NGRAM_MATCH(1, "b", "bigram")', 1542),
        ('NGRAM_MATCH("a", null, "bigram")', 1542),
        ('NGRAM_MATCH("a", "b", "0.5", "bigram")', 1542),
        ('NGRAM_MATCH("a", "b", 0.5, 7)', 1542),
        ('NGRAM_MATCH("a", "b", 0.5, "nosuch")', 10),
    ],
)
def test_ngram_match_warnings(bigram: StandardDatabase, call: str, code: int) -> None:
    value, warnings = run(bigram, f"RETURN {call}")
    assert value is None and [c for c, _ in warnings] == [code]


@pytest.mark.parametrize("call", ['NGRAM_MATCH("a")', 'NGRAM_MATCH("a", "b", 1, "bigram", 2)'])
def test_ngram_match_arity(bigram: StandardDatabase, call: str) -> None:
    with pytest.raises(AQLQueryExecuteError) as info:
        bigram.aql.execute(f"RETURN {call}")
    assert info.value.error_code == 1541


# --------------------------------------------------------------- minhash Analyzer, MINHASH_MATCH


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # reference values from Google's CityHash64 (the cityhash 0.4.10 wheel); our port is
        # line for line ArangoDB's copy of Abseil's CityHash64 (minhash_token_stream.cpp)
        (b"", 0x9AE16A3B2F90404F),
        (b"abc", 0x24A5B3A074E7F369),
        (b"hello", 0xB48BE5A931380CE8),
        (b"quick fox", 0x6665F97F298B99BB),
        (b"abcdefghijklmnopqrst", 0x65FED21C0DE0497E),
        (b"x" * 40, 0xF6C8E2C2A453FFE5),
        (bytes(range(100)), 0xA47FE83E60B34CC6),
        ("Grüße".encode(), 0x3EE50AF928947123),
    ],
)
def test_city_hash64(data: bytes, expected: int) -> None:
    assert city_hash64(data) == expected


@pytest.fixture
def minhash(db: StandardDatabase) -> StandardDatabase:
    db.create_analyzer("mh", "minhash", {"numHashes": 10,
                                         "analyzer": {"type": "ngram", "properties": TRIGRAM}})
    db.create_analyzer("bigram", "ngram", BIGRAM)
    return db


def test_minhash_tokens_are_the_signature(minhash: StandardDatabase) -> None:
    signature, _ = run(minhash, "RETURN TOKENS('the quick brown fox', 'mh')")
    assert len(signature) == 10 and len(set(signature)) == 10
    assert all(len(token) == 11 for token in signature)  # 8 bytes, unpadded base64
    # fewer distinct trigrams than numHashes: all of them, once
    assert len(run(minhash, "RETURN TOKENS('aaaa', 'mh')")[0]) == 1
    # without a wrapped Analyzer the whole input is one token
    minhash.create_analyzer("whole", "minhash", {"numHashes": 4})
    assert len(run(minhash, "RETURN TOKENS('the quick brown fox', 'whole')")[0]) == 1


@pytest.mark.parametrize(
    ("threshold", "expected"),
    # 7 of the target's 10 signature hashes are in the value's signature
    [(0.1, True), (0.5, True), (0.7, True), (0.71, False), (1, False)],
)
def test_minhash_match_threshold(minhash: StandardDatabase, threshold: float,
                                 expected: bool) -> None:
    shared, _ = run(
        minhash, "LET a = TOKENS(@a, 'mh') LET b = TOKENS(@b, 'mh') "
        "RETURN [LENGTH(INTERSECTION(a, b)), LENGTH(b)]",
        a="the quick brown fox jumps", b="the quick brown fox leaps")
    assert shared == [7, 10]
    assert run(minhash, "RETURN MINHASH_MATCH(@a, @b, @t, 'mh')", a="the quick brown fox jumps",
               b="the quick brown fox leaps", t=threshold) == (expected, [])


def test_minhash_match_identical_and_disjoint(minhash: StandardDatabase) -> None:
    assert run(minhash, "RETURN MINHASH_MATCH('same text', 'same text', 1, 'mh')") == (True, [])
    assert run(minhash, "RETURN MINHASH_MATCH('abcdef', 'uvwxyz', 0.1, 'mh')") == (False, [])


@pytest.mark.parametrize(
    ("call", "code"),
    [
        ("MINHASH_MATCH('a', 'b', 0.5)", 1541),  # the analyzer is needed outside SEARCH
        ("MINHASH_MATCH(1, 'b', 0.5, 'mh')", 1542),
        ("MINHASH_MATCH('a', [], 0.5, 'mh')", 1542),
        ("MINHASH_MATCH('a', 'b', '0.5', 'mh')", 1542),
        ("MINHASH_MATCH('a', 'b', 0, 'mh')", 10),
        ("MINHASH_MATCH('a', 'b', 1.01, 'mh')", 10),
        ("MINHASH_MATCH('a', 'b', 0.5, 'nosuch')", 10),
        ("MINHASH_MATCH('a', 'b', 0.5, 'bigram')", 10),  # not a minhash Analyzer
    ],
)
def test_minhash_match_warnings(minhash: StandardDatabase, call: str, code: int) -> None:
    value, warnings = run(minhash, f"RETURN {call}")
    assert value is None and [c for c, _ in warnings] == [code]
