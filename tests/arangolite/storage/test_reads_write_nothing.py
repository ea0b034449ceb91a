"""Reads of a data directory write nothing to it: not a document, not a tick.

A transaction or cursor id lives only as long as its process, so it is not taken from the durable
tick clock, whose blocks are reserved by a write to the store; before, the first read of a freshly
opened directory to need an id (a locked query, a cursor with more batches) reserved a block and
so wrote the store: a read of a damaged or read-only directory must not.
"""

from __future__ import annotations

import time
from pathlib import Path

from arango import ArangoClient

from arangolite import ids
from arangolite.client import InProcessHTTPClient
from arangolite.storage.engine import Engine
from tests.arangolite.store_files import store_files


def _db(engine: Engine) -> object:
    client = ArangoClient(hosts="http://reads.invalid", http_client=InProcessHTTPClient(engine=engine))
    return client.db("_system", username="root", password="")


def test_reads_of_a_freshly_opened_directory_write_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    engine = Engine(str(data))
    try:
        db = _db(engine)
        coll = db.create_collection("c")  # type: ignore[attr-defined]
        coll.add_index({"type": "persistent", "fields": ["n"]})
        coll.import_bulk([{"_key": f"k{i}", "n": i} for i in range(300)])
    finally:
        engine.close()
    engine = Engine(str(data))
    try:
        db = _db(engine)
        before = store_files(data)
        coll = db.collection("c")  # type: ignore[attr-defined]
        assert coll.get("k7")["n"] == 7
        assert len(coll.get_many(["k1", "k2"])) == 2
        cursor = db.aql.execute("FOR d IN c FILTER d.n >= 0 RETURN d.n", batch_size=50)  # type: ignore[attr-defined]
        assert cursor.id is not None and len(list(cursor)) == 300  # a cursor with more batches
        streamed = db.aql.execute("FOR d IN c RETURN d._key", batch_size=50, stream=True)  # type: ignore[attr-defined]
        assert len(list(streamed)) == 300
        profiled = db.aql.execute("FOR d IN c RETURN d", profile=2, batch_size=10)  # type: ignore[attr-defined]
        assert len(list(profiled)) == 300  # profiled queries run under the engine lock
        trx = db.begin_transaction(read=["c"])  # type: ignore[attr-defined]
        assert trx.collection("c").count() == 300
        trx.abort_transaction()
        assert store_files(data) == before
    finally:
        engine.close()


def test_ids_of_a_later_process_do_not_repeat_an_earlier_ones() -> None:
    first = int(ids.new())
    time.sleep(0.002)  # the count starts from the clock's milliseconds
    ids.configure(0, 1)  # what a worker started again does: a fresh count from the clock
    assert int(ids.new()) > first
