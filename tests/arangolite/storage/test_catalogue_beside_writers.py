"""Catalogue changes that read a collection's documents, while another process writes them.

An index build reads a snapshot of its own; the other process (a second engine on the
directory) commits documents meanwhile without knowing the index. The index's store transaction
catches up and reads those keys again (``EnginePersistence.store_index``), so indexed reads
answer as full scans do, in both processes and after a reopen. Before, the other process's
documents were missing from the index for good. A rename rewrites every stored ``_id``: it reads
the documents inside its store transaction, after a catch-up, so a document the other process
committed just before is renamed too. An index another process made meanwhile, like the new one
or of its name, is seen there too: that one is returned, or the new one refused (1207).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from arangolite.aql.executor import execute
from arangolite.errors import ArangoError
from arangolite.storage import durability, index_build
from arangolite.storage.database import Database
from arangolite.storage.engine import Engine

# (the other process's statement, the keys whose n is negative afterwards)
WRITES = {
    "insert": ("INSERT {_key: 'new', n: -5} INTO c", ["new"]),
    "update": ("UPDATE 'k5' WITH {n: -7} IN c", ["k5"]),
}


@pytest.fixture(params=["disk", "loaded"])
def engines(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Engine, Engine]]:
    """The first on disk, or holding the directory's documents in memory (``on_disk=False``:
    its index builds are in memory too, and store the rows they make)."""
    path = str(tmp_path / "data")
    first, second = Engine(path, on_disk=request.param == "disk"), Engine(path)
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def _filled(engines: tuple[Engine, Engine]) -> tuple[Database, Database]:
    """The two engines' databases, once the first stored collection ``c`` and the second saw it."""
    first, second = engines
    db, other = first.database("_system"), second.database("_system")
    db.create_collection("c")
    execute(db, "FOR i IN 0..99 INSERT {_key: CONCAT('k', i), n: i == 1 ? -1 : i, u: i} INTO c")
    second.catch_up()
    return db, other


def _while_building(monkeypatch: pytest.MonkeyPatch, other: Database, *queries: str) -> None:
    """Run ``queries`` on ``other`` (the second engine) while the first builds its rows."""
    build_rows = index_build.build_rows

    def building(index: Any, docs: Any) -> Any:
        rows = build_rows(index, docs)
        if not getattr(building, "done", False):
            building.done = True  # type: ignore[attr-defined]
            for query in queries:
                execute(other, query)
        return rows

    monkeypatch.setattr(index_build, "build_rows", building)


def _negative(db: Database) -> tuple[list[str], list[str]]:
    """Keys with a negative ``n`` through the index, and by a full scan (``n`` read through a
    function, which no index serves)."""
    indexed = execute(db, "FOR d IN c FILTER d.n < 0 SORT d._key RETURN d._key").rows
    scanned = execute(db, "FOR d IN c FILTER TO_NUMBER(d.n) < 0 SORT d._key RETURN d._key").rows
    return indexed, scanned


@pytest.mark.parametrize("write", sorted(WRITES))
def test_documents_another_process_commits_during_the_build_are_indexed(
    engines: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch, write: str, tmp_path: Path
) -> None:
    first, second = engines
    db, other = _filled(engines)
    query, expected = WRITES[write]
    _while_building(monkeypatch, other, query)
    db.ensure_index("c", {"type": "persistent", "fields": ["n"]})
    keys = sorted({"k1", *expected})
    assert _negative(db) == (keys, keys)
    second.catch_up()
    assert _negative(other) == (keys, keys)
    first.close()
    second.close()
    again = Engine(str(tmp_path / "data"))
    try:
        assert _negative(again.database("_system")) == (keys, keys)
    finally:
        again.close()


def test_a_value_another_process_removed_during_a_unique_build_is_free(
    engines: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The removed document's row goes with it: its value may be stored again (a row left
    behind made that a 1210 for a document that no longer exists)."""
    db, other = _filled(engines)
    _while_building(monkeypatch, other, "REMOVE 'k3' IN c")
    db.ensure_index("c", {"type": "persistent", "fields": ["u"], "unique": True})
    execute(db, "INSERT {_key: 'again', u: 3} INTO c")
    assert execute(db, "FOR d IN c FILTER d.u == 3 RETURN d._key").rows == ["again"]


def test_a_duplicate_another_process_commits_during_a_unique_build_fails_it(
    engines: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other process's document gives the new unique index a value twice: 1210, no index
    stored on either side, the documents as they were."""
    first, second = engines
    db, other = _filled(engines)
    _while_building(monkeypatch, other, "INSERT {_key: 'twin', u: 7} INTO c")
    with pytest.raises(ArangoError) as refused:
        db.ensure_index("c", {"type": "persistent", "fields": ["u"], "unique": True})
    assert refused.value.error_num == 1210
    for engine, handle in ((first, db), (second, other)):
        engine.catch_up()
        assert [i.kind for i in handle.get_collection("c").indexes] == []
        assert handle.get_collection("c").state.count() == 101


def test_the_build_reads_everything_again_when_the_change_rows_were_pruned(
    engines: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """More commits than the change rows kept (here: one) by the other process during the build:
    the keys are not known any more, and the build reads the collection again."""
    first = engines[0]
    db, other = _filled(engines)
    monkeypatch.setattr(durability, "_KEEP_CHANGES", 1)
    monkeypatch.setattr(durability, "_PRUNE_EVERY", 1)
    _while_building(
        monkeypatch, other, "UPDATE 'k5' WITH {n: -7} IN c", "UPDATE 'k6' WITH {n: -8} IN c",
        "UPDATE 'k7' WITH {n: -9} IN c",
    )
    assert first.store is not None
    since, cid = first.store.last_seq(), db.get_collection("c").cid
    db.ensure_index("c", {"type": "persistent", "fields": ["n"]})
    assert first.store.keys_changed_since(cid, since) is None  # (the rows were pruned)
    keys = ["k1", "k5", "k6", "k7"]
    assert _negative(db) == (keys, keys)


def _other_builds_first(monkeypatch: pytest.MonkeyPatch, other: Database, spec: dict[str, Any]) -> None:
    """The other process makes the index ``spec`` while the first builds its rows."""
    build_rows = index_build.build_rows

    def building(index: Any, docs: Any) -> Any:
        monkeypatch.setattr(index_build, "build_rows", build_rows)  # (the other one builds too)
        other.ensure_index("c", spec)
        return build_rows(index, docs)

    monkeypatch.setattr(index_build, "build_rows", building)


def test_the_same_index_another_process_made_meanwhile_is_the_one_returned(
    engines: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen after the catch-up inside the store transaction: no second index like it."""
    second = engines[1]
    db, other = _filled(engines)
    spec = {"type": "persistent", "fields": ["n"]}
    _other_builds_first(monkeypatch, other, spec)
    index, created = db.ensure_index("c", spec)
    assert not created
    second.catch_up()
    for handle in (db, other):
        assert [i.id for i in handle.get_collection("c").indexes] == [index.id]


def test_an_index_named_as_one_another_process_made_meanwhile_is_refused(
    engines: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    second = engines[1]
    db, other = _filled(engines)
    _other_builds_first(monkeypatch, other, {"type": "persistent", "fields": ["u"], "name": "mine"})
    with pytest.raises(ArangoError) as refused:
        db.ensure_index("c", {"type": "persistent", "fields": ["n"], "name": "mine"})
    assert refused.value.error_num == 1207
    second.catch_up()
    for handle in (db, other):
        assert [i.fields for i in handle.get_collection("c").indexes] == [["u"]]


def _just_before_the_store(
    monkeypatch: pytest.MonkeyPatch, engine: Engine, step: Callable[[], Any]
) -> None:
    """Run ``step`` (the other process's) once ``engine`` has caught up and is about to begin
    its next catalogue store transaction."""
    assert engine.store is not None
    store_execute = engine.store.execute

    def executing(*args: Any, **kwargs: Any) -> Any:
        monkeypatch.undo()
        step()
        return store_execute(*args, **kwargs)

    monkeypatch.setattr(engine.store, "execute", executing)


def _stored_props(path: Path, name: str) -> dict[str, Any]:
    """The properties of collection ``name`` as a third engine opened on ``path`` reads them."""
    third = Engine(str(path))
    try:
        coll = third.database("_system").get_collection(name)
        return {**coll.props, "type": coll.type}
    finally:
        third.close()


def test_a_rename_renames_what_another_process_committed_just_before(
    engines: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other process commits after this one last caught up and before the rename's store
    transaction: its document is stored with the new name in ``_id`` too."""
    first, second = engines
    db, other = _filled(engines)
    _just_before_the_store(
        monkeypatch, first, lambda: execute(other, "INSERT {_key: 'late', n: 0} INTO c")
    )
    db.rename_collection("c", "d")
    for engine, handle in ((first, db), (second, other)):
        engine.catch_up()
        found = execute(handle, "FOR x IN d FILTER x._key IN ['late', 'k2'] SORT x._key RETURN x._id")
        assert found.rows == ["d/k2", "d/late"]


def test_a_rename_keeps_the_properties_another_process_set_just_before(
    engines: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The other process sets ``waitForSync`` after this one last caught up and before the
    rename's store transaction: the rename writes the name alone, and the setting stays stored
    (it wrote the whole entry as this process knew it, the setting lost at the next open)."""
    db, other = _filled(engines)
    _just_before_the_store(
        monkeypatch, engines[0], lambda: other.set_properties("c", {"waitForSync": True})
    )
    db.rename_collection("c", "d")
    assert _stored_props(tmp_path / "data", "d").get("waitForSync") is True


def test_properties_set_by_two_processes_are_both_kept(
    engines: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The other process sets ``waitForSync`` just before this one's change of ``schema`` is
    stored: each writes its own properties over the entry as stored, so both stay (the whole
    entry as this process knew it was written, the other setting lost)."""
    db, other = _filled(engines)
    _just_before_the_store(
        monkeypatch, engines[0], lambda: other.set_properties("c", {"waitForSync": True})
    )
    schema = {"rule": {"type": "object"}, "level": "moderate", "message": "no"}
    db.set_properties("c", {"schema": schema, "type": 3})
    props = _stored_props(tmp_path / "data", "c")
    assert props.get("waitForSync") is True and props["schema"]["rule"] == schema["rule"]
    assert props["type"] == 2  # (not a settable property)
