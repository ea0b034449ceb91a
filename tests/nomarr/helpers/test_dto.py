"""DTOs map _key/_id/_rev in one place and give them back by alias."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from nomarr.helpers.dto import Library, LibraryFileCreate, Tag, UpsertReport
from nomarr.helpers.dto.base import EdgeDocument

STORED = {
    "_key": "abc",
    "_id": "libraries/abc",
    "_rev": "_x",
    "name": "Music",
    "root_path": "/music",
    "enabled": True,
    "created_at": 1,
    "updated_at": 2,
}


def test_validates_stored_documents_and_dumps_by_alias() -> None:
    lib = Library.model_validate(STORED)
    assert (lib.key_, lib.id_, lib.rev_) == ("abc", "libraries/abc", "_x")
    assert lib.model_dump() == STORED
    assert lib.model_dump(by_alias=True) == STORED


def test_accepts_field_names_too() -> None:
    tag = Tag(key_="k", id_="tags/k", name="genre", value="jazz")
    assert tag.model_dump()["_key"] == "k"


def test_edges_map_from_and_to() -> None:
    edge = EdgeDocument.model_validate({"_key": "e", "_id": "x/e", "_from": "a/1", "_to": "b/2"})
    assert (edge.from_, edge.to_) == ("a/1", "b/2")
    assert edge.model_dump()["_from"] == "a/1"


def test_models_are_immutable() -> None:
    lib = Library.model_validate(STORED)
    with pytest.raises(ValidationError):
        lib.name = "other"  # type: ignore[misc]


def test_create_dto_rejects_bad_values() -> None:
    with pytest.raises(ValidationError):
        LibraryFileCreate(library_key="l", path="/a", size=-1, mtime_ms=0)


def test_upsert_report_total() -> None:
    assert UpsertReport(new_keys=["a"], unchanged_keys=["b", "c"]).total == 3
