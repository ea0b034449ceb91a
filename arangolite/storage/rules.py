"""What a collection enforces on every write (computed values, then its schema), as storage sees it.

The rules are compiled from a collection's properties by ``arangolite.validation``, which
evaluates AQL expressions (computed values) and so sits above storage: the engine is given a
:class:`RuleBook` when it is made (``Engine(rules=...)``, by default ``validation.RULES``) and
each collection compiles its properties with it, so storage never imports the layer above.
"""

from __future__ import annotations

from typing import Any, Protocol

__all__ = ["RuleBook", "WriteRules"]

Document = dict[str, Any]


class WriteRules(Protocol):
    """A collection's computed values and schema, compiled (``arangolite.validation``)."""

    def apply(
        self, op: str, new: Document, old: Document | None, trx: Any, *, validate: bool = True
    ) -> Document:
        """The document to store for ``op`` (``insert`` / ``update`` / ``replace``), or 1620."""


class RuleBook(Protocol):
    """What a collection enforces on every write, from its properties: given to the engine by
    the layer that compiles them (``arangolite.validation``, which evaluates AQL: storage never
    imports it)."""

    def compile(self, props: dict[str, Any]) -> WriteRules | None:
        """The rules of a collection with properties ``props`` (None: nothing to enforce)."""

    def normalize(self, props: dict[str, Any]) -> dict[str, Any]:
        """``props`` with ``schema`` / ``computedValues`` checked and in their stored form."""
