"""The document cache's batch operations: one lock for many keys, same entries as one by one."""

from __future__ import annotations

from arangolite.storage.cache import MISSING, DocCache, cost


def test_put_many_and_discard_many_match_single_operations() -> None:
    one, many = DocCache(10_000), DocCache(10_000)
    items = [("a", {"_key": "a"}, cost(20)), ("b", None, 0), ("c", {"_key": "c"}, cost(30))]
    for key, doc, size in items:
        one.put(7, key, doc, size)
    many.put_many(7, items)
    assert many.used == one.used
    assert many.get_many(7, ["a", "b", "c", "d"]) == [{"_key": "a"}, None, {"_key": "c"}, MISSING]

    many.set_tag((1, 1))
    many.discard_many(7, [])  # nothing changes: the entries still belong to the snapshot
    assert many.get_at((1, 1), 7, "a") == {"_key": "a"}
    many.discard_many(7, ["a", "b", "zz"])
    for key in ("a", "b"):
        one.discard(7, key)
    assert many.used == one.used
    assert many.get_at((1, 1), 7, "c") is MISSING  # changed entries: no snapshot owns them
    assert many.get_many(7, ["a", "b", "c"]) == [MISSING, MISSING, {"_key": "c"}]


def test_put_many_keeps_the_budget() -> None:
    cache = DocCache(3 * cost(10))
    cache.put_many(1, [(str(i), {"i": i}, cost(10)) for i in range(10)])
    assert cache.used <= cache.limit
    assert cache.get_many(1, ["0", "9"]) == [MISSING, {"i": 9}]


def test_put_many_for_a_snapshot_keeps_only_its_own() -> None:
    cache = DocCache(10_000)
    cache.set_tag((5, 1))
    cache.put_many(1, [("a", {"_key": "a"}, cost(10))], (4, 1))  # an older snapshot: dropped
    assert cache.get_many(1, ["a"]) == [MISSING]
    cache.put_many(1, [("a", {"_key": "a"}, cost(10))], (5, 1))
    assert cache.get_at((5, 1), 1, "a") == {"_key": "a"}


def test_discard_many_frees_what_it_drops() -> None:
    from arangolite.storage.cache import MISSING, DocCache

    cache = DocCache(1 << 20)
    cache.put_many(1, [("a", {"x": 1}, 300), ("b", None, 0), ("c", {"x": 3}, 500)])
    cache.put(2, "a", {"y": 1}, 700)
    cache.put_scan(1, [{"x": 1}], 900, cache.generation)
    before = cache.used
    cache.discard_many(1, ["a", "b", "zz"])
    assert cache.used == before - 300 - 64 - 900  # a, b (absent: 64), the scan of 1
    assert cache.get(1, "a") is MISSING and cache.get(1, "b") is MISSING
    assert cache.get(1, "c") == {"x": 3} and cache.get(2, "a") == {"y": 1}
    assert cache.get_scan(1) is None
    cache.discard_many(1, ["c"])
    assert cache.used == 700


def test_get_present_gives_the_existing_documents_in_order_or_none_when_one_is_not_cached() -> None:
    cache = DocCache(4 * cost(10))
    cache.put_many(1, [("a", {"_key": "a"}, cost(10)), ("b", None, 0), ("c", {"_key": "c"}, cost(10))])
    assert cache.get_present(1, ["c", "b", "a"]) == [{"_key": "c"}, {"_key": "a"}]  # b: absent
    assert cache.get_present(1, ["a", "zz"]) is None and cache.get_present(2, ["a"]) is None
    cache.get_present(1, ["a"])  # a read now: the least recently used is c, then b
    cache.put_many(1, [("d", {"_key": "d"}, cost(10)), ("e", {"_key": "e"}, cost(10))])
    assert cache.get_many(1, ["a", "c"]) == [{"_key": "a"}, MISSING]
    cache.set_tag((3, 1))
    assert cache.get_present(1, ["a"], (3, 1)) == [{"_key": "a"}]
    assert cache.get_present(1, ["a"], (2, 1)) is None  # another snapshot's reader
