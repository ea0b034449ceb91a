"""Index rows of a data directory: the fast key bytes equal the general encoding."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arangolite.storage.index_rows import commit_rows, row_keys, rows_ahead, value_bytes
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
    added = out["INSERT OR IGNORE INTO ix_5_7 VALUES (?, ?)"]
    assert sorted(added) == sorted([(value_bytes("two"), "b"), (value_bytes(None), "d")])
    # a new document's key is a bytearray, which sqlite3 binds without looking up adapters
    assert [type(k) for k, key in added if key == "d"] == [bytearray]


writes_and_olds = st.dictionaries(
    st.sampled_from(["k1", "k2", "k3", "k4", "k5"]),
    st.tuples(st.none() | docs, st.none() | docs),
    max_size=5,
)


@settings(max_examples=300, deadline=None, database=None)
@given(writes_and_olds)
def test_commit_rows_are_the_difference_of_row_sets(
    cases: dict[str, tuple[dict[str, Any] | None, dict[str, Any] | None]],
) -> None:
    indexes: list[Any] = [*_INDEXES, TtlIndex("99", "t", "a", 10)]
    olds = {k: {**o, "_key": k} for k, (o, _) in cases.items() if o is not None}
    writes = {k: None if n is None else {**n, "_key": k} for k, (_, n) in cases.items()}
    out = commit_rows(3, indexes, False, writes, olds)
    got: dict[tuple[str, str], set[tuple[bytes, str]]] = {}
    for sql, rows in out:
        table = sql.split()[2] if sql.startswith("DELETE") else sql.split()[4]
        verb = sql.split()[0]
        assert (verb, table) not in got
        got[(verb, table)] = {(bytes(k), key) for k, key in rows}
        assert len(rows) == len(got[(verb, table)])
    for index in indexes:
        table = f"ix_3_{index.id}"
        gone: set[tuple[bytes, str]] = set()
        added: set[tuple[bytes, str]] = set()
        for key, new in writes.items():
            old = olds.get(key)
            before = set(_general(index, old)) if old is not None else set()
            after = set(_general(index, new)) if new is not None else set()
            gone |= {(k, key) for k in before - after}
            added |= {(k, key) for k in after - before}
        assert got.get(("DELETE", table), set()) == gone
        assert got.get(("INSERT", table), set()) == added


@settings(max_examples=200, deadline=None, database=None)
@given(
    news=st.lists(docs, min_size=1, max_size=6),
    replaced=st.booleans(),
    stale=st.booleans(),
)
def test_rows_worked_out_ahead_are_the_rows_of_the_commit(
    news: list[dict[str, Any]], replaced: bool, stale: bool
) -> None:
    """A big commit works out its new versions' index rows before the engine lock
    (``rows_ahead``); ``commit_rows`` then writes exactly the rows it would have worked out
    itself: it takes them only when every write is a new key, and only for an index still the
    same (``stale``: one dropped and another made with its id meanwhile)."""
    writes: dict[str, Any] = {f"k{n}": {**doc, "_key": f"k{n}"} for n, doc in enumerate(news)}
    writes["gone"] = None  # a delete of a key never stored: no old version, no row
    olds = {"k0": {"_key": "k0", "a": "before", "b": 1}} if replaced else {}
    ahead = rows_ahead(_INDEXES, writes)
    indexes = list(_INDEXES)
    if stale:
        first = indexes[0]
        indexes[0] = PersistentIndex(first.id, "again", ["c"], unique=False, sparse=False)
    expected = commit_rows(9, indexes, False, writes, olds)
    assert commit_rows(9, indexes, False, writes, olds, ahead) == expected
