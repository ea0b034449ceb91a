"""Lazy index reads: ordered, stoppable, and consistent while others commit between two steps."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from arangolite.storage.database import Database
from arangolite.storage.engine import Engine
from arangolite.storage.handle import TrxCollection
from arangolite.storage.state import MemoryState

Read = Callable[[TrxCollection], Iterable[dict[str, Any]] | None]

READS: dict[str, Read] = {
    "range": lambda h: h.range("a", 3, True, 15, False, has_low=True, has_high=True),
    "range_desc": lambda h: h.range("a", 5, False, None, has_low=True, descending=True),
    "whole_index": lambda h: h.range("a"),
    "equality": lambda h: h.lookup(["a"], [7]),
    "prefix_of_two": lambda h: h.lookup(["a", "b"], [4, "x"]),
    "expanding": lambda h: h.lookup(["tags[*]"], ["t2"]),
}


@pytest.fixture
def sysdb(engine: Engine) -> Database:
    db = engine.database("_system")
    db.create_collection("c")
    db.ensure_index("c", {"type": "persistent", "fields": ["a", "b"]})
    db.ensure_index("c", {"type": "persistent", "fields": ["tags[*]"]})
    trx = db.begin()
    handle = trx.collection("c")
    rng = random.Random(1)
    for i in range(300):
        handle.insert(_doc(rng, f"k{i:03d}"))
    trx.commit()
    return db


def _doc(rng: random.Random, key: str) -> dict[str, Any]:
    return {
        "_key": key,
        "a": rng.randrange(20),
        "b": rng.choice(["x", "y"]),
        "tags": [f"t{rng.randrange(4)}" for _ in range(rng.randrange(3))],
    }


def _keys(docs: Iterable[dict[str, Any]] | None) -> list[str]:
    assert docs is not None
    return [d["_key"] for d in docs]


def _commit_changes(db: Database, rng: random.Random, serial: Iterable[int]) -> None:
    trx = db.begin()
    handle = trx.collection("c")
    for n in itertools.islice(serial, 8):
        key = f"k{rng.randrange(300):03d}"
        if handle.get(key) is None or rng.random() < 0.3:
            handle.insert(_doc(rng, key if handle.get(key) is None else f"n{n}"))
        elif rng.random() < 0.5:
            handle.remove(key)
        else:
            handle.update(key, {"a": rng.randrange(20), "tags": ["t2"]})
    trx.commit()


@pytest.mark.parametrize("name", sorted(READS))
def test_paused_read_sees_its_snapshot_while_others_commit(sysdb: Database, name: str) -> None:
    rng = random.Random(name)
    serial = itertools.count()
    reader = sysdb.begin()
    handle = reader.collection("c")
    expected = _keys(READS[name](handle))
    assert expected  # the case reads something
    lazy = iter(READS[name](handle) or [])
    seen: list[str] = []
    for doc in lazy:
        seen.append(doc["_key"])
        if rng.random() < 0.2:
            _commit_changes(sysdb, rng, serial)
    assert seen == expected
    assert _keys(READS[name](handle)) == expected
    reader.abort()


def test_index_order_with_own_writes(sysdb: Database) -> None:
    trx = sysdb.begin()
    handle = trx.collection("c")
    handle.insert({"_key": "mine", "a": 3.5})
    values = [d["a"] for d in handle.range("a") or []]
    assert values == sorted(values) and 3.5 in values
    desc = [(d["a"], d.get("b"), d["_key"]) for d in handle.range("a", descending=True) or []]
    assert desc == sorted(desc, key=lambda t: (t[0], t[1] or "", t[2]), reverse=True)
    trx.abort()


class _CountingDocs(MemoryState):
    reads = 0

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        type(self).reads += len(keys)
        return super().get_many(keys)

    def get_present(self, keys: list[str]) -> list[Any]:
        type(self).reads += len(keys)
        return super().get_present(keys)


def test_stopping_early_reads_only_a_chunk(sysdb: Database) -> None:
    coll = sysdb.get_collection("c")
    _CountingDocs.reads = 0
    counting = _CountingDocs()
    counting.load({d["_key"]: d for d in coll.state.scan()})
    coll.state = counting
    trx = sysdb.begin()
    handle = trx.collection("c")
    first = next(iter(handle.range("a") or []))
    assert first["a"] == 0 and 0 < _CountingDocs.reads <= 16  # one chunk, not 300 documents
    first = next(iter(handle.lookup(["a"], [7]) or []))
    assert first["a"] == 7 and _CountingDocs.reads <= 32
    trx.abort()


def test_a_memory_scan_reads_the_documents_as_of_its_start() -> None:
    """The in-memory state hands every scan the list of documents it had when the scan began
    (kept between writes, made again after one): a write while a scan runs (a commit in a gap
    between its rows) changes neither what it reads nor a scan already begun; the next scan
    sees the write."""
    state = MemoryState()
    state.load({k: {"_key": k} for k in ("a", "b", "c")})
    first, second = state.scan(), state.scan()
    assert next(first)["_key"] == "a"
    state.replace("b", None)
    state.replace("d", {"_key": "d"})
    state.replace("a", {"_key": "a", "v": 1})  # a write moves the document to the end
    assert [d["_key"] for d in first] == ["b", "c"]
    assert [d["_key"] for d in second] == ["a", "b", "c"]
    assert [(d["_key"], d.get("v")) for d in state.scan()] == [("c", None), ("d", None), ("a", 1)]
    state.rename("renamed")
    assert {d.get("_id") for d in state.scan()} == {"renamed/a", "renamed/c", "renamed/d"}
    state.load({})
    assert list(state.scan()) == []
