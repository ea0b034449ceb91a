"""The on-disk committed state: nothing decoded at open, a bounded cache, counts kept."""

from __future__ import annotations

import os
import sqlite3
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from arangolite.storage import disk_state, ondisk
from arangolite.storage.cache import DocCache
from arangolite.storage.disk_state import EDGE_KEYS_SQL, DiskEdgeIndex, DiskState, SqliteEntries
from arangolite.storage.engine import Engine
from arangolite.storage.entries import Window


def _fill(path: Path, n: int, pad: int = 100) -> None:
    engine = Engine(str(path))
    db = engine.database("_system")
    db.create_collection("c")
    db.ensure_index("c", {"type": "persistent", "fields": ["s"]})
    trx = db.begin()
    handle = trx.collection("c")
    for i in range(n):
        handle.insert({"_key": f"k{i}", "s": i % 4, "pad": "x" * pad})
    trx.commit()
    engine.close()


def test_open_decodes_nothing_and_the_cache_stays_within_its_budget(tmp_path: Path) -> None:
    _fill(tmp_path / "d", 2000)
    engine = Engine(str(tmp_path / "d"), cache_mb=0.1)
    try:
        assert engine.disk is not None
        cache: DocCache = engine.disk.cache
        assert cache.used == 0  # open read the catalogue only
        coll = engine.database("_system").collections["c"]
        assert isinstance(coll.state, DiskState)
        trx = engine.database("_system").begin()
        handle = trx.collection("c")
        for i in range(2000):
            assert handle.get(f"k{i}") is not None
        assert 0 < cache.used <= 0.1 * (1 << 20)
        found = handle.lookup(["s"], [1])
        assert found is not None and len(list(found)) == 500
        assert handle.count() == 2000
        trx.abort()
    finally:
        engine.close()


def test_get_present_answers_as_get_many_in_key_order(tmp_path: Path) -> None:
    """``get_present`` (an index read's chunk): the documents that exist, in the keys' order,
    whether none, some or all of them are cached."""
    _fill(tmp_path / "d", 40)
    engine = Engine(str(tmp_path / "d"))
    try:
        state = engine.database("_system").collections["c"].state
        assert isinstance(state, DiskState)
        keys = ["k7", "nope", "k3", "k30", "k3"]
        want = [state.get_many(keys)[k] for k in keys if k != "nope"]
        assert [d["_key"] for d in want] == ["k7", "k3", "k30", "k3"]
        engine.disk.cache._items.clear()  # nothing cached: read from the store  # type: ignore[union-attr]
        assert state.get_present(keys) == want
        assert state.get_present(keys) == want  # all cached (the absent key too)
        state.get_many(["k1"])
        assert state.get_present(["k1", "k2", "k1"]) == [state.get("k1"), state.get("k2"), state.get("k1")]
        assert state.get_present([]) == []
    finally:
        engine.close()


def test_counts_follow_commits_of_this_and_another_engine(tmp_path: Path) -> None:
    _fill(tmp_path / "d", 10)
    one, two = Engine(str(tmp_path / "d")), Engine(str(tmp_path / "d"))
    try:
        coll = one.database("_system").collections["c"]
        assert coll.state.count() == 10
        trx = two.database("_system").begin()
        trx.collection("c").remove("k0")
        trx.collection("c").insert({"_key": "n1", "s": 9})
        trx.collection("c").insert({"_key": "n2", "s": 9})
        trx.commit()
        one.catch_up()
        assert coll.state.count() == 11
        trx = one.database("_system").begin()
        trx.collection("c").remove("n1")
        trx.commit()
        assert coll.state.count() == 10
        assert coll.state.get("n1") is None and coll.state.get("n2") is not None
    finally:
        one.close()
        two.close()


def test_a_commit_changes_the_collection_version(tmp_path: Path) -> None:
    _fill(tmp_path / "d", 3)
    engine = Engine(str(tmp_path / "d"))
    try:
        coll = engine.database("_system").collections["c"]
        before = coll.version
        trx = engine.database("_system").begin()
        trx.collection("c").update("k1", {"s": 7})
        trx.commit()
        assert coll.version > before  # the query results cache sees the write
    finally:
        engine.close()


def test_edge_lookups_start_from_the_vertex_not_from_every_document(tmp_path: Path) -> None:
    engine = Engine(str(tmp_path / "d"))
    try:
        db = engine.database("_system")
        db.create_collection("e", 3)
        trx = db.begin()
        handle = trx.collection("e")
        for i in range(300):
            handle.insert({"_key": f"e{i}", "_from": f"v/{i % 3}", "_to": "t/1"})
        trx.commit()
        trx = db.begin()
        found = trx.collection("e").edges("v/1", "out")
        assert [d["_key"] for d in found] == [f"e{i}" for i in range(1, 300, 3)]  # write order
        trx.abort()
        cid = db.collections["e"].cid
        conn = sqlite3.connect(str(tmp_path / "d" / "arangolite.sqlite"))
        plan = [
            row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + EDGE_KEYS_SQL, (cid, 0, "v/1"))
        ]
        conn.close()
        assert plan[0].startswith("SEARCH e USING PRIMARY KEY"), plan
        assert not any("documents_scan" in step for step in plan), plan
    finally:
        engine.close()


def test_a_chunked_index_read_seeks_to_where_the_last_chunk_ended(tmp_path: Path) -> None:
    _fill(tmp_path / "d", 400)
    engine = Engine(str(tmp_path / "d"))
    try:
        coll = engine.database("_system").collections["c"]
        entries = coll.indexes[-1].entries
        assert isinstance(entries, SqliteEntries)
        window = Window.first_field((2, 1), True, (2, 2), True)  # s in 1..2: 200 entries
        for descending in (False, True):
            walked, last = [], None
            while chunk := entries.chunk(window, last, descending, 16):
                walked.extend(chunk)
                last = chunk[-1]
            assert len(walked) == 200 and walked == sorted(walked, reverse=descending)
            sql, params = entries.chunk_sql(window, last, descending)
            conn = entries.pins.current.conn
            plan = [
                r[3]
                for r in conn.execute(
                    "EXPLAIN QUERY PLAN " + sql.format(t=entries.table), (*params, 16)
                )
            ]
            assert "(k,key)" in plan[0], plan  # the seek starts at the last entry read
    finally:
        engine.close()


def test_integers_a_double_cannot_hold_stay_apart_in_a_unique_index(tmp_path: Path) -> None:
    engine = Engine(str(tmp_path / "d"))
    try:
        db = engine.database("_system")
        db.create_collection("c")
        db.ensure_index("c", {"type": "persistent", "fields": ["n"], "unique": True})
        trx = db.begin()
        for i, n in enumerate((2**53, 2**53 + 1, 2**64 + 1, 2**64)):
            trx.collection("c").insert({"_key": f"k{i}", "n": n})
        trx.commit()  # four values, no unique violation
        trx = db.begin()
        found = trx.collection("c").lookup(["n"], [2**53 + 1])
        assert found is not None and [d["_key"] for d in found] == ["k1"]
        found = trx.collection("c").lookup(["n"], [2**64])
        assert found is not None and [d["_key"] for d in found] == ["k3"]
        trx.abort()
    finally:
        engine.close()


def test_on_disk_state_and_indexes_refuse_changes_outside_a_commit(tmp_path: Path) -> None:
    engine = Engine(str(tmp_path / "d"))
    try:
        db = engine.database("_system")
        db.create_collection("e", 3)
        db.ensure_index("e", {"type": "persistent", "fields": ["s"]})
        coll = db.collections["e"]
        doc = {"_key": "x", "_id": "e/x", "_from": "v/1", "_to": "v/2", "s": 1}
        entries, edges = coll.indexes[-1].entries, coll.edge_index
        assert isinstance(entries, SqliteEntries) and isinstance(edges, DiskEdgeIndex)
        entry = ((("s", 1),), "", "x")
        for change in (
            lambda: coll.apply("x", doc),  # would change nothing on disk, silently
            lambda: entries.add(entry),
            lambda: entries.discard(entry),
            entries.clear,
            lambda: entries.bulk_load([entry]),
            lambda: edges.insert(doc),
            lambda: edges.remove(doc),
            edges.clear,
        ):
            with pytest.raises(NotImplementedError, match="only through a commit"):
                change()
    finally:
        engine.close()


def _peak_beside_a_list_of_every_document(engine: Engine, work: Callable[[], None]) -> float:
    """Memory peak of ``work`` as a share of the peak of listing every document of ``c``."""
    tracemalloc.start()
    try:
        everything = list(engine.database("_system").collections["c"].state.scan(keep=False))
        whole = tracemalloc.get_traced_memory()[1]
        del everything
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        work()
        return (tracemalloc.get_traced_memory()[1] - base) / whole
    finally:
        tracemalloc.stop()


def test_index_builds_and_renames_stream_the_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building a persistent index and renaming a collection on disk hold a page of documents at
    a time, not all of them (at a million documents a list of them all does not fit)."""
    _fill(tmp_path / "d", 3000, 1000)  # about 4 MB of decoded documents
    monkeypatch.setattr(disk_state, "_MAX_PAGE", 64)
    engine = Engine(str(tmp_path / "d"))
    try:
        db = engine.database("_system")
        spec = {"type": "persistent", "fields": ["s", "_key"]}
        assert (
            _peak_beside_a_list_of_every_document(engine, lambda: db.ensure_index("c", spec))
            < 1 / 3
        )
        assert (
            _peak_beside_a_list_of_every_document(engine, lambda: db.rename_collection("c", "r"))
            < 1 / 3
        )
        trx = db.begin()
        found = list(trx.collection("r").lookup(["s", "_key"], [1, "k1"]) or [])
        assert [d["_id"] for d in found] == ["r/k1"]
        assert trx.collection("r").get("k2999")["_id"] == "r/k2999"
        trx.abort()
    finally:
        engine.close()


def test_the_write_ahead_log_stays_bounded_under_the_pinned_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine always holds a read snapshot, which alone would keep SQLite from starting the
    log over; the log is trimmed past its limit and starts over, so later commits do not each
    pay for another checkpoint. Its file is kept (``LOG_FILE_KEPT``): the length of the log is
    read from the log's headers, and the file's size does not drop when the log starts over."""
    limit = 256 << 10
    monkeypatch.setattr(ondisk, "_WAL_LIMIT", limit)
    engine = Engine(str(tmp_path / "d"))
    wal = tmp_path / "d" / "arangolite.sqlite-wal"
    try:
        assert engine.store is not None
        db = engine.database("_system")
        db.create_collection("c")
        sizes, files = [], []
        for r in range(60):  # about 60 KB of log each, 3.6 MB in all
            trx = db.begin()
            for i in range(20):
                trx.collection("c").insert({"_key": f"k{r}_{i}", "pad": "x" * 1000})
            trx.commit()
            sizes.append(engine.store.wal_bytes())
            files.append(os.path.getsize(wal))
        assert max(sizes) < 2 * limit, sizes
        assert sum(size >= limit for size in sizes) < len(sizes) / 3, sizes
        assert min(sizes[30:]) < limit // 2, sizes  # started over
        assert files == sorted(files) and files[-1] >= limit, files  # never cut back
        assert db.collections["c"].state.count() == 1200
    finally:
        engine.close()


def test_commits_below_the_log_limit_leave_the_database_file_alone(tmp_path: Path) -> None:
    """SQLite's automatic checkpoint (past 1,000 pages of log) is off on an on-disk engine:
    under its pinned snapshot it copied pages into the file and called ``fsync`` twice after
    every commit once the log passed 4 MB. Commits below the engine's own limit (64 MB; it was
    16 MB) write the log alone; what they wrote is read back, before and after a reopen."""
    engine = Engine(str(tmp_path / "d"))
    db_file, wal = tmp_path / "d" / "arangolite.sqlite", tmp_path / "d" / "arangolite.sqlite-wal"
    try:
        db = engine.database("_system")
        db.create_collection("c")
        db.ensure_index("c", {"type": "persistent", "fields": ["n"]})
        file_size = os.path.getsize(db_file)
        for r in range(120):  # about 200 KB of log each, 24 MB in all
            trx = db.begin()
            for i in range(100):
                trx.collection("c").insert({"_key": f"k{r}_{i}", "n": i, "pad": "x" * 1000})
            trx.commit()
        assert 20 << 20 < os.path.getsize(wal) < ondisk._WAL_LIMIT
        assert os.path.getsize(db_file) == file_size
        assert len(list(db.begin().collection("c").lookup(["n"], [7]) or [])) == 120
    finally:
        engine.close()
    engine = Engine(str(tmp_path / "d"))
    try:
        assert engine.database("_system").collections["c"].state.count() == 12000
    finally:
        engine.close()


def test_every_read_of_documents_entries_and_edges_seeks_by_key(tmp_path: Path) -> None:
    """The plan of each statement the on-disk reads run (traced, with their real parameters) is
    a key or index seek; only the count and the page scan walk a collection, as they mean to
    (the page scan of ``w`` by rowid: ``storage.scan_sql``, its bounds and the count of other
    collections' rows between them read through the index). SQLite has no statistics here (no
    ANALYZE), so a join or an ``IN`` may be planned badly."""
    engine = Engine(str(tmp_path / "d"))
    db = engine.database("_system")
    db.create_collection("a")
    db.create_collection("e", 3)
    db.ensure_index("a", {"type": "persistent", "fields": ["s", "t"]})
    trx = db.begin()
    for i in range(2000):
        trx.collection("a").insert({"_key": f"k{i}", "s": i % 40, "t": str(i)})
        trx.collection("e").insert({"_key": f"e{i}", "_from": f"a/k{i % 50}", "_to": f"a/k{i}"})
    trx.commit()
    db.create_collection("w")  # written alone: scanned by a rowid walk
    trx = db.begin()
    for i in range(300):
        trx.collection("w").insert({"_key": f"w{i}", "n": i})
    trx.commit()
    engine.close()
    engine = Engine(str(tmp_path / "d"))  # nothing cached
    try:
        assert engine.disk is not None
        conn = engine.disk.pins.current.conn
        traced: list[str] = []
        conn.set_trace_callback(traced.append)
        trx = engine.database("_system").begin()
        a, e = trx.collection("a"), trx.collection("e")
        assert a.get("k5") is not None and a.get("nope") is None
        assert len(list(a.lookup(["s"], [3]) or [])) == 50
        assert len(list(a.lookup(["s", "t"], [3, "43"]) or [])) == 1
        for descending in (False, True):
            found = a.range(
                "s", 5, True, 9, False, has_low=True, has_high=True, descending=descending
            )
            assert len(list(found or [])) == 200
        assert sum(n for _, n in a.value_counts("s") or []) == 2000
        assert list(a.value_counts("t", ["s"], [3]) or []) == sorted((str(i), 1) for i in range(3, 2000, 40))
        assert a.count() == 2000 and len(list(a.all())) == 2000
        assert len(e.edges("a/k1", "out")) == 40 and len(e.edges("a/k7", "in")) == 1
        w = trx.collection("w")
        assert w.count() == 300 and len(list(w.all([("n", ">=", 100)]))) == 200
        trx.abort()
        conn.set_trace_callback(None)
        selects = {sql for sql in traced if sql.lstrip().upper().startswith("SELECT")}
        assert len(selects) > 10
        assert any("NOT INDEXED" in sql for sql in selects)  # (w was walked)
        for sql in selects:
            plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
            walks = "COUNT(*) FROM documents" in sql or "INDEXED BY documents_scan" in sql
            for step in plan:
                assert not step.startswith("SCAN "), (sql, plan)
                assert walks or "documents_scan" not in step, (sql, plan)
    finally:
        engine.close()


@pytest.mark.parametrize("way", ["import_bulk", "insert_many", "update_many", "delete_many"])
def test_a_batch_write_reads_its_keys_in_chunks_not_one_by_one(tmp_path: Path, way: str) -> None:
    """A batch of 1,000 writes checks its keys with a few chunked reads of the documents table
    (the cache then answers each document), not one SELECT per key."""
    from arango import ArangoClient

    from arangolite.client import InProcessHTTPClient

    engine = Engine(str(tmp_path / "d"))
    try:
        db = ArangoClient(
            hosts="http://batch.invalid", http_client=InProcessHTTPClient(engine=engine)
        ).db("_system")
        coll = db.create_collection("c")
        coll.import_bulk([{"_key": f"k{i}", "n": i} for i in range(0, 2000, 2)])
        engine.disk.cache.clear()  # type: ignore[union-attr]
        conn = engine.disk.pins.current.conn  # type: ignore[union-attr]
        traced: list[str] = []
        conn.set_trace_callback(traced.append)
        keys = [f"k{i}" for i in range(1000)]  # half of them stored
        if way == "import_bulk":
            coll.import_bulk([{"_key": k, "n": -1} for k in keys], on_duplicate="update")
        elif way == "insert_many":
            coll.insert_many([{"_key": k, "n": -1} for k in keys], overwrite=True)
        elif way == "update_many":
            coll.update_many([{"_key": k, "n": -1} for k in keys])
        else:
            coll.delete_many(keys)
        conn.set_trace_callback(None)
        reads = [sql for sql in traced if "FROM documents" in sql]
        assert 0 < len(reads) <= 20, len(reads)
    finally:
        engine.close()


def test_cache_get_many_answers_as_get_and_get_at() -> None:
    """One lock for a chunk's keys: the same answers as one ``get`` (or ``get_at``) per key,
    recency included (the entries read are the last to go)."""
    from arangolite.storage.cache import MISSING

    cache = DocCache(3 * 64)
    cache.put(1, "a", {"k": "a"}, 64)
    cache.put(1, "b", None, 0)  # known absent
    cache.put(2, "a", {"k": "2a"}, 64)
    keys = ["a", "b", "zz"]
    assert cache.get_many(1, keys) == [cache.get(1, k) for k in keys] == [{"k": "a"}, None, MISSING]
    cache.set_tag((5, 1))
    assert cache.get_many(1, keys, (5, 1)) == [cache.get_at((5, 1), 1, k) for k in keys]
    assert cache.get_many(1, keys, (6, 1)) == [MISSING] * 3  # another snapshot's reader
    cache.get_many(2, ["a"])  # (2, a) now most recent: (1, a) goes first
    cache.put(3, "c", {}, 64)
    assert cache.get(1, "a") is MISSING and cache.get(2, "a") == {"k": "2a"}


def test_window_bounds_are_kept_only_when_short_and_never_past_the_cap() -> None:
    """An index window's byte bounds are looked up again for the same values; a long bound (a
    long string as a bind value) is made each time, never kept, and the kept ones stay under a
    cap, however many distinct values queries use."""
    kept = disk_state._BOUNDS
    kept.clear()
    long = (3, "x" * 10_000)
    assert disk_state._window_bytes(False, long, True, None, True) == disk_state._make_window_bytes(
        False, long, True, None, True
    )
    assert kept == {}
    for i in range(3 * disk_state._BOUNDS_MAX):
        got = disk_state._window_bytes(False, (2, i), True, (2, i + 1), False)
        assert got == disk_state._make_window_bytes(False, (2, i), True, (2, i + 1), False)
        assert len(kept) <= disk_state._BOUNDS_MAX
    prefix = ((3, "a"), (2, 1))
    assert disk_state._window_bytes(True, prefix, True, None, True) == disk_state._make_window_bytes(
        True, prefix, True, None, True
    )
