"""``POST /_api/import``: bulk import of JSON documents (lines, arrays) and tabular JSON rows."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

from arangolite import strict_json
from arangolite.errors import (
    BAD_PARAMETER,
    COLLECTION_PARAMETER_MISSING,
    CONFLICT,
    HTTP_BAD_PARAMETER,
    UNIQUE_CONSTRAINT_VIOLATED,
    ArangoError,
    catalogue,
)
from arangolite.rest.doc_common import batch_keys, handing_over, write_transaction
from arangolite.rest.http import Context, Request, Response
from arangolite.rest.router import Router
from arangolite.storage.handle import TrxCollection

__all__ = ["register"]

_SHORT = {UNIQUE_CONSTRAINT_VIOLATED.num: "unique constraint violated"}
_ON_DUPLICATE = {"error": None, "update": "update", "replace": "replace", "ignore": "ignore"}


@dataclass
class Tally:
    created: int = 0
    errors: int = 0
    empty: int = 0
    updated: int = 0
    ignored: int = 0
    details: list[str] = field(default_factory=list)

    def body(self, with_details: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "error": False,
            "created": self.created,
            "errors": self.errors,
            "empty": self.empty,
            "updated": self.updated,
            "ignored": self.ignored,
        }
        if with_details:
            out["details"] = self.details
        return out


def _loads(text: str) -> Any:
    return strict_json.loads(text)


def _parse_lines(body: str) -> list[tuple[int, Any]]:
    out: list[tuple[int, Any]] = []
    for pos, line in enumerate(body.split("\n")):
        out.append((pos, _loads(line) if line.strip() else None))
    if out and out[-1][1] is None and not body.split("\n")[-1].strip():
        out.pop()
    return out


def _parse_array(request: Request) -> list[tuple[int, Any]]:
    value = request.json()
    if not isinstance(value, list):
        raise ArangoError(HTTP_BAD_PARAMETER, message="expecting a JSON array in the request")
    return list(enumerate(value, 1))


def _parse_tabular(body: str) -> list[tuple[int, Any]]:
    lines = body.split("\n")
    header = _loads(lines[0]) if lines and lines[0].strip() else None
    if not isinstance(header, list) or not all(isinstance(h, str) for h in header):
        raise ArangoError(HTTP_BAD_PARAMETER, message="no JSON array found in second line")
    out: list[tuple[int, Any]] = []
    last = len(lines) - 1
    for pos, line in enumerate(lines[1:], start=1):
        if not line.strip():
            if pos != last:
                out.append((pos, None))
            continue
        row = _loads(line)
        if not isinstance(row, list):
            raise ArangoError(HTTP_BAD_PARAMETER, message="no JSON array found in second line")
        if len(row) != len(header):
            out.append((pos, ("wrong number of values", row)))
            continue
        out.append((pos, {k: v for k, v in zip(header, row, strict=True) if v is not None}))
    return out


def _documents(request: Request) -> list[tuple[int, Any]]:
    """The body's documents with their positions, as :func:`parse_ahead` left them or parsed
    now (the same parse, and the same errors)."""
    if request.ahead is not None:
        return request.ahead  # type: ignore[no-any-return]
    kind = request.params.get("type")
    body = request.body
    if kind == "documents":
        return _parse_lines(body)
    if kind in ("array", "list"):
        return _parse_array(request)
    if kind == "auto":
        return _parse_array(request) if body.lstrip().startswith("[") else _parse_lines(body)
    if kind in (None, ""):
        return _parse_tabular(body)
    raise ArangoError(BAD_PARAMETER, "invalid value for 'type'")


def parse_ahead(request: Request) -> None:
    """A big import's documents parsed before the engine lock is taken (the router calls it
    for a big body): JSON lines and tabular rows as well as an array, each line costing what
    it costs under the lock otherwise. A body that does not parse is left to the handler,
    which parses it again and answers its error after the checks that come first."""
    with contextlib.suppress(ArangoError, RecursionError, ValueError, MemoryError):
        request.ahead = _documents(request)


def _offending(doc: Any) -> str:
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


def _prefix(doc: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
    for attr, name in (("_from", "fromPrefix"), ("_to", "toPrefix")):
        prefix = params.get(name)
        value = doc.get(attr)
        if prefix and isinstance(value, str) and "/" not in value:
            doc = {**doc, attr: f"{prefix.rstrip('/')}/{value}"}
    return doc


def _import_one(handle: TrxCollection, doc: Any, mode: str | None, tally: Tally) -> str | None:
    """Import one document; return an error text (None on success)."""
    if isinstance(doc, tuple):
        return f"{doc[0]}, offending document: {_offending(doc[1])}"
    if not isinstance(doc, dict):
        return f"invalid JSON type (expecting object, got {type(doc).__name__}), offending document: {_offending(doc)}"
    if handle.is_edge and not (
        isinstance(doc.get("_from"), str) and isinstance(doc.get("_to"), str)
    ):
        return f"missing '_from' or '_to' attribute, offending document: {_offending(doc)}"
    key = doc.get("_key")
    exists = mode is not None and isinstance(key, str) and handle.get(key) is not None
    if exists and mode == "ignore":
        tally.ignored += 1
        return None
    try:
        handle.insert(doc, overwrite_mode=mode)
    except ArangoError as exc:
        text = _SHORT.get(exc.error_num, exc.message)
        return (
            f"creating document failed with error '{text}', offending document: {_offending(doc)}"
        )
    if exists:
        tally.updated += 1
    else:
        tally.created += 1
    return None


def import_documents(ctx: Context) -> Response:
    params = ctx.request.params
    name = params.get("collection")
    if not name:
        raise ArangoError(COLLECTION_PARAMETER_MISSING)
    coll = ctx.db.get_collection(name)
    on_dup = params.get("onDuplicate", "error")
    if on_dup not in _ON_DUPLICATE:
        raise ArangoError(BAD_PARAMETER, "invalid value for 'onDuplicate'")
    complete = ctx.request.flag("complete")
    docs = _documents(ctx.request)
    tally = Tally()
    prefixed = bool(params.get("fromPrefix") or params.get("toPrefix"))
    with write_transaction(ctx, coll.name) as trx:
        handle = trx.collection(coll.name)
        if ctx.request.flag("overwrite"):
            handle.truncate()
        else:
            handle.prefetch(batch_keys([doc for _, doc in docs]))
        for pos, doc in handing_over(ctx, trx, coll.name)(docs):
            if doc is None:
                tally.empty += 1
                continue
            if prefixed and isinstance(doc, dict):
                doc = _prefix(doc, params)
            problem = _import_one(handle, doc, _ON_DUPLICATE[on_dup], tally)
            if problem is not None:
                if complete:
                    raise _complete_error(problem)
                tally.errors += 1
                tally.details.append(f"at position {pos}: {problem}")
    return Response(201, tally.body(ctx.request.flag("details")))


def _complete_error(problem: str) -> ArangoError:
    if problem.startswith("creating document failed with error 'unique constraint violated'"):
        return ArangoError(UNIQUE_CONSTRAINT_VIOLATED, message="unique constraint violated")
    if problem.startswith("creating document failed with error 'write-write conflict"):
        # a key another request wrote while the import ran (in a gap: ``handing_over``)
        return ArangoError(CONFLICT, message=problem)
    return ArangoError(catalogue()[400], message=problem)


def register(router: Router) -> None:
    router.add("POST", "/_api/import", import_documents, ahead=parse_ahead, in_stream=True)
