"""After its own commit an on-disk engine moves its snapshot forward without reading back its
change rows, unless another process committed too: then it reads them and sees the other's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import arangolite
from arangolite.storage import ondisk
from arangolite.storage.engine import Engine


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []  # the ``since`` of each read of change rows
    real: Callable[..., Any] = ondisk._changed_keys

    def counted(new: Any, since: int) -> Any:
        if new.seq > since:  # (otherwise it reads nothing)
            calls.append(since)
        return real(new, since)

    monkeypatch.setattr(ondisk, "_changed_keys", counted)
    return calls


def test_own_commit_reads_no_change_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = Engine(str(tmp_path / "d"))
    try:
        db = arangolite.connect(engine=engine)
        coll = db.create_collection("c")
        coll.add_index({"type": "persistent", "fields": ["n"]})
        calls = _counting(monkeypatch)
        coll.import_bulk([{"_key": f"k{i}", "n": i} for i in range(100)])
        coll.update({"_key": "k1", "n": -1})
        coll.delete("k2")
        assert calls == []
        assert coll.count() == 99 and coll.get("k1")["n"] == -1 and coll.get("k2") is None
        query = "FOR d IN c FILTER d.n < 1 SORT d.n RETURN d._key"
        assert list(db.aql.execute(query)) == ["k1", "k0"]
    finally:
        engine.close()


def test_another_process_committing_right_after_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = Engine(str(tmp_path / "d")), Engine(str(tmp_path / "d"))
    try:
        a = arangolite.connect(engine=first)
        b = arangolite.connect(engine=second)
        a.create_collection("c").add_index({"type": "persistent", "fields": ["n"]})
        ca, cb = a.collection("c"), b.collection("c")
        state = first.database("_system").collections["c"].state
        assert state.get("theirs") is None and ca.count() == 0  # cached as absent, counted
        assert first.store is not None
        real = first.store.commit

        def then_the_other(*args: Any, **kwargs: Any) -> int:
            seq = real(*args, **kwargs)
            cb.insert({"_key": "theirs", "n": 5})  # after this commit, before its catch-up
            return seq

        monkeypatch.setattr(first.store, "commit", then_the_other)
        calls = _counting(monkeypatch)
        ca.insert({"_key": "mine", "n": 1})
        monkeypatch.setattr(first.store, "commit", real)
        assert calls  # the catch-up after the commit read the change rows
        assert state.get("theirs") == cb.get("theirs") is not None
        trx = a.begin_transaction(read="c")  # (read under the engine lock, through the cache)
        assert trx.collection("c").get("theirs") == cb.get("theirs")
        trx.abort_transaction()
        assert ca.count() == 2
        assert list(a.aql.execute("FOR d IN c SORT d.n RETURN d._key")) == ["mine", "theirs"]
    finally:
        first.close()
        second.close()
