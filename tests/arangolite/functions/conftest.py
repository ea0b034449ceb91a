"""Helpers for the AQL function unit tests: call registered implementations directly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import arangolite.functions as functions
from arangolite.aql.values import AqlWarning


class MemoryContext:
    """A tiny in-memory FunctionContext: two collections and a fixed clock."""

    now_ms = 1_700_000_000_000

    def __init__(self) -> None:
        self.warnings: list[tuple[int, str]] = []
        self.collections: dict[str, dict[str, dict[str, Any]]] = {
            "persons": {
                "alice": {"_key": "alice", "_id": "persons/alice", "name": "Alice"},
                "bob": {"_key": "bob", "_id": "persons/bob", "name": "Bob"},
            }
        }

    def warn(self, code: int, message: str) -> None:
        self.warnings.append((code, message))

    def collection_get(self, name: str, key: str) -> dict[str, Any] | None:
        return self.collections.get(name, {}).get(key)

    def document(self, doc_id: str) -> dict[str, Any] | None:
        name, _, key = doc_id.partition("/")
        return self.collection_get(name, key)


def invoke(name: str, *args: Any, ctx: MemoryContext | None = None) -> Any:
    """Check the arity and call the registered implementation of ``name``."""
    spec = functions.lookup(name)
    functions.check_arity(spec, len(args))
    if spec.needs_context:
        return spec.impl(ctx or MemoryContext(), *args)
    return spec.impl(*args)


def warning_of(name: str, *args: Any, ctx: MemoryContext | None = None) -> int:
    """The warning code the call raises (fails the test when it returns normally)."""
    with pytest.raises(AqlWarning) as info:
        invoke(name, *args, ctx=ctx)
    return info.value.code


@pytest.fixture
def call() -> Callable[..., Any]:
    return invoke


@pytest.fixture
def warns() -> Callable[..., int]:
    return warning_of


@pytest.fixture
def ctx() -> MemoryContext:
    return MemoryContext()
