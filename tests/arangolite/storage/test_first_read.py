"""An on-disk geo or fulltext index built at its first read by a query, with the engine lock let
go (``storage.first_read``): what is written meanwhile, by this process or another, is in the
index once the build takes the lock back. The queries go through python-arango (the REST layer
holds the engine lock for them); the hook runs a step while the index is made, in this thread,
while the lock is free."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from arango.database import StandardDatabase
from arango.exceptions import AQLQueryExecuteError

import arangolite
from arangolite.aql.executor import execute
from arangolite.storage import index_build
from arangolite.storage.built_on_read import BuiltOnRead
from arangolite.storage.disk_state import DiskState
from arangolite.storage.engine import Engine
from tests.arangolite.storage.beside import writing

NEAR = "FOR d IN NEAR(c, @lat, 0, 100) RETURN d._key"
WORDS = "FOR d IN FULLTEXT(c, 't', @w) SORT d._key RETURN d._key"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = Engine(str(tmp_path / "data"))
    db = eng.database("_system")
    db.create_collection("c")
    db.ensure_index("c", {"type": "geo", "fields": ["loc"]})
    db.ensure_index("c", {"type": "fulltext", "fields": ["t"]})
    execute(db, "FOR i IN 0..49 INSERT {_key: CONCAT('k', i), loc: [i, 0], t: CONCAT('w', i)} INTO c")
    yield eng
    eng.close()


def _client(engine: Engine) -> StandardDatabase:
    return arangolite.connect(engine=engine, db_name="_system")


def _indexes(engine: Engine) -> list[BuiltOnRead]:
    coll = engine.database("_system").get_collection("c")
    return [i for i in coll.indexes if isinstance(i, BuiltOnRead)]


def _meanwhile(monkeypatch: pytest.MonkeyPatch, engine: Engine, step: Callable[[], Any]) -> list[int]:
    """Run ``step`` once, while the first build makes its entries (the lock must be free then);
    the list returned counts the builds."""
    fill = index_build.fill
    builds: list[int] = []

    def building(index: Any, docs: Any) -> None:
        builds.append(1)
        if len(builds) == 1:
            assert not engine.lock._is_owned()
            step()
        fill(index, docs)

    monkeypatch.setattr(index_build, "fill", building)
    return builds


def _query(db: StandardDatabase, text: str, **binds: Any) -> list[Any]:
    return list(db.aql.execute(text, bind_vars=binds))


def test_the_indexes_of_a_data_directory_wait_for_their_first_read(engine: Engine) -> None:
    assert [i.built for i in _indexes(engine)] == [False, False]


def _kept(engine: Engine) -> list[object] | None:
    """The collection's documents the cache keeps whole (None: not kept)."""
    assert engine.disk is not None
    return engine.disk.cache.get_scan(engine.database("_system").get_collection("c").cid)


@pytest.mark.parametrize("kept", [False, True], ids=["read", "kept"])
@pytest.mark.parametrize("first", [NEAR, WORDS])
def test_writes_made_during_the_build_are_in_the_index(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, first: str, kept: bool
) -> None:
    """From a snapshot of its own, or from the documents the cache keeps whole (a full scan
    before keeps them)."""
    db = engine.database("_system")
    if kept:
        assert len(_query(_client(engine), "FOR d IN c RETURN d._key")) == 50
        assert _kept(engine) is not None
    else:
        assert _kept(engine) is None

    def step() -> None:
        execute(db, "INSERT {_key: 'new', loc: [60, 0], t: 'fresh'} INTO c")
        execute(db, "UPDATE 'k7' WITH {loc: [70, 0], t: 'moved'} IN c")
        execute(db, "REMOVE 'k3' IN c")

    _meanwhile(monkeypatch, engine, step)
    reads: list[int] = []
    scan_on = DiskState.scan_on
    monkeypatch.setattr(DiskState, "scan_on", lambda *a: reads.append(1) or scan_on(*a))
    client = _client(engine)
    _query(client, first, **({"lat": 0} if first == NEAR else {"w": "w1"}))
    assert len(reads) == (0 if kept else 1)  # (kept: no document decoded again)
    geo, words = _indexes(engine)
    assert [geo.built, words.built] == ([True, False] if first == NEAR else [False, True])
    assert _query(client, NEAR, lat=60)[:1] == ["new"]
    assert _query(client, NEAR, lat=70)[:1] == ["k7"]
    assert "k3" not in _query(client, NEAR, lat=3)
    assert _query(client, WORDS, w="fresh") == ["new"]
    assert _query(client, WORDS, w="moved") == ["k7"]
    assert _query(client, WORDS, w="w7") == [] and _query(client, WORDS, w="w3") == []
    # (the entries were moved into the live index: later commits keep it up to date)
    execute(db, "UPDATE 'new' WITH {t: 'later'} IN c")
    assert _query(client, WORDS, w="fresh") == [] and _query(client, WORDS, w="later") == ["new"]


def test_another_process_writing_during_the_build_is_caught_up(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = Engine(str(tmp_path / "data"))
    try:
        odb = other.database("_system")

        def step() -> None:
            execute(odb, "INSERT {_key: 'theirs', loc: [80, 0], t: 'theirs'} INTO c")
            execute(odb, "REMOVE 'k5' IN c")

        _meanwhile(monkeypatch, engine, step)
        client = _client(engine)
        assert _query(client, WORDS, w="theirs") == []  # (committed after this query began)
        assert _query(client, WORDS, w="theirs") == ["theirs"]
        assert _query(client, WORDS, w="w5") == []
        assert _query(client, NEAR, lat=80)[:1] == ["theirs"]
    finally:
        other.close()


def test_a_build_snapshot_newer_than_the_engines_is_brought_back_to_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Another process commits after this engine last caught up and before the build begins its
    snapshot: the entries are brought back to the engine's snapshot (the query's), so the query
    answers as of it, and the next request's catch-up moves the index on."""
    assert engine.disk is not None
    other = Engine(str(tmp_path / "data"))
    try:
        odb = other.database("_system")
        pins, begin, ran = engine.disk.pins, engine.disk.pins.begin, []

        def begin_after_their_commit() -> Any:
            if not ran:
                ran.append(True)
                execute(odb, "INSERT {_key: 'theirs', loc: [80, 0], t: 'fresh'} INTO c")
                execute(odb, "UPDATE 'k5' WITH {t: 'moved'} IN c")
                execute(odb, "REMOVE 'k6' IN c")
            return begin()

        client = _client(engine)
        client.collection("c").count()  # (a request: this engine catches up, then the hook)
        monkeypatch.setattr(pins, "begin", begin_after_their_commit)
        assert _query(client, WORDS, w="w5") == ["k5"] and ran  # (as of the engine's snapshot)
        assert _query(client, WORDS, w="w6") == []
        assert _query(client, WORDS, w="moved") == ["k5"] and _query(client, WORDS, w="fresh") == ["theirs"]
    finally:
        other.close()


def test_a_first_read_during_another_build_is_served_and_the_first_build_dropped(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second query reads the index while the first one builds it: it builds and installs
    it; the first finds it built and keeps the installed entries."""
    client = _client(engine)
    inner: list[list[Any]] = []
    builds = _meanwhile(monkeypatch, engine, lambda: inner.append(_query(client, WORDS, w="w4")))
    assert _query(client, WORDS, w="w2") == ["k2"]
    assert inner == [["k4"]] and len(builds) == 2
    words = _indexes(engine)[1]
    assert sorted(words.postings["w9"]) == ["k9"] and len(words.postings) == 50  # type: ignore[attr-defined]


def test_a_collection_dropped_during_the_build_fails_the_read(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = engine.database("_system")
    _meanwhile(monkeypatch, engine, lambda: db.drop_collection("c"))
    with pytest.raises(AQLQueryExecuteError) as failed:
        _query(_client(engine), WORDS, w="w1")
    assert failed.value.error_code == 1203


def test_an_engine_closed_during_the_build_ends_the_query_with_shutting_down(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _client(engine)
    _meanwhile(monkeypatch, engine, engine.close)
    with pytest.raises(AQLQueryExecuteError) as stopped:
        _query(client, WORDS, w="w1")
    assert stopped.value.error_code == 30


def test_the_documents_a_first_read_decoded_are_kept_for_the_scans_after_it(
    engine: Engine,
) -> None:
    assert _kept(engine) is None
    _query(_client(engine), NEAR, lat=1)
    assert len(_kept(engine) or []) == 50


def test_a_read_outside_a_query_builds_holding_the_lock(engine: Engine) -> None:
    words = _indexes(engine)[1]
    with engine.lock:
        assert words.complete("w8") == {"k8"}  # type: ignore[attr-defined]
    assert words.built


def test_first_reads_beside_a_writer_answer_as_a_scan_of_the_same_snapshot(tmp_path: Path) -> None:
    """Another thread writes without pause while the index is made anew and read, again and
    again: every FULLTEXT answers as a scan in the same query (one snapshot) does, the first
    read (which builds it; its own snapshot's corrections cover the writes of its gap) and the
    reads after it (which read what the first installed)."""
    engine = Engine(str(tmp_path / "data"))
    try:
        db = engine.database("_system")
        db.create_collection("c")
        execute(db, "FOR i IN 0..1999 INSERT {_key: CONCAT('k', i), t: CONCAT('w', i % 7, ' xx')} INTO c")

        def write(rng: random.Random) -> None:
            key, word = f"k{rng.randrange(2400)}", f"w{rng.randrange(7)}"
            with engine.lock:  # (as a request holds it)
                if rng.random() < 0.5:
                    query = "UPSERT {_key: @k} INSERT {_key: @k, t: CONCAT(@w, ' xx')} UPDATE {t: CONCAT(@w, ' yy')} IN c"
                    execute(db, query, {"k": key, "w": word})
                else:
                    execute(db, "REMOVE @k IN c OPTIONS {ignoreErrors: true}", {"k": key})

        client = _client(engine)
        with writing(write, seed=5):
            for round_ in range(12):
                made = client.collection("c").add_index({"type": "fulltext", "fields": ["t"]})
                for read in range(3):  # the first builds; the others read what it installed
                    word = f"w{(round_ + read) % 7}"
                    answer = _query(
                        client,
                        "LET hits = (FOR d IN FULLTEXT(c, 't', @w) RETURN d._key)"
                        " LET scanned = (FOR d IN c FILTER @w IN SPLIT(d.t, ' ') RETURN d._key)"
                        " RETURN [SORTED(hits), SORTED(scanned)]",
                        w=word,
                    )[0]
                    assert answer[0] == answer[1] and answer[0], (round_, read, word)
                client.collection("c").delete_index(made["id"])
    finally:
        engine.close()
