"""The exception catalogue."""

from __future__ import annotations

import pytest

from nomarr.helpers import errors
from nomarr.helpers.errors import CATALOGUE, DocumentNotFoundError, NomarrError

LEAVES = [getattr(errors, name) for name in errors.__all__ if name.endswith("Error") and name != "NomarrError"]


@pytest.mark.parametrize("klass", LEAVES)
def test_every_leaf_is_catalogued_and_documented(klass: type[NomarrError]) -> None:
    assert issubclass(klass, NomarrError)
    assert klass.__name__ in CATALOGUE
    assert klass.__doc__
    assert str(klass("detail")).startswith(klass.prefix + ": detail")


def test_arango_origin_is_carried_and_shown() -> None:
    exc = DocumentNotFoundError("library_files/x", error_num=1202, http_code=404)
    assert (exc.error_num, exc.http_code, exc.detail) == (1202, 404, "library_files/x")
    assert str(exc) == "document not found: library_files/x [ArangoDB error 1202, HTTP 404]"


def test_hint_is_appended() -> None:
    assert str(errors.AuthenticationError()).endswith("(check ARANGO_USERNAME and ARANGO_PASSWORD)")


def test_root_catches_all() -> None:
    with pytest.raises(NomarrError):
        raise errors.BindVarsNotSerializableError("bind_vars['x']")
    assert issubclass(errors.BindVarsNotSerializableError, TypeError)
