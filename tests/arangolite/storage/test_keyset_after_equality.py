"""A SORT + LIMIT read through an index on ``[a, b]`` with ``FILTER d.a == @a`` and a range on
``d.b`` starts and stops at the range (issue 8): a keyset page, ``FILTER d.library_key == @lib
AND d.path > @after SORT d.path LIMIT n`` (nomarr's every stream of library files, and so every
rescan), read the group from its start and dropped what came before ``@after``: 100 pages
through 100,000 files read 5 million index entries, and a rescan of an unchanged library took
twice its first scan.

Answers are checked against the same queries on a collection without the index (read and
sorted whole), over values of every type, big integers included."""

from __future__ import annotations

import random
from typing import Any

import pytest

VALUES: list[Any] = [
    None, False, True, -1.5, 0, 3, 2**53, 2**53 + 1, 2**60, 7.25, "", "a", "a/b", "b", "zz",
    [], [1], [1, 2], {"x": 1},
]  # fmt: skip

PAGE = "FOR d IN {c} FILTER d.a == @a AND d.b > @after SORT d.b LIMIT @n RETURN d._key"


@pytest.fixture
def db(client: Any) -> Any:
    database = client.db("_system")
    rng = random.Random(1205)
    docs = [{"_key": f"k{g}_{i}", "a": g, "b": v} for g in (1, 2, "x", None) for i, v in enumerate(VALUES)]
    docs += [{"_key": f"n{i:04d}", "a": 2, "b": 1000 + i} for i in range(300)]
    rng.shuffle(docs)
    for name, indexed in (("c", True), ("plain", False)):
        coll = database.create_collection(name)
        if indexed:
            coll.add_index({"type": "persistent", "fields": ["a", "b"]})
        coll.import_bulk(docs)
    return database


def _run(db: Any, query: str, binds: dict[str, Any]) -> tuple[list[str], int]:
    cursor = db.aql.execute(query, bind_vars=binds)
    return list(cursor), cursor.statistics()["scanned_index"]


def test_a_keyset_page_reads_the_page_wherever_it_starts(db: Any) -> None:
    for after, first in ((1000, 1001), (1150, 1151), (1290, 1291)):
        keys, scanned = _run(db, PAGE.format(c="c"), {"a": 2, "after": after, "n": 5})
        assert keys == [f"n{first - 1000 + i:04d}" for i in range(5)]
        assert scanned <= 6  # the page and the entry that shows it is full, not the group before it


@pytest.mark.parametrize("seed", range(4))
def test_ranges_after_an_equality_answer_as_without_the_index(db: Any, seed: int) -> None:
    rng = random.Random(seed)
    ops = {">": "low", ">=": "low", "<": "high", "<=": "high"}
    for _ in range(60):
        group = rng.choice([1, 2, "x", None, "absent"])
        conds = rng.sample(list(ops), rng.choice([1, 1, 2]))
        binds: dict[str, Any] = {"a": group, "n": rng.choice([1, 3, 10, 400])}
        filters = []
        for i, op in enumerate(conds):
            binds[f"v{i}"] = rng.choice([*VALUES, 1100, 1299.5])
            filters.append(f"d.b {op} @v{i}")
        order = rng.choice(["", " DESC"])
        query = (
            f"FOR d IN {{c}} FILTER d.a == @a AND {' AND '.join(filters)} "
            f"SORT d.b{order} LIMIT @n RETURN d._key"
        )
        indexed, _ = _run(db, query.format(c="c"), binds)
        plain, _ = _run(db, query.format(c="plain"), binds)
        assert indexed == plain, (query, binds)
