"""Index rows of a data directory: the fast key bytes equal the general encoding."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arangolite.storage.index_rows import commit_rows, row_keys, value_bytes
from arangolite.storage.indexes import PersistentIndex, TtlIndex, encode
from arangolite.storage.keycodec import to_bytes
from tests.arangolite.fuzz_cases import json_values

_FIELDS = [["a"], ["a", "b"], ["b", "a", "c"], ["a.x"], ["a[*]"], ["a", "b[*].x"]]
_INDEXES = [
    PersistentIndex(str(n), f"i{n}", fields, unique=False, sparse=sparse)
    for n, (fields, sparse) in enumerate((f, s) for f in _FIELDS for s in (False, True))
]
docs = st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), json_values, max_size=4)


def _general(index: Any, doc: dict[str, Any]) -> list[bytes]:
    return [to_bytes(vals) for vals in index.values_of(doc)]


@settings(max_examples=400, deadline=None, database=None)
@given(json_values)
def test_value_bytes_is_the_encoding(value: Any) -> None:
    assert value_bytes(value) == to_bytes((encode(value),))


@pytest.mark.parametrize("index", _INDEXES, ids=lambda i: f"{i.fields}-{i.sparse}")
@settings(max_examples=150, deadline=None, database=None)
@given(doc=docs)
def test_row_keys_equal_the_encoded_values(index: PersistentIndex, doc: dict[str, Any]) -> None:
    assert row_keys(index)(doc) == _general(index, doc)


def test_special_values_and_ttl() -> None:
    index = PersistentIndex("1", "i", ["a", "b"], unique=False, sparse=True)
    for doc in ({"a": 0}, {"a": 0, "b": False}, {"a": -0.0, "b": 2**64}, {"a": "x\x00", "b": 1e308}):
        assert row_keys(index)(doc) == _general(index, doc)
    ttl = TtlIndex("2", "t", "exp", 10)
    for doc in ({"exp": 5}, {"exp": "2026-01-01T00:00:00Z"}, {"exp": None}, {}):
        assert row_keys(ttl)(doc) == _general(ttl, doc)


def test_commit_rows_add_remove_and_keep() -> None:
    index = PersistentIndex("7", "i", ["s"], unique=False, sparse=False)
    olds = {"a": {"_key": "a", "s": 1}, "b": {"_key": "b", "s": 2}, "c": {"_key": "c", "s": 3}}
    writes: dict[str, Any] = {
        "a": {"_key": "a", "s": 1, "t": 0},  # same value: no row changes
        "b": {"_key": "b", "s": "two"},
        "c": None,
        "d": {"_key": "d"},
    }
    out = dict(commit_rows(5, [index], False, writes, olds))
    assert out["DELETE FROM ix_5_7 WHERE k=? AND key=?"] == [
        (value_bytes(2), "b"), (value_bytes(3), "c")
    ]
    assert out["INSERT OR IGNORE INTO ix_5_7 VALUES (?, ?)"] == [
        (value_bytes("two"), "b"), (value_bytes(None), "d")
    ]
