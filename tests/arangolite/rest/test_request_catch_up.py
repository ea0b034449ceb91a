"""A request served under the engine lock catches up on other processes' commits once, at its
start (``Engine.serving``); what it does next (begin its transaction, look in the results
cache) does not check the store again. Outside such a request every catch-up still looks.

Another process is a second engine on the same data directory (it has its own store connection,
so its commits change the first one's ``PRAGMA data_version`` as another process's would).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from arango import ArangoClient

from arangolite.client import InProcessHTTPClient
from arangolite.rest import router
from arangolite.storage.engine import Engine


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[Engine, Engine, Any]]:
    """An engine served through python-arango, another one on its directory, and the client's db."""
    path = str(tmp_path / "data")
    engine = Engine(path)
    other = Engine(path)
    db = ArangoClient(
        hosts="http://catchup.invalid", http_client=InProcessHTTPClient(engine=engine)
    ).db("_system")
    try:
        yield engine, other, db
    finally:
        other.close()
        engine.close()


def _version_checks(engine: Engine) -> list[str]:
    """The statements the engine's store connection runs from now on (its catch-up checks)."""
    assert engine.store is not None
    statements: list[str] = []
    engine.store._conn.set_trace_callback(statements.append)
    return statements


def _checks(statements: list[str]) -> int:
    return sum("data_version" in s for s in statements)


def test_a_locked_query_checks_the_store_once(
    two: tuple[Engine, Engine, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, _, db = two
    monkeypatch.setattr(router, "LOCK_PATIENCE", 0.02)  # free lock: served under it
    db.create_collection("c").insert({"_key": "k", "v": 1})
    statements = _version_checks(engine)
    assert list(db.aql.execute("FOR d IN c RETURN d.v")) == [1]
    assert _checks(statements) == 1  # two before: the request, then its transaction


def test_each_request_still_sees_what_another_process_committed(
    two: tuple[Engine, Engine, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, other, db = two
    monkeypatch.setattr(router, "LOCK_PATIENCE", 0.02)
    db.create_collection("c")
    other.catch_up()
    for n in range(3):
        trx = other.database("_system").begin(write=["c"])
        trx.collection("c").insert({"_key": f"k{n}", "n": n})
        trx.commit()
        got = list(db.aql.execute("FOR d IN c SORT d.n RETURN d.n"))
        assert got == list(range(n + 1))
    trx = other.database("_system").begin(write=["c"])
    trx.collection("c").insert({"_key": "late"})
    trx.commit()
    assert db.collection("c").count() == 4


def test_the_mark_ends_with_the_request(two: tuple[Engine, Engine, Any]) -> None:
    """After a request, a catch-up outside any request (here: the engine used directly) looks
    at the store again and finds another process's collection."""
    engine, other, db = two
    list(db.aql.execute("RETURN 1"))
    other.database("_system").create_collection("made_elsewhere")
    statements = _version_checks(engine)
    engine.catch_up()
    assert _checks(statements) == 1
    assert "made_elsewhere" in engine.database("_system").collections


def test_inside_a_request_a_second_catch_up_is_skipped_for_its_thread_only(
    two: tuple[Engine, Engine, Any],
) -> None:
    """While a request of one thread waits with the lock released (a transaction waiting for
    another to end), another thread's catch-up still looks; the request's own does not."""
    engine, other, _ = two
    seen: dict[str, bool] = {}
    with engine.lock, engine.serving():
        other.database("_system").create_collection("during")
        engine.catch_up()  # the request's own: as of its start
        seen["request"] = "during" in engine.database("_system").collections

        def elsewhere() -> None:
            engine.catch_up()
            seen["other thread"] = "during" in engine.database("_system").collections

        thread = threading.Thread(target=elsewhere)
        with engine.released:
            thread.start()
            while thread.is_alive():
                engine.released.wait(0.01)  # releases the engine lock meanwhile
        thread.join()
    assert seen == {"request": False, "other thread": True}
    other.database("_system").create_collection("after")
    engine.catch_up()  # no request any more: looks
    assert "after" in engine.database("_system").collections


def test_nested_serving_keeps_the_mark_of_the_outer_block(two: tuple[Engine, Engine, Any]) -> None:
    engine, other, _ = two
    with engine.lock, engine.serving():
        with engine.serving():
            pass
        other.database("_system").create_collection("inner_done")
        engine.catch_up()
        assert "inner_done" not in engine.database("_system").collections
    engine.catch_up()
    assert "inner_done" in engine.database("_system").collections
