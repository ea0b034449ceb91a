"""Recording the SQL that an on-disk engine's own-snapshot reads run (the reader pool)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from arangolite.storage.engine import Engine


def trace_snapshot_reads(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> list[str]:
    """The statements every snapshot of ``engine``'s reader pool runs from now on, in order."""
    assert engine.disk is not None
    readers = engine.disk.readers
    opened = readers.snapshot
    statements: list[str] = []

    @contextlib.contextmanager
    def snapshot() -> Iterator[Any]:
        with opened() as conn:
            conn.set_trace_callback(statements.append)
            try:
                yield conn
            finally:
                conn.set_trace_callback(None)

    monkeypatch.setattr(readers, "snapshot", snapshot)
    return statements
