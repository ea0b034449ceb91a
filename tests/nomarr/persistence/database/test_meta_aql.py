"""MetaOperations, executed on the backend under test."""

from __future__ import annotations

import pytest

from nomarr.helpers.errors import BindVarsNotSerializableError, InvalidKeyError
from nomarr.persistence import Database


def test_get_set_delete(nomarr_db: Database) -> None:
    assert nomarr_db.meta.get("setting", "default") == "default"
    nomarr_db.meta.set("setting", {"a": [1, 2]})
    assert nomarr_db.meta.get("setting") == {"a": [1, 2]}
    nomarr_db.meta.set("setting", 3)
    assert nomarr_db.meta.get_entry("setting").value == 3  # type: ignore[union-attr]
    assert nomarr_db.meta.delete("setting")
    assert not nomarr_db.meta.delete("setting")


def test_schema_bookkeeping_lives_in_meta(nomarr_db: Database) -> None:
    keys = [entry.key_ for entry in nomarr_db.meta.list_entries()]
    assert "schema_version" in keys and "migration:0001" in keys


def test_bad_input_changes_nothing(nomarr_db: Database) -> None:
    with pytest.raises(InvalidKeyError):
        nomarr_db.meta.set("a b", 1)
    with pytest.raises(BindVarsNotSerializableError, match=r"bind_vars\['value'\]\['tags'\]\[2\]"):
        nomarr_db.meta.set("x", {"tags": ["a", "b", {1, 2}]})
    assert nomarr_db.meta.get("x") is None
