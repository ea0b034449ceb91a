"""Collection ``computedValues``: attributes computed by AQL expressions on every write.

Each entry is ``{"name", "expression", "overwrite", "computeOn", "keepNull", "failOnWarning"}``
as ArangoDB documents it. ``expression`` is an AQL query of the form ``RETURN <expr>``, compiled
once by arangolite's AQL compiler; the document being written is its only bind parameter,
``@doc``, and it may not read collections. On the operations listed in ``computeOn`` (default:
insert, update and replace) the value is set on the document before it is stored (and before
schema validation). With ``overwrite: false`` an attribute the document already has is kept.
A ``null`` result leaves the attribute out when ``keepNull`` is false. A warning raised by the
expression fails the write with that warning's error when ``failOnWarning`` is true, else the
value becomes ``null``.
"""

from __future__ import annotations

from typing import Any

from arangolite import errors
from arangolite.aql.executor import Plan, plan_for
from arangolite.aql.runtime import Runtime
from arangolite.errors import BAD_PARAMETER, ArangoError
from arangolite.storage.docs import SYSTEM_ATTRIBUTES

__all__ = ["ComputedValue", "normalize_computed_values"]

_OPS = ("insert", "update", "replace")


def _bad(message: str) -> ArangoError:
    return ArangoError(BAD_PARAMETER, f"invalid computed value: {message}")


def _compile(expression: str) -> Plan:
    if not expression.lstrip().upper().startswith("RETURN"):
        raise _bad("expression must start with RETURN")
    try:
        plan = plan_for(expression)
    except ArangoError as exc:
        raise _bad(f"cannot parse expression: {exc.message}") from None
    compiled = plan.compiled
    if compiled.collections or compiled.has_writes or any(
        f.collection_args or f.name in ("DOCUMENT", "COLLECTION_COUNT") for f in compiled.functions
    ):
        raise _bad("expression must not access collections")
    if compiled.bind_names - {"doc"}:
        raise _bad("expression may only use the bind parameter @doc")
    return plan


def normalize_computed_values(value: Any) -> list[dict[str, Any]] | None:
    """The stored form of a ``computedValues`` property (None: none); error 10 when malformed."""
    if value is None or value == []:
        return None
    if type(value) is not list:
        raise _bad("computedValues must be an array")
    out: list[dict[str, Any]] = []
    for entry in value:
        if type(entry) is not dict:
            raise _bad("each entry must be an object")
        name, expression = entry.get("name"), entry.get("expression")
        if type(name) is not str or not name or name in SYSTEM_ATTRIBUTES:
            raise _bad("name must be a non-system attribute name")
        if any(e["name"] == name for e in out):
            raise _bad(f"duplicate name '{name}'")
        if type(expression) is not str:
            raise _bad("expression must be a string")
        _compile(expression)
        compute_on = entry.get("computeOn", list(_OPS))
        if type(compute_on) is not list or not compute_on or any(o not in _OPS for o in compute_on):
            raise _bad("computeOn must list insert, update or replace")
        flags = {}
        for flag, default in (("overwrite", None), ("keepNull", True), ("failOnWarning", False)):
            flags[flag] = entry.get(flag, default)
            if type(flags[flag]) is not bool:
                raise _bad(f"{flag} must be a boolean")
        out.append({"name": name, "expression": expression, "computeOn": compute_on,
                    "overwrite": flags["overwrite"], "failOnWarning": flags["failOnWarning"],
                    "keepNull": flags["keepNull"]})
    return out


class ComputedValue:
    """One compiled computed value."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.name: str = spec["name"]
        self.plan = _compile(spec["expression"])
        self.compute_on = frozenset(spec["computeOn"])
        self.overwrite: bool = spec["overwrite"]
        self.keep_null: bool = spec["keepNull"]
        self.fail_on_warning: bool = spec["failOnWarning"]

    def apply(self, op: str, doc: dict[str, Any], trx: Any) -> None:
        """Set the value on ``doc`` (in place) when ``op`` computes it."""
        if op not in self.compute_on or (not self.overwrite and self.name in doc):
            return
        rt = Runtime(trx)
        rows = self.plan.run(rt, {"doc": doc})
        value = rows[0] if rows else None
        if rt.warnings:
            if self.fail_on_warning:
                warning = rt.warnings[0]
                code = errors.catalogue().get(warning["code"], errors.FAILED)
                raise ArangoError(code, message=warning["message"])
            value = None
        if value is None and not self.keep_null:
            doc.pop(self.name, None)
        else:
            doc[self.name] = value
