"""Every persistence method that takes several values refuses a single one.

The methods are found by enumeration (every public method of every Operations class whose
parameter is annotated as a ``Sequence``, ``Iterable`` or ``Mapping``), so a method added later is
covered without editing this file.
"""

from __future__ import annotations

import collections.abc
import inspect
import typing
from collections.abc import Iterator
from typing import Any

import pytest

from nomarr.helpers.dto import LibraryFileCreate, TagValue
from nomarr.helpers.many import SingleValueError
from nomarr.persistence import Database
from nomarr.persistence.bound_operations import BoundOperations
from nomarr.persistence.database.collections_aql import CollectionsOperations

pytestmark = pytest.mark.nomarr_both_apis  # each test runs on Database, then on AsyncDatabase

_MANY = (collections.abc.Sequence, collections.abc.Iterable, collections.abc.Mapping, collections.abc.Collection)
_BY_NAME: dict[str, Any] = {"name": "meta"}  # CollectionsOperations takes a declared collection


def _operations_classes() -> list[type]:
    hints = typing.get_type_hints(BoundOperations)
    return [*hints.values(), CollectionsOperations]


def _is_many(hint: Any) -> bool:
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return any(_is_many(arg) for arg in args if arg is not type(None))
    return typing.get_origin(hint) in _MANY


def _many_params() -> Iterator[tuple[type, str, str]]:
    for cls in _operations_classes():
        for name, method in inspect.getmembers(cls, inspect.isfunction):
            if name.startswith("_"):
                continue
            for param, hint in typing.get_type_hints(method).items():
                if param != "return" and _is_many(hint):
                    yield cls, name, param


MANY_PARAMS = sorted(_many_params(), key=lambda t: (t[0].__name__, t[1], t[2]))


def test_the_enumeration_finds_the_known_methods() -> None:
    found = {f"{cls.__name__}.{name}({param})" for cls, name, param in MANY_PARAMS}
    assert {
        "LibraryFilesOperations.update_status_many(keys)",
        "LibraryFilesOperations.mark_discovered(keys)",
        "WorkerClaimsOperations.release_many(file_keys)",
        "TagsOperations.replace_tags_of_files(tags_by_file)",
        "CollectionsOperations.insert_many(docs)",
    } <= found


def _value_for(param: inspect.Parameter, hint: Any) -> Any:
    if param.name in _BY_NAME:
        return _BY_NAME[param.name]
    if param.default is not inspect.Parameter.empty:
        return param.default
    if _is_many(hint):
        return {} if typing.get_origin(hint) is collections.abc.Mapping else []
    return {str: "k1", int: 1, float: 1.0}.get(hint)


def _call_with_single(ops: Any, cls: type, method: str, target: str, single: Any) -> Any:
    declared = getattr(cls, method)  # the signature (ops may be the async group, driven sync)
    hints = typing.get_type_hints(declared)
    kwargs = {
        name: single if name == target else _value_for(p, hints.get(name))
        for name, p in inspect.signature(declared).parameters.items()
        if name != "self"
    }
    return getattr(ops, method)(**kwargs)


_GROUP_OF = {cls: attr for attr, cls in typing.get_type_hints(BoundOperations).items()}


SINGLES = {
    "str": "abc",
    "model": TagValue(name="genre", value="jazz"),
    "file": LibraryFileCreate(library_key="lib", path="/a.flac", size=1, mtime_ms=1),
}


@pytest.mark.parametrize("single", SINGLES.values(), ids=SINGLES.keys())
@pytest.mark.parametrize(
    ("cls", "method", "param"), MANY_PARAMS, ids=[f"{c.__name__}.{m}({p})" for c, m, p in MANY_PARAMS]
)
def test_a_single_value_is_refused(nomarr_db: Database, nomarr_api: str, cls: type, method: str, param: str, single: Any) -> None:
    if cls is CollectionsOperations:
        if nomarr_api == "async":
            pytest.skip("CollectionsOperations serves export/import, which have no async API")
        ops: Any = CollectionsOperations(nomarr_db._runner)
    else:
        ops = getattr(nomarr_db, _GROUP_OF[cls])
    with pytest.raises(SingleValueError, match=r"takes (several values|a mapping), got"):
        _call_with_single(ops, cls, method, param, single)


def test_a_unit_of_work_refuses_a_single_collection_name(nomarr_db: Database) -> None:
    with pytest.raises(SingleValueError, match="unit_of_work"):
        nomarr_db.unit_of_work(write="queue")


def test_the_error_names_the_method_and_the_fix(nomarr_db: Database) -> None:
    with pytest.raises(TypeError) as info:
        nomarr_db.library_files.update_status_many("abc", "tagged")  # type: ignore[arg-type]
    message = str(info.value)
    assert "library_files.update_status_many(keys)" in message and "'abc'" in message
    assert "wrap it in a list" in message
