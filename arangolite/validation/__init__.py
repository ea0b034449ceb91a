"""What a collection enforces on every write: computed values, then its schema.

Storage calls :meth:`WriteRules.apply` on the document about to be stored (insert, update or
replace, from the document API, imports and AQL alike); :func:`normalize` checks and fills in the
``schema`` and ``computedValues`` properties when they are set.
"""

from __future__ import annotations

from typing import Any

from arangolite.validation.computed import ComputedValue, normalize_computed_values
from arangolite.validation.schema import Schema, normalize_schema

__all__ = ["RULES", "Rules", "WriteRules", "normalize"]


def normalize(props: dict[str, Any]) -> dict[str, Any]:
    """``props`` with ``schema`` / ``computedValues`` in their stored form (errors 1621 / 10)."""
    out = dict(props)
    if "schema" in props:
        out["schema"] = normalize_schema(props["schema"])
    if "computedValues" in props:
        out["computedValues"] = normalize_computed_values(props["computedValues"])
    return out


class WriteRules:
    """A collection's computed values and schema, compiled from its properties."""

    def __init__(self, props: dict[str, Any]) -> None:
        self.computed = [ComputedValue(c) for c in props.get("computedValues") or ()]
        schema = props.get("schema")
        self.schema = Schema(schema) if schema else None

    def apply(
        self, op: str, new: dict[str, Any], old: dict[str, Any] | None, trx: Any,
        *, validate: bool = True,
    ) -> dict[str, Any]:
        """The document to store for ``op`` (``insert``/``update``/``replace``), or 1620.
        ``validate=False`` (the ``skipDocumentValidation`` option) skips the schema check only:
        computed values are still applied, as in ArangoDB."""
        if self.computed:
            new = dict(new)
            for value in self.computed:
                value.apply(op, new, trx)
        if validate and self.schema is not None:
            self.schema.check(op, new, old)
        return new


class Rules:
    """The rule book the engine compiles collections' properties with (``storage.rules``)."""

    @staticmethod
    def compile(props: dict[str, Any]) -> WriteRules | None:
        """The collection's computed values and schema, or None when it has neither."""
        if not props.get("schema") and not props.get("computedValues"):
            return None
        return WriteRules(props)

    @staticmethod
    def normalize(props: dict[str, Any]) -> dict[str, Any]:
        """As :func:`normalize`, for properties that have ``schema`` / ``computedValues``."""
        if "schema" not in props and "computedValues" not in props:
            return props
        return normalize(props)


RULES = Rules()
