"""Guards for arguments that hold *several* values (keys, records, tags).

A ``str`` is itself a sequence of strings, so ``update_status_many("abc", ...)`` would quietly
act on the keys ``"a"``, ``"b"`` and ``"c"``; a pydantic model iterates as ``(field, value)``
pairs; a dict as its keys. Neither mypy nor the driver notices. Every persistence method that
takes several values passes them through :func:`many` (or :func:`many_keys`) first, which refuses
a single value with a :class:`TypeError` that names the method, the argument and the fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from pydantic import BaseModel

from nomarr.helpers.keys import validate_key

__all__ = ["SingleValueError", "many", "many_keys", "many_mapping"]

T = TypeVar("T")

_SINGLE = (str, bytes, bytearray, BaseModel)


class SingleValueError(TypeError):
    """A method that takes several values was given one value (a ``str``, a model, a dict)."""


def many(values: Iterable[T], what: str) -> list[T]:
    """Return ``values`` as a list, refusing a single value.

    Args:
        values: the values (a list, tuple, set or any other non-string iterable).
        what: ``"<method>(<argument>)"``, to name the call in the error message.

    Raises:
        SingleValueError: ``values`` is a ``str``, ``bytes``, a pydantic model or a mapping.
    """
    if isinstance(values, (*_SINGLE, Mapping)) or not isinstance(values, Iterable):
        kind = type(values).__name__
        raise SingleValueError(
            f"{what} takes several values, got a single {kind} {_preview(values)}: "
            f"wrap it in a list ([value]) or use the single-value method"
        )
    return list(values)


def many_keys(keys: Iterable[str], what: str, name: str = "_key") -> list[str]:
    """Return ``keys`` as a list of validated keys, refusing a single ``str`` (see :func:`many`).

    Raises:
        SingleValueError: ``keys`` is a single value.
        InvalidKeyError: one of the keys is not a valid ``_key``.
    """
    return [validate_key(key, name) for key in many(keys, what)]


def many_mapping(values: Mapping[str, T], what: str) -> Mapping[str, T]:
    """Return ``values`` unchanged when it is a mapping.

    Raises:
        SingleValueError: ``values`` is not a mapping (e.g. a ``str`` or a list).
    """
    if not isinstance(values, Mapping):
        raise SingleValueError(
            f"{what} takes a mapping, got {type(values).__name__} {_preview(values)}: pass a dict"
        )
    return values


def _preview(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."
