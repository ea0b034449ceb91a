"""Key validation, ids and deterministic keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nomarr.helpers.errors import InvalidKeyError
from nomarr.helpers.keys import (
    claim_key,
    content_key,
    file_key,
    is_valid_key,
    link_key,
    make_id,
    new_key,
    parse_id,
    tag_key,
    validate_key,
)

ALLOWED = "abcXYZ019_-:.@()+,=;$!*'%"

BAD_KEYS = [
    "",
    "a" * 255,
    "a/b",
    "..",
    ".",
    "has space",
    "nul\x00byte",
    "x' OR 1==1 //",
    'x" RETURN 1',
    "ünïcode",
    "tab\t",
    "new\nline",
    None,
    42,
    b"bytes",
]


@pytest.mark.parametrize("key", ["a", "a" * 254, ALLOWED, "worker-1", "migration:0001", ".a."])
def test_valid_keys_pass_unchanged(key: str) -> None:
    assert validate_key(key) == key
    assert is_valid_key(key)


@pytest.mark.parametrize("key", BAD_KEYS)
def test_invalid_keys_raise_with_prefix_and_name(key: object) -> None:
    with pytest.raises(InvalidKeyError) as info:
        validate_key(key, "file_key")
    message = str(info.value)
    assert message.startswith(InvalidKeyError.prefix)
    assert "file_key=" in message
    assert isinstance(info.value, ValueError)


@given(st.text(alphabet=ALLOWED, min_size=1, max_size=254))
def test_every_allowlisted_key_is_valid_unless_only_dots(key: str) -> None:
    assert is_valid_key(key) == (key.strip(".") != "")


@given(st.text(min_size=1, max_size=300))
def test_validation_agrees_with_the_allowlist(key: str) -> None:
    expected = len(key) <= 254 and all(c in ALLOWED or (c.isascii() and c.isalnum()) for c in key)
    assert is_valid_key(key) == (expected and key.strip(".") != "")


def test_make_and_parse_id_round_trip() -> None:
    assert make_id("library_files", "abc") == "library_files/abc"
    assert parse_id("library_files/abc") == ("library_files", "abc")


@pytest.mark.parametrize("doc_id", ["abc", "a/b/c", "/abc", "coll/", "1coll/abc", "coll/a b", None])
def test_parse_id_rejects_malformed_ids(doc_id: object) -> None:
    with pytest.raises(InvalidKeyError):
        parse_id(doc_id)


def test_make_id_rejects_bad_collection_names() -> None:
    with pytest.raises(InvalidKeyError):
        make_id("bad name", "abc")


def test_content_keys_are_deterministic_distinct_and_valid() -> None:
    assert content_key("a", "bc") == content_key("a", "bc")
    assert content_key("a", "bc") != content_key("ab", "c")
    assert is_valid_key(content_key("x" * 1000, "/ü/ space"))
    assert len(content_key("x")) == 32


def test_derived_keys() -> None:
    assert file_key("lib", "/a.mp3") == file_key("lib", "/a.mp3") != file_key("lib2", "/a.mp3")
    assert file_key("lib", "/a.mp3") != tag_key("lib", "/a.mp3")
    assert claim_key("abc") == "abc"
    assert new_key() != new_key()
    with pytest.raises(InvalidKeyError):
        file_key("bad/lib", "/a.mp3")


def test_content_keys_spread_evenly_over_shards() -> None:
    shards = [0] * 8
    for i in range(4000):
        shards[int(content_key("lib", f"/music/{i}.flac")[:8], 16) % 8] += 1
    assert min(shards) > 400


def test_link_keys_follow_the_file_and_are_one_per_file_and_tag() -> None:
    files = sorted(content_key("lib", f"/music/{i}.flac") for i in range(50))
    tags = [tag_key("genre", g) for g in ("jazz", "rock", "pop")]
    keys = [[link_key(f, t) for t in tags] for f in files]
    flat = [k for row in keys for k in row]
    assert len(set(flat)) == 150  # one per file and tag
    assert all(is_valid_key(key) and len(key) == 32 for key in flat)
    assert all(k.startswith(f[:16]) for f, row in zip(files, keys, strict=True) for k in row)
    assert [row[0] for row in keys] == sorted(row[0] for row in keys)  # in the files' key order
    assert link_key(files[0], tags[0]) == link_key(files[0], tags[0])  # the same link, same key
