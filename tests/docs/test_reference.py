"""The API reference builds from the docstrings: one page per Operations class, and the DTOs."""

from __future__ import annotations

import importlib.util
import typing
from pathlib import Path

import pytest

from nomarr.persistence.bound_operations import BoundOperations

pytest.importorskip("pdoc")
_SPEC = importlib.util.spec_from_file_location("build_reference", Path(__file__).parents[2] / "docs/reference/build.py")
assert _SPEC and _SPEC.loader
build_reference = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(build_reference)


def test_the_reference_has_a_page_per_operations_class_and_the_dtos(tmp_path: Path) -> None:
    pages = {p.relative_to(tmp_path).as_posix() for p in build_reference.build(tmp_path)}
    for cls in typing.get_type_hints(BoundOperations).values():
        page = cls.__module__.replace(".", "/") + ".html"
        assert page in pages, f"{cls.__name__}: no page {page}"
        assert cls.__name__ in (tmp_path / page).read_text()
    assert {"nomarr/helpers/dto/files.html", "nomarr/persistence/protocols.html", "nomarr/persistence/aio.html"} <= pages
    assert "LibraryFileCreate" in (tmp_path / "nomarr/helpers/dto/files.html").read_text()


def test_every_public_operations_method_has_a_docstring() -> None:
    assert build_reference.undocumented() == []
