"""Batch forms of ``/_api/document/{collection}``: arrays of documents, one result per item.

Items fail independently (``{"error": true, "errorNum", "errorMessage"}`` in the result array,
counted in ``X-Arango-Error-Codes``); the others are written in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from arangolite.aql import turns
from arangolite.errors import BAD_PARAMETER, DOCUMENT_NOT_FOUND, ArangoError
from arangolite.rest.doc_common import (
    Options,
    batch_keys,
    batch_response,
    handing_over,
    item_error,
    key_of,
    meta,
    read_transaction,
    rev_conflict,
    version_blocks,
    write_result,
    write_transaction,
)
from arangolite.rest.http import Context, Response, error_response
from arangolite.storage.docs import check_object
from arangolite.storage.handle import TrxCollection

__all__ = ["get_many", "get_many_unlocked", "got_many", "insert_many", "modify_many", "remove_many"]

Document = dict[str, Any]
Op = Callable[[TrxCollection, Any], Document]


def _run(ctx: Context, coll: str, items: list[Any], op: Op, *, write: bool) -> list[Document]:
    manager = write_transaction(ctx, coll) if write else read_transaction(ctx)
    results: list[Document] = []
    with manager as trx:
        handle = trx.collection(coll)
        over: Callable[[Iterable[Any]], Iterable[Any]] = turns.no_turns
        if write:
            handle.prefetch(batch_keys(items))
            over = handing_over(ctx, trx, coll)
        for item in over(items):
            try:
                results.append(op(handle, item))
            except ArangoError as exc:
                results.append(item_error(exc))
    return results


def _items(body: Any) -> list[Any]:
    if not isinstance(body, list):
        raise ArangoError(BAD_PARAMETER, "expecting array of documents")
    return body


def _status(opts: Options, synced: int, results: list[Document] | None = None) -> int:
    """``synced`` (200/201) after a synchronous write that did something, else 202."""
    if results is not None and all(r.get("error") is True for r in results):
        return 202
    return synced if opts.wait_for_sync else 202


def insert_many(ctx: Context, coll: str, body: list[Any], opts: Options) -> Response:
    def op(handle: TrxCollection, item: Any) -> Document:
        doc = check_object(item)
        if opts.version_attribute and opts.overwrite_mode in ("replace", "update"):
            current = handle.get(doc["_key"]) if isinstance(doc.get("_key"), str) else None
            if version_blocks(current, doc, opts.version_attribute):
                return meta(current) if current is not None else {}
        old, new = handle.insert(
            doc,
            overwrite_mode=opts.overwrite_mode,
            keep_null=opts.keep_null,
            merge_objects=opts.merge_objects,
            validate=opts.validate,
        )
        return write_result(old, new, opts)

    results = _run(ctx, coll, body, op, write=True)
    return batch_response(results, _status(opts, 201, results), opts.silent)


def get_many(ctx: Context, coll: str, body: Any, opts: Options) -> Response:
    items = _items(body)
    with read_transaction(ctx) as trx:
        return got_many(trx.collection(coll), coll, items, opts)


def get_many_unlocked(ctx: Context, coll: str) -> Response | None:
    """:func:`get_many` without the engine lock, all items read in one snapshot (see
    ``storage.lockfree.read_batch``); None when the locked path must answer (errors included)."""
    try:
        items = ctx.request.json()
        opts = Options.parse(ctx.request)
    except (ArangoError, RecursionError):
        return None
    if not isinstance(items, list):
        return None
    answered, response = ctx.engine.read_batch(
        ctx.db, coll, lambda reader: got_many(reader, coll, items, opts)
    )
    return response if answered else None


def got_many(reader: Any, coll: str, items: list[Any], opts: Options) -> Response:
    """The answer to a batch read of ``items`` from ``reader`` (``get(key)``: a transaction's
    view of the collection, or a lock-free snapshot of it)."""
    results: list[Document] = []
    for item in items:
        try:
            doc = reader.get(key_of(item, coll))
            if doc is None:
                raise ArangoError(DOCUMENT_NOT_FOUND)
            if (
                not opts.ignore_revs
                and isinstance(item, dict)
                and item.get("_rev") not in (None, doc["_rev"])
            ):
                raise rev_conflict()
            results.append(doc)
        except ArangoError as exc:
            results.append(item_error(exc))
    return batch_response(results, 200)


def _checked_current(handle: TrxCollection, item: Any, key: str, opts: Options) -> Document:
    current = handle.get(key)
    if current is None:
        raise ArangoError(DOCUMENT_NOT_FOUND)
    if not opts.ignore_revs and isinstance(item, dict):
        rev = item.get("_rev")
        if isinstance(rev, str) and rev and rev != current["_rev"]:
            raise rev_conflict()
    return current


def modify_many(ctx: Context, coll: str, body: Any, opts: Options, *, patch: bool) -> Response:
    def op(handle: TrxCollection, item: Any) -> Document:
        doc = check_object(item)
        key = key_of(doc, coll)
        current = _checked_current(handle, doc, key, opts)
        if version_blocks(current, doc, opts.version_attribute):
            return {**meta(current), "_oldRev": current["_rev"]}
        if patch:
            old, new = handle.update(
                key, doc, keep_null=opts.keep_null, merge_objects=opts.merge_objects,
                validate=opts.validate,
            )
        else:
            old, new = handle.replace(key, doc, validate=opts.validate)
        return write_result(old, new, opts)

    return _single_or_many(ctx, coll, body, op, opts, 201)


def remove_many(ctx: Context, coll: str, body: Any, opts: Options) -> Response:
    def op(handle: TrxCollection, item: Any) -> Document:
        key = key_of(item, coll)
        _checked_current(handle, item, key, opts)
        old = handle.remove(key)
        out = meta(old)
        if opts.return_old:
            out["old"] = old
        return out

    return _single_or_many(ctx, coll, body, op, opts, 200)


def _single_or_many(
    ctx: Context, coll: str, body: Any, op: Op, opts: Options, synced: int
) -> Response:
    if isinstance(body, dict):
        result = _run(ctx, coll, [body], op, write=True)[0]
        if result.get("error") is True:
            return error_response(
                ArangoError(_code(result["errorNum"]), message=result["errorMessage"])
            )
        return Response(_status(opts, synced), {} if opts.silent else result)
    results = _run(ctx, coll, _items(body), op, write=True)
    return batch_response(results, _status(opts, synced, results), opts.silent)


def _code(num: int) -> Any:
    from arangolite.errors import catalogue

    return catalogue()[num]
