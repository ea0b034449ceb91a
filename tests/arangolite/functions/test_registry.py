"""The registry: lookup, arity checks, flags and not-implemented placeholders."""

from __future__ import annotations

import pytest

import arangolite.functions as functions
from arangolite.errors import ArangoError


def test_lookup_is_case_insensitive() -> None:
    assert functions.lookup("substring").name == "SUBSTRING"


def test_unknown_function_is_error_1540() -> None:
    with pytest.raises(ArangoError) as info:
        functions.lookup("no_such_fn")
    assert info.value.error_num == 1540
    assert info.value.message == "usage of unknown function 'NO_SUCH_FN()'"


def test_arity_error_message_names_bounds() -> None:
    spec = functions.lookup("SUBSTRING")
    functions.check_arity(spec, 2)
    functions.check_arity(spec, 3)
    with pytest.raises(ArangoError) as info:
        functions.check_arity(spec, 1)
    assert info.value.error_num == 1541
    assert info.value.message == (
        "invalid number of arguments for function 'SUBSTRING()', "
        "expected number of arguments: minimum: 2, maximum: 3"
    )


def test_variadic_maximum_is_65536() -> None:
    spec = functions.lookup("CONCAT")
    assert spec.max_args is None
    with pytest.raises(ArangoError) as info:
        functions.check_arity(spec, 0)
    assert "minimum: 1, maximum: 65536" in info.value.message


def test_aliases_share_implementation() -> None:
    assert functions.lookup("AVG").impl is functions.lookup("AVERAGE").impl
    assert functions.lookup("COUNT").impl is functions.lookup("LENGTH").impl
    assert functions.lookup("CONTAINS_ARRAY").impl is functions.lookup("POSITION").impl


def test_flags() -> None:
    assert not functions.lookup("RAND").deterministic
    assert not functions.lookup("DATE_NOW").deterministic
    assert functions.lookup("DATE_NOW").needs_context
    assert functions.lookup("DOCUMENT").collection_args == (0,)
    assert functions.lookup("UPPER").deterministic


def test_unimplemented_real_function_raises_not_implemented() -> None:
    spec = functions.lookup("PHRASE")
    with pytest.raises(ArangoError) as info:
        spec.impl("a", "b", "text_en")
    assert info.value.error_num == 9


def test_registry_is_complete_enough() -> None:
    names = functions.all_functions()
    assert len(names) > 200
    assert all(name == name.upper() for name in names)
