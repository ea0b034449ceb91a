"""``/_api/analyzer``: defining, listing and deleting Analyzers, as ArangoDB keeps them.

Custom Analyzers are kept per database in its ``_analyzers`` system collection (``_key``: the
name without the database prefix) and listed with the built-in ones of
:mod:`arangolite.functions.analyzers` (``identity``, ``text_<lang>``). A name given without
``::`` belongs to the request's database (``db::name`` in answers); a name may use letters,
digits, ``_`` and ``-`` (400 otherwise). Defining an existing name again answers 200 when the
definition is the same and 409 (1207) when it differs; a missing Analyzer is 404 (1202).

``properties`` are checked to be an object and kept as given: arangolite does not fill in
ArangoDB's defaults for each type. Which types TOKENS can run is said in
:mod:`arangolite.functions.analyzer_runs`; the enterprise types are refused with 501.
"""

from __future__ import annotations

import re
from typing import Any

from arangolite.errors import (
    BAD_PARAMETER,
    DOCUMENT_NOT_FOUND,
    DUPLICATE_NAME,
    NOT_IMPLEMENTED,
    ArangoError,
)
from arangolite.functions.analyzers import builtin_names, builtin_properties
from arangolite.rest import system_docs
from arangolite.rest.http import Context, Response, ok, require_object
from arangolite.rest.router import Router
from arangolite.storage.database import Database

__all__ = ["register"]

_COLLECTION = "_analyzers"
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,254}$")
_TYPES = (
    "identity", "delimiter", "multi_delimiter", "stem", "norm", "ngram", "text", "aql",
    "pipeline", "stopwords", "collation", "segmentation", "minhash", "wildcard", "geojson",
    "geopoint",
)
_ENTERPRISE = ("classification", "nearest_neighbors", "geo_s2")
_FEATURES = ("frequency", "norm", "position", "offset")


def _short(ctx: Context, name: str) -> str:
    """The name within the request's database (``db::name`` and ``::name`` accepted)."""
    if "::" in name:
        prefix, _, rest = name.partition("::")
        if prefix not in ("", ctx.db.name):
            raise ArangoError(BAD_PARAMETER, f"Analyzer '{name}' belongs to another database")
        name = rest
    return name


def _builtin(name: str) -> dict[str, Any]:
    identity = name == "identity"
    return {"name": name, "type": "identity" if identity else "text",
            "properties": builtin_properties(name),
            "features": ["frequency", "norm"] if identity else ["frequency", "norm", "position"]}


def _stored(db: Database) -> dict[str, dict[str, Any]]:
    return system_docs.read_all(db, _COLLECTION)


def _public(db: Database, doc: dict[str, Any]) -> dict[str, Any]:
    return {"name": f"{db.name}::{doc['_key']}", "type": doc["type"],
            "properties": doc["properties"], "features": doc["features"]}


def list_analyzers(ctx: Context) -> Response:
    result = [_builtin(n) for n in builtin_names()]
    result.extend(_public(ctx.db, d) for _, d in sorted(_stored(ctx.db).items()))
    return ok({"result": result})


def get_analyzer(ctx: Context, name: str) -> Response:
    short = _short(ctx, name)
    if short in builtin_names():
        return ok(_builtin(short))
    doc = _stored(ctx.db).get(short)
    if doc is None:
        raise ArangoError(DOCUMENT_NOT_FOUND, message=f"analyzer '{name}' not found")
    return ok(_public(ctx.db, doc))


def create_analyzer(ctx: Context) -> Response:
    body = require_object(ctx.request.json(default={}))
    name, kind = body.get("name"), body.get("type")
    if not isinstance(name, str):
        raise ArangoError(BAD_PARAMETER, "invalid characters in analyzer name")
    short = _short(ctx, name)
    if not _NAME.match(short):
        raise ArangoError(BAD_PARAMETER, f"invalid characters in analyzer name '{name}'")
    if kind in _ENTERPRISE:
        raise ArangoError(NOT_IMPLEMENTED, f"Analyzer type '{kind}' (Enterprise Edition)")
    if kind not in _TYPES:
        raise ArangoError(BAD_PARAMETER, f"unknown analyzer type '{kind}'")
    properties = body.get("properties") or {}
    features = body.get("features") or []
    if type(properties) is not dict:
        raise ArangoError(BAD_PARAMETER, "properties must be an object")
    if type(features) is not list or any(f not in _FEATURES for f in features):
        raise ArangoError(BAD_PARAMETER, f"features must be some of {', '.join(_FEATURES)}")
    doc = {"_key": short, "type": kind, "properties": properties, "features": features}
    existing = _stored(ctx.db).get(short)
    if short in builtin_names() or (existing is not None and any(
        existing[k] != doc[k] for k in ("type", "properties", "features")
    )):
        raise ArangoError(DUPLICATE_NAME, message=f"analyzer '{name}' exists with another definition")
    if existing is None:
        system_docs.write(ctx.db, _COLLECTION, doc)
    return Response(200 if existing is not None else 201, _public(ctx.db, doc))  # as arangod


def delete_analyzer(ctx: Context, name: str) -> Response:
    short = _short(ctx, name)
    if short in builtin_names():
        raise ArangoError(DUPLICATE_NAME, message="built-in analyzers cannot be deleted")  # 409
    if short not in _stored(ctx.db):
        raise ArangoError(DOCUMENT_NOT_FOUND, message=f"analyzer '{name}' not found")
    system_docs.write(ctx.db, _COLLECTION, remove=[short])
    return ok({"name": f"{ctx.db.name}::{short}"})


def register(router: Router) -> None:
    router.add("GET", "/_api/analyzer", list_analyzers)
    router.add("POST", "/_api/analyzer", create_analyzer, catalogue=True)
    router.add("GET", "/_api/analyzer/{name}", get_analyzer)
    router.add("DELETE", "/_api/analyzer/{name}", delete_analyzer, catalogue=True)
