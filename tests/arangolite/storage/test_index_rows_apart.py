"""On disk a new index's rows, from ``persistence.APART_ROWS`` on, are written with the engine
lock let go (``EnginePersistence.store_index``, ``Store.execute``'s ``apart``).

The hook runs a step while the rows are written (the lock is free then, the store's write
transaction open): readers answer without the index; a writer meanwhile waits for the store,
then writes its documents' rows of the new index too (a unique index refuses its duplicate);
the same index asked for meanwhile is the one made; a failure stores nothing; closing the engine
meanwhile waits, and the index stays stored.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from arangolite.aql.executor import execute
from arangolite.errors import ArangoError
from arangolite.storage import durability
from arangolite.storage.database import Database
from arangolite.storage.disk_state import index_table
from arangolite.storage.engine import Engine
from arangolite.storage.persistence import APART_ROWS

DOCS = APART_ROWS + 200
SPEC = {"type": "persistent", "fields": ["v"]}


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = Engine(str(tmp_path / "data"))
    db = eng.database("_system")
    db.create_collection("c")
    execute(db, "FOR i IN 0..@n INSERT {_key: CONCAT('k', i), v: i} INTO c", {"n": DOCS - 1})
    yield eng
    eng.close()


def _while_writing(
    monkeypatch: pytest.MonkeyPatch, engine: Engine, step: Callable[[], Any]
) -> list[bool]:
    """Run ``step`` once, as the next index's rows are written (the engine lock must be free
    then); the list says whether it ran."""
    write, ran = durability.run_many, []

    def writing(cur: Any, sql: str, rows: Any) -> None:
        if not ran and sql.startswith("INSERT OR IGNORE INTO ix_"):
            ran.append(True)
            assert not engine.lock._is_owned() and engine.lock.acquire(blocking=False)
            engine.lock.release()
            step()
        write(cur, sql, rows)

    monkeypatch.setattr(durability, "run_many", writing)
    return ran


def _made_beside(
    monkeypatch: pytest.MonkeyPatch, engine: Engine, request: Callable[[], Any], spec: Any = SPEC
) -> tuple[tuple[Any, bool], list[Any]]:
    """Make the index ``spec`` while ``request`` runs in another thread, started as its rows
    are written, holding the engine lock as a request does: what ``ensure_index`` gave, and
    the request's result or error (in a list)."""
    threads: list[threading.Thread] = []
    out: list[Any] = []

    def run() -> None:
        try:
            with engine.lock:
                out.append(request())
        except BaseException as exc:
            out.append(exc)

    def start() -> None:
        threads.append(threading.Thread(target=run))
        threads[0].start()

    ran = _while_writing(monkeypatch, engine, start)
    made = engine.database("_system").ensure_index("c", spec)
    threads[0].join()
    assert ran
    return made, out


def _stored_keys(engine: Engine, coll: str, iid: str) -> int:
    """How many rows the index's table holds, read from the file by a connection of its own."""
    assert engine.path is not None
    cid = engine.database("_system").get_collection(coll).cid
    conn = sqlite3.connect(str(Path(engine.path) / durability.DB_FILE))
    try:
        return int(conn.execute(f"SELECT COUNT(*) FROM {index_table(cid, iid)}").fetchone()[0])
    finally:
        conn.close()


def _keys_of(db: Database, value: int) -> list[str]:
    return execute(db, "FOR d IN c FILTER d.v == @v RETURN d._key", {"v": value}).rows


def test_readers_answer_without_the_index_while_its_rows_are_written(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = engine.database("_system")
    seen: list[Any] = []
    ran = _while_writing(monkeypatch, engine, lambda: seen.extend([
        [i.type for i in db.get_collection("c").indexes], _keys_of(db, 5)
    ]))
    index, created = db.ensure_index("c", SPEC)
    assert ran and created and seen == [[], ["k5"]]
    assert [i.id for i in db.get_collection("c").indexes] == [index.id]
    assert engine.disk is not None and not engine.disk.writing_apart and engine.disk.pending is None
    assert _keys_of(db, 5) == ["k5"] and _stored_keys(engine, "c", index.id) == DOCS


def test_a_writer_meanwhile_writes_its_rows_of_the_new_index_too(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = engine.database("_system")
    insert = "INSERT {_key: 'new', v: -1} INTO c"
    (index, _), out = _made_beside(monkeypatch, engine, lambda: execute(db, insert).rows)
    assert out == [[]] and _stored_keys(engine, "c", index.id) == DOCS + 1
    assert engine.path is not None
    engine.close()
    again = Engine(engine.path)
    try:
        assert _keys_of(again.database("_system"), -1) == ["new"]
    finally:
        again.close()


def test_a_duplicate_written_meanwhile_into_a_new_unique_index_is_refused(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = engine.database("_system")
    insert = "INSERT {_key: 'twin', v: 5} INTO c"
    (index, _), out = _made_beside(
        monkeypatch, engine, lambda: execute(db, insert).rows, {**SPEC, "unique": True}
    )
    assert [getattr(exc, "error_num", None) for exc in out] == [1210]
    assert _keys_of(db, 5) == ["k5"] and _stored_keys(engine, "c", index.id) == DOCS


def test_the_same_index_asked_for_meanwhile_is_the_one_made(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = engine.database("_system")
    made, out = _made_beside(monkeypatch, engine, lambda: db.ensure_index("c", SPEC))
    assert made[1] is True and out == [(made[0], False)]
    assert [i.id for i in db.get_collection("c").indexes] == [made[0].id]


def test_a_failure_while_writing_the_rows_stores_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = engine.database("_system")

    def fail() -> None:
        raise sqlite3.OperationalError("disk I/O error")

    ran = _while_writing(monkeypatch, engine, fail)
    with pytest.raises(ArangoError):
        db.ensure_index("c", SPEC)
    assert ran and engine.disk is not None
    assert not engine.disk.writing_apart and engine.disk.pending is None
    assert db.get_collection("c").indexes == []
    execute(db, "INSERT {_key: 'after', v: -2} INTO c")
    monkeypatch.undo()
    index, created = db.ensure_index("c", SPEC)
    assert created and _stored_keys(engine, "c", index.id) == DOCS + 1


def test_closing_the_engine_meanwhile_waits_and_the_index_stays_stored(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = engine.database("_system")
    closing: list[threading.Thread] = []

    def close_meanwhile() -> None:
        closing.append(threading.Thread(target=engine.close))
        closing[0].start()

    ran = _while_writing(monkeypatch, engine, close_meanwhile)
    index, created = db.ensure_index("c", SPEC)  # (no error: it was stored)
    closing[0].join()
    assert ran and created and engine.path is not None
    again = Engine(engine.path)
    try:
        coll = again.database("_system").get_collection("c")
        assert [i.id for i in coll.indexes] == [index.id]
        assert _keys_of(again.database("_system"), 7) == ["k7"]
    finally:
        again.close()
