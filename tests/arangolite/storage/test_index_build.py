"""An index made with the engine lock let go (``storage.index_build``), on both stores: what
happens meanwhile is seen when the build takes the lock back. The hook below runs a step while
the index is made (the lock is free then: another request's step, run in this thread)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from arangolite.aql.executor import execute
from arangolite.errors import ArangoError
from arangolite.storage import index_build
from arangolite.storage.engine import Engine
from tests.arangolite.storage.beside import writing

SPEC = {"type": "persistent", "fields": ["v"]}


@pytest.fixture(params=["memory", "disk", "loaded"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """``loaded``: the in-memory state of a data directory (``on_disk=False``)."""
    path = None if request.param == "memory" else str(tmp_path / "data")
    eng = Engine(path, on_disk=request.param != "loaded")
    db = eng.database("_system")
    db.create_collection("c")
    execute(db, "FOR i IN 0..99 INSERT {_key: CONCAT('k', i), v: i} INTO c")
    yield eng
    eng.close()


def _meanwhile(monkeypatch: pytest.MonkeyPatch, engine: Engine, step: Callable[[], Any]) -> None:
    """Run ``step`` once, while the first build makes the index (the lock let go): its rows on
    disk, its entries in memory."""
    name = "fill" if engine.disk is None else "build_rows"
    make = getattr(index_build, name)
    ran: list[bool] = []

    def building(index: Any, docs: Any) -> Any:
        if not ran:
            ran.append(True)
            assert not engine.lock._is_owned()
            step()
        return make(index, docs)

    monkeypatch.setattr(index_build, name, building)


def test_a_collection_dropped_during_the_build_fails_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = engine.database("_system")
    _meanwhile(monkeypatch, engine, lambda: db.drop_collection("c"))
    with pytest.raises(ArangoError) as stopped:
        db.ensure_index("c", SPEC)
    assert stopped.value.error_num == 1203
    assert "c" not in db.collections


def test_the_same_index_made_meanwhile_is_the_one_returned(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = engine.database("_system")
    made: list[Any] = []
    _meanwhile(monkeypatch, engine, lambda: made.append(db.ensure_index("c", SPEC)))
    index, created = db.ensure_index("c", SPEC)
    assert made[0][1] is True and (index, created) == (made[0][0], False)
    assert [i.id for i in db.get_collection("c").indexes] == [index.id]


def test_an_index_named_as_one_made_meanwhile_is_refused(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = engine.database("_system")
    other = {"type": "persistent", "fields": ["w"], "name": "mine"}
    _meanwhile(monkeypatch, engine, lambda: db.ensure_index("c", other))
    with pytest.raises(ArangoError) as refused:
        db.ensure_index("c", {**SPEC, "name": "mine"})
    assert refused.value.error_num == 1207
    assert [i.fields for i in db.get_collection("c").indexes] == [["w"]]


def test_the_engine_closed_during_the_build_stops_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = engine.database("_system")
    _meanwhile(monkeypatch, engine, engine.close)
    with pytest.raises(ArangoError) as stopped:
        db.ensure_index("c", SPEC)
    assert stopped.value.error_num == 30
    if engine.path is None:
        return
    again = Engine(str(tmp_path / "data"))
    try:
        assert again.database("_system").get_collection("c").indexes == []
    finally:
        again.close()


def _write_three(db: Any) -> None:
    """An insert, an update and a remove in ``c`` (each committed on its own)."""
    for query in (
        "INSERT {_key: 'new', v: -1} INTO c", "UPDATE 'k5' WITH {v: -5} IN c", "REMOVE 'k7' IN c",
    ):
        execute(db, query)


def test_writes_committed_during_the_build_are_in_the_index(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inserted, updated and removed while the index is made: reads through it after see
    each as committed (a unique index: a value freed by the update may be taken again)."""
    db = engine.database("_system")
    _meanwhile(monkeypatch, engine, lambda: _write_three(db))
    db.ensure_index("c", {**SPEC, "unique": True})
    found = execute(db, "FOR d IN c FILTER d.v < 3 SORT d.v RETURN d._key")
    assert found.rows == ["k5", "new", "k0", "k1", "k2"] and found.stats["scannedFull"] == 0
    execute(db, "INSERT {_key: 'again', v: 5} INTO c INSERT {_key: 'more', v: 7} INTO c")
    assert execute(db, "FOR d IN c FILTER d.v IN [5, 7] SORT d.v RETURN d._key").rows == [
        "again", "more"
    ]


def test_the_rows_stored_hold_the_writes_committed_during_the_build(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index's stored rows (read by the next open on disk) are its rows as the writes made
    during the build left them, whichever store built it."""
    if engine.path is None:
        pytest.skip("nothing stored in memory")
    db = engine.database("_system")
    _meanwhile(monkeypatch, engine, lambda: _write_three(db))
    db.ensure_index("c", SPEC)
    engine.close()
    again = Engine(engine.path)  # (on disk: the index read from its table)
    try:
        found = execute(again.database("_system"), "FOR d IN c FILTER d.v < 8 SORT d.v RETURN d._key")
        assert found.rows == ["k5", "new", "k0", "k1", "k2", "k3", "k4", "k6"]
        assert found.stats["scannedFull"] == 0
    finally:
        again.close()


def test_builds_beside_a_writer_answer_as_a_scan_of_the_same_snapshot(engine: Engine) -> None:
    """Another thread writes without pause while the index is made anew, again and again (the
    build holding the lock as a request does, and letting it go to make the index): every read
    through it answers as a full scan in the same query (one snapshot) does. Each step holds the
    engine lock as a request does (the engine's own calls are not made for threads without it:
    a query reading while another thread commits could see half of that commit)."""
    db = engine.database("_system")
    execute(db, "FOR i IN 100..1999 INSERT {_key: CONCAT('k', i), v: i % 97} INTO c")

    def write(rng: random.Random) -> None:
        key = f"k{rng.randrange(2400)}"
        with engine.lock:  # (as a request holds it: the engine's own API is not for threads)
            if rng.random() < 0.7:
                query = "UPSERT {_key: @k} INSERT {_key: @k, v: @v} UPDATE {v: @v} IN c"
                execute(db, query, {"k": key, "v": rng.randrange(97)})
            else:
                execute(db, "REMOVE @k IN c OPTIONS {ignoreErrors: true}", {"k": key})

    with writing(write, seed=7):
        for round_ in range(10):
            with engine.lock:  # as a request holds it
                index, _ = db.ensure_index("c", SPEC)
            for read in range(3):
                low = (round_ * 7 + read * 13) % 90
                with engine.lock:
                    found = execute(
                        db,
                        "LET hits = (FOR d IN c FILTER d.v >= @lo AND d.v < @hi RETURN d._key)"
                        " LET scanned = (FOR d IN c FILTER TO_NUMBER(d.v) >= @lo"
                        " AND TO_NUMBER(d.v) < @hi RETURN d._key)"
                        " RETURN [SORTED(hits), SORTED(scanned)]",
                        {"lo": low, "hi": low + 5},
                    ).rows[0]
                assert found[0] == found[1] and found[0], (round_, read)
            db.drop_index("c", index.id)
