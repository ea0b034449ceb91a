"""``/_api/aqlfunction``: registering user-defined AQL functions, as ArangoDB keeps them.

Functions are kept per database in its ``_aqlfunctions`` system collection (``_key`` is the upper
case name with ``::`` as ``:``), with ArangoDB's checks: the name needs a namespace
(``ns::name``, letters, digits and ``_``; else 1580) and the code must be one JavaScript function
expression (checked with the ``esprima`` parser; else 1581). Listing filters by ``namespace``,
deleting takes a name or, with ``group=true``, a namespace (1582 when nothing matched).

arangolite has no JavaScript engine, so it cannot *call* a registered function: a query naming
one fails with 1540 (unknown function), never with a made-up result.
"""

from __future__ import annotations

import re
from typing import Any

from arangolite.errors import (
    QUERY_FUNCTION_INVALID_CODE,
    QUERY_FUNCTION_INVALID_NAME,
    QUERY_FUNCTION_NOT_FOUND,
    ArangoError,
)
from arangolite.rest import system_docs
from arangolite.rest.http import Context, Response, ok, require_object
from arangolite.rest.router import Router
from arangolite.storage.database import Database

__all__ = ["register"]

_COLLECTION = "_aqlfunctions"
_NAME = re.compile(r"^[A-Za-z0-9_]+(::[A-Za-z0-9_]+)+$")


def _key(name: str) -> str:
    return name.upper().replace("::", ":")


def _check_code(code: Any) -> str:
    """The code when it is one JavaScript function expression (1581 otherwise)."""
    if not isinstance(code, str) or not code.strip():
        raise ArangoError(QUERY_FUNCTION_INVALID_CODE)
    import esprima  # half a second to import: paid by the first registration, not by every start-up

    try:
        program = esprima.parseScript(f"({code}\n)")
    except Exception as exc:  # esprima raises its own Error for any syntax error
        raise ArangoError(QUERY_FUNCTION_INVALID_CODE, message=f"invalid user function code: {exc}") from None
    body = program.body
    if len(body) != 1 or getattr(body[0], "expression", None) is None or body[0].expression.type not in (
        "FunctionExpression", "ArrowFunctionExpression"
    ):
        raise ArangoError(QUERY_FUNCTION_INVALID_CODE, message="invalid user function code: not a function")
    return code


def _all(db: Database) -> list[dict[str, Any]]:
    return list(system_docs.read_all(db, _COLLECTION).values())


def list_functions(ctx: Context) -> Response:
    """``GET /_api/aqlfunction[?namespace=ns]``."""
    namespace = ctx.request.params.get("namespace") or ""
    prefix = namespace.upper() + "::" if namespace else ""
    result = [
        {"name": d["name"], "code": d["code"], "isDeterministic": d["isDeterministic"]}
        for d in sorted(_all(ctx.db), key=lambda d: d["name"])
        if d["name"].upper().startswith(prefix)
    ]
    return ok({"result": result})


def create_function(ctx: Context) -> Response:
    """``POST /_api/aqlfunction``: 201 for a new function, 200 when it replaced one."""
    body = require_object(ctx.request.json(default={}))
    name = body.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ArangoError(QUERY_FUNCTION_INVALID_NAME)
    code = _check_code(body.get("code"))
    key = _key(name)
    existed = any(d["_key"] == key for d in _all(ctx.db))
    doc = {"_key": key, "name": name, "code": code,
           "isDeterministic": bool(body.get("isDeterministic", False))}
    system_docs.write(ctx.db, _COLLECTION, doc)
    return ok({"isNewlyCreated": not existed}, 200 if existed else 201)


def delete_function(ctx: Context, name: str) -> Response:
    """``DELETE /_api/aqlfunction/{name}[?group=true]``."""
    group = ctx.request.flag("group")
    wanted = name.upper()
    keys = [
        d["_key"] for d in _all(ctx.db)
        if (d["name"].upper().startswith(wanted + "::") if group else d["name"].upper() == wanted)
    ]
    if not keys:
        raise ArangoError(QUERY_FUNCTION_NOT_FOUND, name)
    system_docs.write(ctx.db, _COLLECTION, remove=keys)
    return ok({"deletedCount": len(keys)})


def register(router: Router) -> None:
    router.add("GET", "/_api/aqlfunction", list_functions)
    router.add("POST", "/_api/aqlfunction", create_function)
    router.add("DELETE", "/_api/aqlfunction/{name}", delete_function)
