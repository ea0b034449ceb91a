"""Batch reads (``PUT /_api/document/{collection}?onlyget=true``, python-arango's ``get_many``)
served without the engine lock (``storage.lockfree.read_batch``), on the in-memory store and on a
data directory (``conftest.py``).

A batch must read all its documents in one snapshot while writers commit (never part of a
commit, never two commits), and answer exactly what the locked path answers: the same documents,
the same per-item errors and ``X-Arango-Error-Codes``, the same request errors.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from arango.database import StandardDatabase

from arangolite.rest import document
from arangolite.rest.doc_batch import get_many_unlocked
from arangolite.rest.http import Context
from arangolite.rest.resources import default_router
from arangolite.rest.router import dispatch, make_request
from arangolite.storage.engine import Engine
from tests.arangolite.storage.bumps import KEYS, bumping_writers, busy_switching, run_until_written


@pytest.fixture(name="busy_switching")
def _busy_switching() -> Iterator[None]:
    with busy_switching():
        yield


@pytest.mark.usefixtures("busy_switching")
def test_a_batch_read_sees_one_snapshot_while_writers_commit(db: StandardDatabase) -> None:
    """Every commit writes ``n`` to all 200 keys: a batch of keys spread over them must find one
    ``n`` for all of them."""
    coll = db.create_collection("accounts")
    coll.import_bulk([{"_key": k, "n": 0} for k in KEYS])
    stop = threading.Event()
    failures: list[str] = []
    batches = [0]
    commits = 40

    def read() -> None:
        while not stop.is_set():
            found = coll.get_many(KEYS[::-7])  # last keys first: a commit writes them last
            if len(found) != len(KEYS[::-7]):
                failures.append("a document that always exists was not found")
                return
            seen = {d["n"] for d in found}
            if len(seen) != 1:
                failures.append(f"one batch saw several commits: {sorted(seen)}")
                return
            batches[0] += 1

    readers = [threading.Thread(target=read) for _ in range(3)]
    run_until_written(bumping_writers(db, "accounts", commits, failures), readers, stop)
    assert not failures, failures
    assert batches[0] > 0
    assert {d["n"] for d in coll.get_many(KEYS)} == {commits}


def _answer(engine: Engine, path: str, body: Any, params: dict[str, str]) -> tuple[Any, ...]:
    request = make_request("PUT", path, params={"onlyget": "true", **params},
                           body=json.dumps(body))
    response = dispatch(engine, default_router(), request)
    return response.status, response.body, response.headers.get("x-arango-error-codes")


ITEMS: list[Any] = [
    "a", "c/b", {"_key": "a", "_rev": "wrong"}, {"_id": "c/b"}, {"_key": "b", "_rev": None},
    17, {}, "", "missing", {"_key": "a/"}, ["a"],
]


@pytest.mark.parametrize("params", [{}, {"ignoreRevs": "false"}])
@pytest.mark.parametrize("case", ["items", "not a list", "unknown collection", "empty"])
def test_a_batch_read_answers_what_the_locked_path_answers(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, case: str, params: dict[str, str]
) -> None:
    db = engine.database("_system")
    db.create_collection("c")
    trx = db.begin(write=["c"])
    trx.collection("c").insert({"_key": "a", "v": 1})
    trx.collection("c").insert({"_key": "b", "v": 2})
    trx.commit()
    path, body = {
        "items": ("/_api/document/c", ITEMS),
        "not a list": ("/_api/document/c", {"_key": "a"}),
        "unknown collection": ("/_api/document/nope", ["a"]),
        "empty": ("/_api/document/c", []),
    }[case]
    if case in ("items", "empty"):  # served without the lock (the others go to the locked path)
        request = make_request("PUT", path, params={"onlyget": "true", **params},
                               body=json.dumps(body))
        assert get_many_unlocked(Context(engine, request, db), "c") is not None
    unlocked = _answer(engine, path, body, params)
    monkeypatch.delitem(default_router().unlocked, document.batch_put)
    locked = _answer(engine, path, body, params)
    assert unlocked == locked
    if case == "items":
        status, results, codes = unlocked
        assert status == 200
        assert [r.get("_key", r.get("errorNum")) for r in results] == [
            "a", "b", 1200 if params else "a", "b", "b", 1205, 1205, 1205, 1202, 1202, 1205
        ]
        assert json.loads(codes) == {"1205": 4, "1202": 2, **({"1200": 1} if params else {})}
