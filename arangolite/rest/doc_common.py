"""Shared pieces of the document endpoints: options, transactions, result shapes, precondition."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from arangolite.aql import turns
from arangolite.errors import (
    BAD_PARAMETER,
    CONFLICT,
    DATA_SOURCE_NOT_FOUND,
    DOCUMENT_HANDLE_BAD,
    ArangoError,
)
from arangolite.rest.http import Context, Request, Response
from arangolite.storage.transactions import Transaction

__all__ = [
    "Options", "batch_keys", "batch_response", "handing_over", "meta", "write_transaction",
]

Document = dict[str, Any]
_MODES = ("conflict", "ignore", "replace", "update")


@dataclass
class Options:
    """Query parameters of the document write endpoints."""

    wait_for_sync: bool
    return_new: bool
    return_old: bool
    silent: bool
    keep_null: bool
    merge_objects: bool
    ignore_revs: bool
    overwrite_mode: str | None
    version_attribute: str | None
    validate: bool = True  # false with ``skipDocumentValidation=true``: no schema check

    @classmethod
    def parse(cls, req: Request, coll_sync: bool = False) -> Options:
        mode = req.params.get("overwriteMode")
        if mode is not None and mode not in _MODES:
            raise ArangoError(BAD_PARAMETER, "invalid overwriteMode")
        if mode is None and req.flag("overwrite"):
            mode = "replace"
        return cls(
            wait_for_sync=req.flag("waitForSync") or coll_sync,
            return_new=req.flag("returnNew"),
            return_old=req.flag("returnOld"),
            silent=req.flag("silent"),
            keep_null=req.flag("keepNull", True),
            merge_objects=req.flag("mergeObjects", True),
            ignore_revs=req.flag("ignoreRevs", True),
            overwrite_mode=mode,
            version_attribute=req.params.get("versionAttribute") or None,
            validate=not req.flag("skipDocumentValidation"),
        )


@contextlib.contextmanager
def write_transaction(ctx: Context, coll: str) -> Iterator[Transaction]:
    """The request's stream transaction, or a new one committed on success.

    ``waitForSync=true`` on the request makes the commit fsync (see ``Store.commit``).
    """
    if ctx.trx is not None:
        ctx.trx.check_write(ctx.db.get_collection(coll).name)
        if ctx.request.flag("waitForSync"):
            ctx.trx.wait_for_sync = True
        yield ctx.trx
        return
    trx = ctx.db.begin()
    trx.wait_for_sync = ctx.request.flag("waitForSync")
    try:
        yield trx
    except BaseException:
        trx.abort()
        raise
    trx.commit()


def handing_over(
    ctx: Context, trx: Transaction, coll: str
) -> Callable[[Iterable[Any]], Iterable[Any]]:
    """``over(items)``: the items of a batch write (an import, an array of documents) with a
    safe point every ``aql.turns.ROWS`` items, at which the request hands the engine lock to
    requests waiting for it once it has held it for a while, as a query that writes does
    between rows (``aql.turns``). The batch runs in a transaction of its own (or in a stream
    transaction whose lease its request holds alone): its writes stay in its overlay, their keys
    locked, until it commits, so a write of one of them in a gap gets 1200, and its own write of
    a key another request changed in a gap gets 1200 (that item fails, as any other item
    error). Its collection dropped in a gap stops it with 1203 (nothing of it is kept)."""
    if ctx.trx is not None and not trx.held_alone:
        return turns.no_turns  # other requests of its stream transaction could run in a gap
    handle = trx.collection(coll)

    def check() -> None:
        if handle.coll.dropped:
            raise ArangoError(DATA_SOURCE_NOT_FOUND, coll)

    return turns.turns_under(ctx.engine.lock, ctx.trx, check)


@contextlib.contextmanager
def read_transaction(ctx: Context) -> Iterator[Transaction]:
    """The request's stream transaction, or a throw-away one."""
    if ctx.trx is not None:
        yield ctx.trx
        return
    trx = ctx.db.begin()
    try:
        yield trx
    finally:
        trx.abort()


def meta(doc: Document) -> Document:
    """``{_id, _key, _rev}`` of a document."""
    return {"_id": doc["_id"], "_key": doc["_key"], "_rev": doc["_rev"]}


def write_result(old: Document | None, new: Document | None, opts: Options) -> Document:
    """The per-document result of a write: metadata, ``_oldRev``, ``new``/``old`` as asked."""
    base = new if new is not None else old
    assert base is not None
    out = meta(base)
    kept = opts.overwrite_mode == "ignore" and old is not None and new is not None and old["_rev"] == new["_rev"]
    if kept:  # the existing document was kept: no old/new, as ArangoDB answers
        return out
    if new is not None and old is not None and new is not old:
        out["_oldRev"] = old["_rev"]
    if opts.return_new and new is not None:
        out["new"] = new
    if opts.return_old and old is not None:
        out["old"] = old
    return out


def item_error(exc: ArangoError) -> Document:
    """A failed item of a batch request."""
    return {"error": True, "errorNum": exc.error_num, "errorMessage": exc.message}


def batch_response(results: list[Document], status: int, silent: bool = False) -> Response:
    """A batch answer with ``X-Arango-Error-Codes`` counting the failed items."""
    counts: dict[str, int] = {}
    for item in results:
        if item.get("error") is True:
            num = str(item["errorNum"])
            counts[num] = counts.get(num, 0) + 1
    headers = {"x-arango-error-codes": json.dumps(counts, separators=(",", ":"))} if counts else {}
    body = [r for r in results if r.get("error") is True] if silent else results
    return Response(status, body, headers)


def rev_conflict(doc: Document | None = None) -> ArangoError:
    """1200 for a revision mismatch."""
    del doc
    return ArangoError(CONFLICT, message="conflict, _rev values do not match")


def precondition_failed(current: Document) -> Response:
    """HTTP 412 for a failed ``If-Match`` / ``_rev`` check on a single document."""
    body = {
        "error": True,
        "code": 412,
        "errorNum": 1200,
        "errorMessage": "conflict, _rev values do not match",
        **meta(current),
    }
    return Response(412, body, {"etag": f'"{current["_rev"]}"'})


def unquote_rev(value: str | None) -> str | None:
    """An ``If-Match``/``If-None-Match`` header value without its quotes."""
    if value is None:
        return None
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return value or None


def key_of(item: Any, coll: str) -> str:
    """The key named by a batch item: a key, an ``_id`` string, or an object with ``_key``/``_id``."""
    if isinstance(item, dict):
        if "_key" in item:
            value = item["_key"]
        elif isinstance(item.get("_id"), str):
            value = item["_id"]
        else:
            raise ArangoError(DOCUMENT_HANDLE_BAD, message="illegal document identifier")
    else:
        value = item
    if not isinstance(value, str) or not value:
        raise ArangoError(DOCUMENT_HANDLE_BAD, message="illegal document identifier")
    return value.rpartition("/")[2] if "/" in value else value


def version_blocks(old: Document | None, body: Document, attribute: str | None) -> bool:
    """True when ``versionAttribute`` says the write must be skipped (not newer than stored)."""
    if attribute is None or old is None:
        return False
    current, proposed = old.get(attribute), body.get(attribute)
    if not (_is_number(proposed) and _is_number(current)):
        return False
    return cast(float, proposed) <= cast(float, current)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def batch_keys(items: list[Any]) -> list[str]:
    """The keys a batch names (documents' ``_key``, or plain key strings)."""
    keys = []
    for item in items:
        key = item.get("_key") if isinstance(item, dict) else item
        if isinstance(key, str):
            keys.append(key)
    return keys
