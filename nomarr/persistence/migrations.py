"""Forward-only schema migrations, applied in version order by ``schema.ensure_schema``.

A migration runs after every declared collection and index exists. It must be idempotent: two
processes starting together may both run it before either records it. Each applied migration
is recorded as the ``meta`` document ``migration:<version>`` and advances ``schema_version``.
This module imports nothing from the schema, so the schema can import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from arango.database import StandardDatabase

__all__ = ["MIGRATIONS", "Migration"]


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step.

    Attributes:
        version: strictly increasing positive number.
        name: what it does, for the record.
        apply: performs it on the database handle.
    """

    version: int
    name: str
    apply: Callable[[StandardDatabase], None]

    @property
    def label(self) -> str:
        """Return ``"migration <version> (<name>)"`` for messages."""
        return f"migration {self.version} ({self.name})"

    @property
    def record_key(self) -> str:
        """Return the ``meta`` key this migration is recorded under."""
        return f"migration:{self.version:04d}"


def _initial(_db: StandardDatabase) -> None:
    """The initial schema is exactly the declared collections; nothing to transform."""


MIGRATIONS: tuple[Migration, ...] = (Migration(1, "initial schema", _initial),)
