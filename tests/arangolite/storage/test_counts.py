"""A collection's count is kept by the store (format 6: the ``counts`` table, maintained by
triggers in the transaction that writes the documents), so a count reads one row, never the
collection, and it always equals the rows it counts.

Every way a document is written, replaced or removed goes through python-arango (document API,
batch API, imports with each ``onDuplicate``, overwrite modes, AQL writes and UPSERT, stream
transactions committed and aborted, a failed one, truncate, drop and re-create); after each step
the store's kept counts must equal ``COUNT(*)`` over the documents table, collection by
collection, and python-arango's ``count()`` and ``LENGTH(c)`` must equal both. A second engine on
the same directory writes too (another process's commits).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from arango.client import ArangoClient
from arango.exceptions import ArangoServerError

from arangolite.client import InProcessHTTPClient
from arangolite.storage.engine import Engine
from tests.arangolite.store_files import kept_and_counted


def _client(engine: Engine) -> Any:
    http = InProcessHTTPClient(engine=engine)
    return ArangoClient(hosts="http://arangolite.invalid", http_client=http).db("_system")


def _check(path: Path, db: Any, names: list[str], step: str = "") -> None:
    kept, counted, cids = kept_and_counted(path)
    assert kept == counted, step
    for name in (n for n in names if n in cids):  # (a dropped one has none)
        rows = counted.get(cids[name], 0)
        assert db.collection(name).count() == rows, step
        assert list(db.aql.execute("RETURN LENGTH(@@c)", bind_vars={"@c": name})) == [rows], step


def _failing_transaction(db: Any) -> None:
    trx = db.begin_transaction(write="files")
    trx.collection("files").insert({"_key": "doomed"})
    with pytest.raises(ArangoServerError):
        trx.collection("files").insert({"_key": "doomed"})  # 1210: the transaction goes on
    trx.abort_transaction()


def _committed_transaction(db: Any) -> None:
    trx = db.begin_transaction(write=["files", "links"])
    trx.collection("files").insert_many([{"_key": f"t{i}"} for i in range(5)])
    trx.collection("files").delete("t0")
    trx.collection("links").insert({"_from": "files/t1", "_to": "files/t2"})
    trx.commit_transaction()


def _aborted_transaction(db: Any) -> None:
    trx = db.begin_transaction(write="files")
    trx.collection("files").insert_many([{"_key": f"a{i}"} for i in range(5)])
    trx.collection("files").delete("t1")
    trx.abort_transaction()


STEPS: list[tuple[str, Callable[[Any], Any]]] = [
    ("insert", lambda db: db.collection("files").insert_many([{"_key": f"k{i}"} for i in range(50)])),
    ("insert overwrite replace", lambda db: db.collection("files").insert(
        {"_key": "k1", "v": 1}, overwrite_mode="replace")),
    ("insert overwrite update", lambda db: db.collection("files").insert(
        {"_key": "k2", "v": 2}, overwrite_mode="update")),
    ("insert overwrite ignore", lambda db: db.collection("files").insert(
        {"_key": "k3"}, overwrite_mode="ignore")),
    ("insert overwrite new", lambda db: db.collection("files").insert(
        {"_key": "n1"}, overwrite_mode="replace")),
    ("replace", lambda db: db.collection("files").replace({"_key": "k4", "v": 4})),
    ("update many", lambda db: db.collection("files").update_many(
        [{"_key": f"k{i}", "u": 1} for i in range(10)])),
    ("delete many", lambda db: db.collection("files").delete_many([{"_key": f"k{i}"} for i in range(40, 50)])),
    ("import replace", lambda db: db.collection("files").import_bulk(
        [{"_key": f"k{i}", "i": 1} for i in range(30, 60)], on_duplicate="replace")),
    ("import update", lambda db: db.collection("files").import_bulk(
        [{"_key": f"k{i}", "i": 2} for i in range(55, 65)], on_duplicate="update")),
    ("import ignore", lambda db: db.collection("files").import_bulk(
        [{"_key": f"k{i}"} for i in range(60, 70)], on_duplicate="ignore")),
    ("import error", lambda db: db.collection("files").import_bulk(
        [{"_key": f"k{i}"} for i in range(68, 72)], on_duplicate="error", halt_on_error=False)),
    ("aql insert", lambda db: db.aql.execute("FOR i IN 1..20 INSERT {_key: CONCAT('q', i)} INTO files")),
    ("aql update", lambda db: db.aql.execute("FOR d IN files FILTER d._key LIKE 'q%' UPDATE d WITH {x: 1} IN files")),
    ("aql replace", lambda db: db.aql.execute("FOR d IN files FILTER d._key LIKE 'q1%' REPLACE d WITH {y: 1} IN files")),
    ("aql remove", lambda db: db.aql.execute("FOR d IN files FILTER d._key LIKE 'q2%' REMOVE d IN files")),
    ("aql upsert", lambda db: db.aql.execute(
        "FOR k IN ['q3', 'u1', 'u2'] UPSERT {_key: k} INSERT {_key: k} UPDATE {z: 1} IN files")),
    ("committed transaction", _committed_transaction),
    ("aborted transaction", _aborted_transaction),
    ("failed transaction", _failing_transaction),
    ("truncate", lambda db: db.collection("links").truncate()),
    ("drop", lambda db: db.delete_collection("links")),
    ("re-create", lambda db: db.create_collection("links", edge=True).insert(
        {"_from": "files/k5", "_to": "files/k6"})),
]


def test_kept_counts_equal_the_documents_after_every_kind_of_write(tmp_path: Path) -> None:
    path = tmp_path / "data"
    engine = Engine(str(path))
    other = None
    try:
        db = _client(engine)
        db.create_collection("files")
        db.create_collection("links", edge=True)
        for step, write in STEPS:
            write(db)
            _check(path, db, ["files", "links"], step)
        other = Engine(str(path))  # another process's commits, seen by the first on catch-up
        theirs = _client(other)
        theirs.collection("files").insert_many([{"_key": f"o{i}"} for i in range(7)])
        theirs.collection("files").delete("k5")
        _check(path, db, ["files", "links"])
        _check(path, theirs, ["files", "links"])
    finally:
        if other is not None:
            other.close()
        engine.close()
    engine = Engine(str(path))  # after a reopen
    try:
        _check(path, _client(engine), ["files", "links"])
    finally:
        engine.close()
