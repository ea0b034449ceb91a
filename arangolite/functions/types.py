"""Type checks and casts: IS_*, TYPENAME, TO_*, NOT_NULL, FIRST_LIST, FIRST_DOCUMENT."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from arangolite.aql.values import (
    is_number,
    to_array,
    to_bool,
    to_number,
    to_string,
    type_name,
)
from arangolite.functions.registry import aql_function

_KEY_RE = re.compile(r"[a-zA-Z0-9_\-:.@()+,=;$!*'%]{1,254}")


def _check(name: str, predicate: Callable[[Any], bool], aliases: tuple[str, ...] = ()) -> None:
    def impl(value: Any) -> bool:
        return predicate(value)

    impl.__doc__ = f"AQL {name}(): a type check."
    aql_function(name, 1, aliases=aliases)(impl)


_check("IS_NULL", lambda v: v is None)
_check("IS_BOOL", lambda v: type(v) is bool)
_check("IS_NUMBER", is_number)
_check("IS_STRING", lambda v: type(v) is str)
_check("IS_ARRAY", lambda v: type(v) is list, aliases=("IS_LIST",))
_check("IS_OBJECT", lambda v: type(v) is dict, aliases=("IS_DOCUMENT",))
_check("IS_KEY", lambda v: type(v) is str and _KEY_RE.fullmatch(v) is not None)


@aql_function("TYPENAME", 1)
def typename(value: Any) -> str:
    """``"null"``, ``"bool"``, ``"number"``, ``"string"``, ``"array"`` or ``"object"``."""
    return type_name(value)


@aql_function("TO_NUMBER", 1)
def to_number_(value: Any) -> int | float:
    """AQL number conversion."""
    return to_number(value)


@aql_function("TO_STRING", 1)
def to_string_(value: Any) -> str:
    """AQL string conversion."""
    return to_string(value)


@aql_function("TO_BOOL", 1)
def to_bool_(value: Any) -> bool:
    """AQL truthiness."""
    return to_bool(value)


@aql_function("TO_ARRAY", 1, aliases=("TO_LIST",))
def to_array_(value: Any) -> list[Any]:
    """AQL array conversion."""
    return to_array(value)


@aql_function("NOT_NULL", 1, None)
def not_null(*values: Any) -> Any:
    """The first argument that is not null."""
    return next((v for v in values if v is not None), None)


@aql_function("FIRST_LIST", 1, None)
def first_list(*values: Any) -> Any:
    """The first argument that is an array."""
    return next((v for v in values if type(v) is list), None)


@aql_function("FIRST_DOCUMENT", 1, None)
def first_document(*values: Any) -> Any:
    """The first argument that is an object."""
    return next((v for v in values if type(v) is dict), None)
