"""Index encoding (AQL order and equality) and the index structures."""

from __future__ import annotations

import random
from functools import cmp_to_key
from typing import Any

from arangolite.aql.values import compare
from arangolite.storage.entries import Window
from arangolite.storage.indexes import EdgeIndex, PersistentIndex, TtlIndex, encode

_SAMPLES: list[Any] = [
    None,
    False,
    True,
    -1,
    0,
    0.5,
    1,
    1.0,
    2,
    "",
    "a",
    "B",
    "b",
    "ab",
    [],
    [None],
    [1],
    [1, None],
    [1, 2],
    [[1]],
    {},
    {"a": 1},
    {"a": 1, "b": None},
    {"b": 0},
    {"a": [1]},
    {"a": {"b": 1}},
]


def test_encoding_orders_like_aql_compare() -> None:
    rng = random.Random(7)
    values = _SAMPLES * 3
    rng.shuffle(values)
    by_compare = sorted(values, key=cmp_to_key(compare))
    by_encoding = sorted(values, key=encode)
    assert [encode(v) for v in by_compare] == [encode(v) for v in by_encoding]
    for a in _SAMPLES:
        for b in _SAMPLES:
            assert (encode(a) == encode(b)) == (compare(a, b) == 0), (a, b)
            assert (encode(a) < encode(b)) == (compare(a, b) < 0), (a, b)


def _doc(key: str, rev: str, **attrs: Any) -> dict[str, Any]:
    return {"_key": key, "_id": f"c/{key}", "_rev": rev, **attrs}


def test_persistent_prefix_and_range() -> None:
    index = PersistentIndex("1", "i", ["a", "b"], unique=False, sparse=False)
    docs = [_doc(str(i), f"r{i:03}", a=i % 3, b=i) for i in range(9)]
    index.bulk_load(docs[:5])
    for doc in docs[5:]:
        index.insert(doc)
    assert list(index.keys_equal((encode(1),))) == ["1", "4", "7"]
    assert list(index.keys_equal((encode(1), encode(4)))) == ["4"]
    window = Window.first_field(encode(1), True, encode(2), False)
    inside = index.entries.chunk(window, None, False, 99)
    assert [e[2] for e in inside] == ["1", "4", "7"]
    index.remove(docs[4])
    assert list(index.keys_equal((encode(1),))) == ["1", "7"]


def test_sparse_skips_null_and_missing() -> None:
    index = PersistentIndex("1", "i", ["a"], unique=True, sparse=True)
    index.insert(_doc("x", "r1"))
    index.insert(_doc("y", "r2", a=None))
    everything = Window.first_field(None, True, None, True)
    assert index.entries.chunk(everything, None, False, 9) == []
    assert index.conflict(_doc("z", "r3"), ()) is None


def test_unique_conflict_ignores_superseded_keys() -> None:
    index = PersistentIndex("1", "i", ["a"], unique=True, sparse=False)
    index.insert(_doc("x", "r1", a=1))
    assert index.conflict(_doc("y", "r2", a=1.0), ()) == "x"
    assert index.conflict(_doc("y", "r2", a=1), {"x"}) is None
    assert index.conflict(_doc("x", "r2", a=1), ()) is None


def test_edge_index_keeps_insertion_order() -> None:
    index = EdgeIndex()
    for key in ("3", "1", "2"):
        index.insert({"_key": key, "_from": "v/a", "_to": f"v/{key}"})
    assert index.keys("v/a", "out") == ["3", "1", "2"]
    index.remove({"_key": "1", "_from": "v/a", "_to": "v/1"})
    assert index.keys("v/a", "out") == ["3", "2"] and index.keys("v/1", "in") == []


def test_ttl_index_expiry() -> None:
    index = TtlIndex("1", "t", "at", 10)
    index.insert(_doc("num", "r1", at=100))
    index.insert(_doc("iso", "r2", at="1970-01-01T00:01:40Z"))
    index.insert(_doc("bad", "r3", at="not a date"))
    index.insert(_doc("none", "r4"))
    assert index.expired(109) == []
    assert sorted(index.expired(110)) == ["iso", "num"]
    index.remove(_doc("num", "r1", at=100))
    assert index.expired(1e12) == ["iso"]
