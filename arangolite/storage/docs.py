"""Building stored documents: system attributes, edge checks, update merging.

Stored documents are plain dicts that are never mutated after they are stored; every write builds a
new dict with the system attributes first (``_key``, ``_id``, ``_from``, ``_to``, ``_rev``), the
way ArangoDB returns them.
"""

from __future__ import annotations

from typing import Any

from arangolite.errors import DOCUMENT_TYPE_INVALID, INVALID_EDGE_ATTRIBUTE, ArangoError
from arangolite.storage.keys import is_valid_key

__all__ = ["SYSTEM_ATTRIBUTES", "build", "check_object", "merge_patch", "resolve_path"]

Document = dict[str, Any]
SYSTEM_ATTRIBUTES = frozenset(("_key", "_id", "_rev", "_from", "_to"))
_SET_HERE = SYSTEM_ATTRIBUTES - {"_key"}  # attributes :func:`build` sets or drops from a body


def check_object(body: Any) -> Document:
    """Return ``body`` when it is a JSON object, else raise 1227."""
    if type(body) is not dict:
        raise ArangoError(DOCUMENT_TYPE_INVALID)
    return body


def _check_handle(value: Any) -> str:
    if type(value) is not str:
        raise ArangoError(INVALID_EDGE_ATTRIBUTE)
    coll, sep, key = value.partition("/")
    if not sep or not coll or not is_valid_key(key):
        raise ArangoError(INVALID_EDGE_ATTRIBUTE)
    return value


def build(
    coll: str, key: str, rev: str, body: Document, *, is_edge: bool, base: Document | None = None
) -> Document:
    """A new stored document from user attributes.

    ``base`` (an old document) supplies ``_from``/``_to`` when ``body`` lacks them (updates).
    """
    if not is_edge and _SET_HERE.isdisjoint(body):  # the common case, in C
        doc = {"_key": key, "_id": coll + "/" + key, "_rev": rev, **body}
        doc["_key"] = key  # (a ``_key`` in ``body`` is the same key, or one to ignore)
        return doc
    doc = {"_key": key, "_id": f"{coll}/{key}"}
    if is_edge:
        src = body if "_from" in body or base is None else base
        dst = body if "_to" in body or base is None else base
        doc["_from"] = _check_handle(src.get("_from"))
        doc["_to"] = _check_handle(dst.get("_to"))
    doc["_rev"] = rev
    for name, value in body.items():
        if name not in SYSTEM_ATTRIBUTES:
            doc[name] = value
    return doc


def _strip_nulls(value: Any) -> Any:
    if type(value) is dict:
        return {k: _strip_nulls(v) for k, v in value.items() if v is not None}
    return value


def merge_patch(
    old: Document, patch: Document, *, keep_null: bool, merge_objects: bool
) -> Document:
    """The user attributes of ``old`` updated with ``patch`` (ArangoDB's UPDATE semantics)."""
    out = {k: v for k, v in old.items() if k not in SYSTEM_ATTRIBUTES}
    body = {k: v for k, v in patch.items() if k not in SYSTEM_ATTRIBUTES}
    return _merge(out, body, keep_null, merge_objects)


def _merge(out: Document, patch: Document, keep_null: bool, merge_objects: bool) -> Document:
    for name, value in patch.items():
        if value is None and not keep_null:
            out.pop(name, None)
            continue
        current = out.get(name)
        if merge_objects and type(value) is dict and type(current) is dict:
            out[name] = _merge(dict(current), value, keep_null, True)
        elif not keep_null:
            out[name] = _strip_nulls(value)
        else:
            out[name] = value
    return out


def resolve_path(doc: Any, path: str) -> Any:
    """The value at an attribute path like ``"a.b.c"`` (None when missing)."""
    if "." not in path:
        return doc.get(path) if type(doc) is dict else None
    value = doc
    for part in path.split("."):
        if type(value) is not dict:
            return None
        value = value.get(part)
    return value
