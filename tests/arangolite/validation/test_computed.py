"""Collection ``computedValues`` through python-arango."""

from __future__ import annotations

import pytest
from arango.database import StandardDatabase
from arango.exceptions import CollectionConfigureError, DocumentInsertError


def _cv(name: str, expression: str, **flags: object) -> dict[str, object]:
    spec: dict[str, object] = {"name": name, "expression": expression, "overwrite": True}
    spec.update(flags)
    return spec


def test_computed_on_insert_update_replace(db: StandardDatabase) -> None:
    col = db.create_collection("cv")
    props = col.configure(computed_values=[
        _cv("full", "RETURN CONCAT(@doc.first, ' ', @doc.last)"),
        _cv("created", "RETURN @doc.first", computeOn=["insert"], overwrite=False),
    ])
    assert props["computedValues"][0] == {
        "name": "full", "expression": "RETURN CONCAT(@doc.first, ' ', @doc.last)",
        "computeOn": ["insert", "update", "replace"], "overwrite": True,
        "failOnWarning": False, "keepNull": True,
    }
    new = col.insert({"_key": "a", "first": "Ada", "last": "L", "full": "x"}, return_new=True)
    assert new["new"]["full"] == "Ada L" and new["new"]["created"] == "Ada"
    col.update({"_key": "a", "first": "Bea"})
    assert col.get("a")["full"] == "Bea L" and col.get("a")["created"] == "Ada"
    col.replace({"_key": "a", "first": "Cy", "last": "M"})
    assert col.get("a")["full"] == "Cy M" and "created" not in col.get("a")
    db.aql.execute("INSERT {_key: 'b', first: 'Di', last: 'N', created: 'kept'} INTO cv")
    assert col.get("b")["full"] == "Di N" and col.get("b")["created"] == "kept"
    col.configure(computed_values=[])
    col.update({"_key": "b", "first": "Ed"})
    assert col.get("b")["full"] == "Di N"


def test_keep_null_and_fail_on_warning(db: StandardDatabase) -> None:
    col = db.create_collection("cvnull")
    col.configure(computed_values=[
        _cv("gone", "RETURN null", keepNull=False),
        _cv("kept", "RETURN null"),
        _cv("warned", "RETURN 1 / @doc.zero"),
    ])
    doc = col.insert({"zero": 0, "gone": 1}, return_new=True)["new"]
    assert "gone" not in doc and doc["kept"] is None and doc["warned"] is None
    col.configure(computed_values=[_cv("strict", "RETURN 1 / @doc.zero", failOnWarning=True)])
    with pytest.raises(DocumentInsertError) as info:
        col.insert({"zero": 0})
    assert info.value.error_code == 1562  # division by zero


@pytest.mark.parametrize(
    "spec",
    [
        _cv("x", "1 + 1"),
        _cv("x", "RETURN 1 +"),
        _cv("x", "FOR d IN cvbad RETURN d"),
        _cv("x", "RETURN DOCUMENT('cvbad/1')"),
        _cv("x", "RETURN @other"),
        _cv("_key", "RETURN 1"),
        _cv("x", "RETURN 1", computeOn=["remove"]),
        {"name": "x", "expression": "RETURN 1"},
    ],
)
def test_malformed_computed_values(db: StandardDatabase, spec: dict[str, object]) -> None:
    col = db.create_collection("cvbad")
    with pytest.raises(CollectionConfigureError) as info:
        col.configure(computed_values=[spec])
    assert info.value.error_code == 10
    assert col.properties().get("computedValues") is None
