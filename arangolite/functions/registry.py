"""The AQL function registry: names, declared arities, flags and implementations.

Family modules register their functions with the :func:`aql_function` decorator when
``arangolite.functions`` is imported. The compiler resolves a call with :func:`lookup`, checks the
argument count with :func:`check_arity` and then calls ``spec.impl(*args)`` (or
``spec.impl(ctx, *args)`` when ``spec.needs_context``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from arangolite.errors import (
    NOT_IMPLEMENTED,
    QUERY_FUNCTION_ARGUMENT_NUMBER_MISMATCH,
    QUERY_FUNCTION_NAME_UNKNOWN,
    ArangoError,
)

__all__ = [
    "MAX_ARGUMENTS",
    "FunctionContext",
    "FunctionSpec",
    "all_functions",
    "aql_function",
    "check_arity",
    "lookup",
    "not_implemented",
]

MAX_ARGUMENTS = 65536
"""The maximum ArangoDB reports for variadic functions in arity errors."""

F = TypeVar("F", bound=Callable[..., Any])


class FunctionContext(Protocol):
    """What context-needing functions may ask of the running query (implemented by the executor)."""

    @property
    def now_ms(self) -> int:
        """The query's start time in milliseconds since the epoch (``DATE_NOW()``)."""
        ...

    def warn(self, code: int, message: str) -> None:
        """Record a warning in the query's ``extra.warnings``."""
        ...

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """The document with id ``coll/key``; None if the collection or document is missing."""
        ...

    def collection_get(self, name: str, key: str) -> dict[str, Any] | None:
        """The document ``key`` of collection ``name``; None if either is missing."""
        ...

    def collection_count(self, name: str) -> int:
        """How many documents collection ``name`` holds in the query's snapshot (with its own
        writes); error 1203 when it does not exist."""
        ...

    def index_view(self, name: str, kind: str) -> Any:
        """Collection ``name``'s first index of ``kind`` as a storage ``IndexView`` (or None);
        error 1203 when the collection does not exist."""
        ...


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """One AQL function: its name (upper case), implementation, declared arity and flags."""

    name: str
    impl: Callable[..., Any]
    min_args: int
    max_args: int | None
    needs_context: bool
    deterministic: bool
    collection_args: tuple[int, ...] = ()


_REGISTRY: dict[str, FunctionSpec] = {}
_SAME = -1


def _register(spec: FunctionSpec) -> None:
    if spec.name in _REGISTRY:
        raise ValueError(f"AQL function {spec.name} registered twice")
    _REGISTRY[spec.name] = spec


def aql_function(
    name: str,
    min_args: int,
    max_args: int | None = _SAME,
    *,
    context: bool = False,
    deterministic: bool = True,
    collection_args: tuple[int, ...] = (),
    aliases: tuple[str, ...] = (),
) -> Callable[[F], F]:
    """Register the decorated callable as AQL function ``name`` (and its ``aliases``).

    ``max_args`` defaults to ``min_args``; ``None`` means variadic.
    """
    upper = min_args if max_args == _SAME else max_args

    def decorate(impl: F) -> F:
        for each in (name, *aliases):
            _register(
                FunctionSpec(
                    each.upper(), impl, min_args, upper, context, deterministic, collection_args
                )
            )
        return impl

    return decorate


def not_implemented(name: str, min_args: int, max_args: int | None = _SAME) -> None:
    """Register a real ArangoDB function that arangolite does not provide (raises error 9)."""

    def impl(*_args: Any) -> Any:
        raise ArangoError(NOT_IMPLEMENTED, f"function {name}")

    aql_function(name, min_args, max_args, deterministic=False)(impl)


def lookup(name: str) -> FunctionSpec:
    """The function called ``name`` (case-insensitive); error 1540 if there is none."""
    upper = name.upper()
    spec = _REGISTRY.get(upper)
    if spec is None:
        raise ArangoError(QUERY_FUNCTION_NAME_UNKNOWN, upper)
    return spec


def check_arity(spec: FunctionSpec, n: int) -> None:
    """Raise error 1541 when ``n`` arguments do not fit ``spec``'s declared arity."""
    maximum = MAX_ARGUMENTS if spec.max_args is None else spec.max_args
    if spec.min_args <= n <= maximum:
        return
    raise ArangoError(QUERY_FUNCTION_ARGUMENT_NUMBER_MISMATCH, spec.name, spec.min_args, maximum)


def all_functions() -> dict[str, FunctionSpec]:
    """Every registered function, by upper-case name."""
    return dict(_REGISTRY)
