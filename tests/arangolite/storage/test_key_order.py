"""``SORT d._key`` and ranges on ``_key`` read the primary index in key order (``key_order``).

As ArangoDB's sorted primary index does: ``SORT d._key LIMIT n`` and keyset pages (``FILTER
d._key > @last SORT d._key LIMIT n``) read about ``n`` documents, not the collection. Every
answer is checked against the keys sorted in Python; bounds of every AQL type, both directions,
inside a stream transaction with its own writes and another client's commits since it began.
Run on both stores (and over ``--arango-url`` against a real ArangoDB).
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from arangolite.aql.executor import execute
from arangolite.aql.values import compare
from arangolite.storage.engine import Engine
from arangolite.storage.entries import Window
from arangolite.storage.indexes import encode
from arangolite.storage.state import MemoryState

N = 600
BOUNDS = [
    None, False, 0, 5.5, "", "k", "k0001", "k0300", "k0300x", "k0300é", "k0598", "k9", "z", "\U0001F600",
    [], {},
]
OPS = [">", ">=", "<", "<="]


@pytest.fixture
def keyed(db: Any) -> tuple[Any, list[str]]:
    """A collection of N documents inserted in random key order; its keys."""
    keys = [f"k{i:04d}" for i in range(N)]
    shuffled = keys[:]
    random.Random(5).shuffle(shuffled)
    db.create_collection("c").import_bulk([{"_key": k, "n": int(k[1:])} for k in shuffled])
    return db, keys


def _rows(db: Any, query: str, **binds: Any) -> tuple[list[Any], dict[str, Any]]:
    cursor = db.aql.execute(query, bind_vars=binds, count=True)
    rows = list(cursor)
    return rows, cursor.statistics()


def _admits(key: str, op: str, bound: Any) -> bool:
    c = compare(key, bound)
    return {">": c > 0, ">=": c >= 0, "<": c < 0, "<=": c <= 0}[op]


def test_sort_by_key_with_a_limit_reads_about_the_limit(keyed: tuple[Any, list[str]]) -> None:
    db, keys = keyed
    for direction, want in (("ASC", keys[:5]), ("DESC", keys[::-1][:5])):
        rows, stats = _rows(db, f"FOR d IN c SORT d._key {direction} LIMIT 5 RETURN d._key")
        assert rows == want
        assert stats["scanned_full"] == 0 and stats["scanned_index"] <= 16, stats
    rows, _ = _rows(db, "FOR d IN c SORT d._key RETURN d._key")  # (no LIMIT: every key)
    assert rows == keys


def test_an_equality_sorted_by_key_walks_the_keys(db: Any) -> None:
    """``FILTER d.s == x SORT d._key LIMIT n`` with many matches and no index on ``[s, _key]``
    walks the keys in order and stops after the LIMIT's matches."""
    c = db.create_collection("c")
    c.add_index({"type": "persistent", "fields": ["s"]})
    c.import_bulk([{"_key": f"k{i:04d}", "s": i % 2} for i in range(1000)])
    query = "FOR d IN c FILTER d.s == 1 SORT d._key DESC LIMIT 3 RETURN d._key"
    rows, stats = _rows(db, query)
    assert rows == ["k0999", "k0997", "k0995"]
    assert stats["scanned_full"] == 0 and stats["scanned_index"] <= 40, stats


@pytest.mark.parametrize("op", OPS)
def test_bounds_of_every_type_in_both_directions(keyed: tuple[Any, list[str]], op: str) -> None:
    db, keys = keyed
    for bound in BOUNDS:
        admitted = [k for k in keys if _admits(k, op, bound)]
        for direction, want in (("ASC", admitted), ("DESC", admitted[::-1])):
            query = f"FOR d IN c FILTER d._key {op} @b SORT d._key {direction} LIMIT 3 RETURN d._key"
            assert _rows(db, query, b=bound)[0] == want[:3], (op, bound, direction)
        for limit in ("", "LIMIT 1000"):  # (a scan; with the LIMIT, on disk the primary index)
            query = f"FOR d IN c FILTER d._key {op} @b {limit} RETURN d._key"
            assert sorted(_rows(db, query, b=bound)[0]) == admitted, (op, bound, limit)


def test_keyset_pages_give_every_key_once_in_order(keyed: tuple[Any, list[str]]) -> None:
    db, keys = keyed
    page = "FOR d IN c FILTER d._key > @last SORT d._key LIMIT 7 RETURN d._key"
    seen, last, pages = [], "", 0
    while True:
        rows, stats = _rows(db, page, last=last)
        assert stats["scanned_full"] == 0 and stats["scanned_index"] <= 16, stats
        if not rows:
            break
        seen += rows
        last, pages = rows[-1], pages + 1
    assert seen == keys and pages == -(-N // 7)


def test_a_range_between_two_keys_with_a_limit_reads_its_matches_only(
    keyed: tuple[Any, list[str]],
) -> None:
    db, _ = keyed
    query = "FOR d IN c FILTER d._key >= @a && d._key < @b SORT d._key {} LIMIT 50 RETURN d.n"
    for direction, want in (("ASC", list(range(100, 110))), ("DESC", list(range(109, 99, -1)))):
        rows, stats = _rows(db, query.format(direction), a="k0100", b="k0110")
        assert rows == want
        assert stats["scanned_full"] == 0 and stats["scanned_index"] <= 16, stats


def test_a_stream_transaction_reads_its_snapshot_and_its_own_writes_in_key_order(
    keyed: tuple[Any, list[str]],
) -> None:
    db, _ = keyed
    trx = db.begin_transaction(read=["c"], write=["c"])
    try:
        own = trx.collection("c")
        own.insert({"_key": "k0000a", "n": -1})  # between k0000 and k0001
        own.delete("k0002")
        own.insert({"_key": "a", "n": -2})  # below every key
        others = db.collection("c")  # committed after the transaction began: unseen in it
        others.insert({"_key": "k0000b", "n": -3})
        others.delete("k0001")
        query = "FOR d IN c SORT d._key LIMIT 5 RETURN d._key"
        assert list(trx.aql.execute(query)) == ["a", "k0000", "k0000a", "k0001", "k0003"]
        desc = "FOR d IN c FILTER d._key < 'k0004' SORT d._key DESC RETURN d._key"
        assert list(trx.aql.execute(desc)) == ["k0003", "k0001", "k0000a", "k0000", "a"]
        assert list(db.aql.execute(query)) == ["k0000", "k0000b", "k0002", "k0003", "k0004"]
    finally:
        trx.abort_transaction()
    assert list(db.aql.execute("FOR d IN c SORT d._key LIMIT 3 RETURN d._key")) == [
        "k0000", "k0000b", "k0002",
    ]


def test_a_bound_utf8_cannot_encode_orders_keys_as_aql_does(engine: Engine) -> None:
    """A lone surrogate (which REST refuses, but a query run in process can bind) is above every
    ASCII character, so above every key from there on; SQLite is never given it."""
    db = engine.database("_system")
    db.create_collection("c")
    execute(db, "FOR i IN 0..20 INSERT {_key: CONCAT('k', i)} INTO c")
    query = "FOR d IN c FILTER d._key {} @b SORT d._key LIMIT 30 RETURN d._key"
    everything = sorted(f"k{i}" for i in range(21))
    for bound in ("\ud800", "k1\udfff"):
        above = execute(db, query.format(">"), {"b": bound}).rows
        below = execute(db, query.format("<"), {"b": bound}).rows
        assert above == [k for k in everything if k > bound]
        assert below == [k for k in everything if k < bound]
        assert below + above == everything


def _keys(
    state: MemoryState, low: str | None = None, low_incl: bool = True, high: str | None = None,
    high_incl: bool = True, last: str | None = None, descending: bool = False, size: int = 10,
) -> list[str]:
    window = Window.first_field(
        None if low is None else encode(low), low_incl, None if high is None else encode(high),
        high_incl,
    )
    after = None if last is None else (last,)
    return [entry[-1] for entry in state.key_entries().chunk(window, after, descending, size)]


def test_memory_key_entries_follow_writes() -> None:
    """The in-memory state's entries in key order are made again after a key is added or
    removed (not after an update), and a chunk past ``last`` stays within the bounds."""
    state = MemoryState()
    for key in ("b", "d", "a", "c"):
        state.replace(key, {"_key": key})
    assert _keys(state) == ["a", "b", "c", "d"]
    state.replace("bb", {"_key": "bb"})
    state.replace("a", None)
    assert _keys(state) == ["b", "bb", "c", "d"]
    made = state.key_entries()
    state.replace("b", {"_key": "b", "changed": True})
    assert state.key_entries() is made  # (an update keeps them)
    assert _keys(state, "b", False, "d", False) == ["bb", "c"]
    assert _keys(state, "b", True, "d", True, last="bb", size=1) == ["c"]
    assert _keys(state, "b", True, "d", True, last="c", descending=True, size=5) == ["bb", "b"]
    assert _keys(state, "c", False, "b", False) == []
