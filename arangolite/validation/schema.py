"""Collection ``schema``: JSON Schema validation of written documents, as ArangoDB does it.

A schema is ``{"rule": <JSON Schema>, "level": ..., "message": ..., "type": "json"}``. The rule is
checked with the ``jsonschema`` package (draft 4, ArangoDB's dialect); the system attributes
``_key``, ``_id``, ``_rev``, ``_from`` and ``_to`` are left out of what is validated, so a rule
with ``additionalProperties: false`` need not list them. Levels:

- ``none``: no validation;
- ``new``: inserts only;
- ``moderate``: inserts, and changes of documents that were valid before the change;
- ``strict`` (the default): every insert, update and replace.

A document that fails is refused with error 1620 and the schema's ``message``; a malformed schema
is refused with 1621 when it is set. Setting ``null`` or ``{}`` removes the schema.
"""

from __future__ import annotations

from typing import Any

import jsonschema

from arangolite.errors import VALIDATION_BAD_PARAMETER, VALIDATION_FAILED, ArangoError
from arangolite.storage.docs import SYSTEM_ATTRIBUTES

__all__ = ["Schema", "normalize_schema"]

_LEVELS = ("none", "new", "moderate", "strict")
_DEFAULT_MESSAGE = "Schema violation"


def normalize_schema(value: Any) -> dict[str, Any] | None:
    """The stored form of a ``schema`` property (None: no schema); 1621 when malformed."""
    if value is None or value == {}:
        return None
    if type(value) is not dict:
        raise ArangoError(VALIDATION_BAD_PARAMETER, "schema must be an object")
    rule = value.get("rule")
    if type(rule) is not dict:
        raise ArangoError(VALIDATION_BAD_PARAMETER, "schema.rule must be an object")
    try:
        jsonschema.Draft4Validator.check_schema(rule)
    except jsonschema.SchemaError as exc:
        raise ArangoError(VALIDATION_BAD_PARAMETER, f"schema.rule: {exc.message}") from None
    level = value.get("level", "strict")
    if level not in _LEVELS:
        raise ArangoError(VALIDATION_BAD_PARAMETER, f"schema.level must be one of {', '.join(_LEVELS)}")
    message = value.get("message", _DEFAULT_MESSAGE)
    if type(message) is not str:
        raise ArangoError(VALIDATION_BAD_PARAMETER, "schema.message must be a string")
    if value.get("type", "json") != "json":
        raise ArangoError(VALIDATION_BAD_PARAMETER, "schema.type must be 'json'")
    return {"rule": rule, "level": level, "message": message, "type": "json"}


class Schema:
    """A collection's compiled schema."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.level: str = spec["level"]
        self.message: str = spec["message"]
        self._validator = jsonschema.Draft4Validator(spec["rule"])

    def _valid(self, doc: dict[str, Any]) -> bool:
        return bool(self._validator.is_valid({k: v for k, v in doc.items() if k not in SYSTEM_ATTRIBUTES}))

    def check(self, op: str, new: dict[str, Any], old: dict[str, Any] | None) -> None:
        """Refuse ``new`` (1620) when this write must be validated and the document fails."""
        level = self.level
        if level == "none" or (level == "new" and op != "insert"):
            return
        if self._valid(new):
            return
        if level == "moderate" and op != "insert" and old is not None and not self._valid(old):
            return  # moderate: a document that was invalid before may stay invalid
        raise ArangoError(VALIDATION_FAILED, message=self.message)
