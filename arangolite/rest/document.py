"""``/_api/document``: single-document create, read, replace, update, remove (and HEAD).

Reads of one document and batch reads (``onlyget``) outside a stream transaction are tried
without the engine lock first (``storage.lockfree``)."""

from __future__ import annotations

from typing import Any

from arangolite.errors import DOCUMENT_NOT_FOUND, ArangoError
from arangolite.rest import doc_batch
from arangolite.rest.doc_common import (
    Options,
    meta,
    precondition_failed,
    read_transaction,
    unquote_rev,
    version_blocks,
    write_result,
    write_transaction,
)
from arangolite.rest.http import Context, Response
from arangolite.rest.router import Router
from arangolite.storage.docs import check_object
from arangolite.storage.handle import TrxCollection

__all__ = ["register"]

Document = dict[str, Any]


def _sync(ctx: Context, coll: str) -> bool:
    return bool(ctx.db.get_collection(coll).props.get("waitForSync", False))


def _location(ctx: Context, doc: Document) -> str:
    return f"/_db/{ctx.db.name}/_api/document/{doc['_id']}"


def _write_response(ctx: Context, result: Document, opts: Options, status_ok: int) -> Response:
    headers = {"etag": f'"{result["_rev"]}"', "location": _location(ctx, result)}
    status = status_ok if opts.wait_for_sync else 202
    return Response(status, {} if opts.silent else result, headers)


def insert(ctx: Context, coll: str) -> Response:
    body = ctx.request.json()
    opts = Options.parse(ctx.request, _sync(ctx, coll))
    if isinstance(body, list):
        return doc_batch.insert_many(ctx, coll, body, opts)
    check_object(body)
    with write_transaction(ctx, coll) as trx:
        handle = trx.collection(coll)
        old, new = _insert_one(handle, body, opts)
    return _write_response(ctx, write_result(old, new, opts), opts, 201)


def _insert_one(
    handle: TrxCollection, body: Document, opts: Options
) -> tuple[Document | None, Document]:
    if opts.version_attribute and opts.overwrite_mode in ("replace", "update") and "_key" in body:
        current = handle.get(body["_key"]) if isinstance(body["_key"], str) else None
        if version_blocks(current, body, opts.version_attribute):
            assert current is not None
            return current, current
    old, new = handle.insert(
        body,
        overwrite_mode=opts.overwrite_mode,
        keep_null=opts.keep_null,
        merge_objects=opts.merge_objects,
        validate=opts.validate,
    )
    return old, new


def _expected_rev(ctx: Context, body: Any, opts: Options | None) -> str | None:
    header = unquote_rev(ctx.request.header("if-match"))
    if header is not None:
        return header
    if opts is not None and not opts.ignore_revs and isinstance(body, dict):
        rev = body.get("_rev")
        return rev if isinstance(rev, str) and rev else None
    return None


def read(ctx: Context, coll: str, key: str) -> Response:
    with read_transaction(ctx) as trx:
        doc = trx.collection(coll).get(key)
    return _read_response(ctx, doc)


def read_unlocked(ctx: Context, coll: str, key: str) -> Response | None:
    """:func:`read` without the engine lock; None when it must be served under it."""
    answered, doc = ctx.engine.read_document(ctx.db.name, coll, key)
    return _read_response(ctx, doc) if answered else None


def _read_response(ctx: Context, doc: Document | None) -> Response:
    if doc is None:
        raise ArangoError(DOCUMENT_NOT_FOUND)
    etag = {"etag": f'"{doc["_rev"]}"'}
    if_none = unquote_rev(ctx.request.header("if-none-match"))
    if if_none is not None and if_none == doc["_rev"]:
        return Response(304, None, etag)
    expected = unquote_rev(ctx.request.header("if-match"))
    if expected is not None and expected != doc["_rev"]:
        return precondition_failed(doc)
    if ctx.request.method == "HEAD":
        return Response(200, None, etag)
    return Response(200, doc, etag)


def _modify(ctx: Context, coll: str, key: str, *, patch: bool) -> Response:
    body = ctx.request.json()
    opts = Options.parse(ctx.request, _sync(ctx, coll))
    check_object(body)
    expected = _expected_rev(ctx, body, opts)
    with write_transaction(ctx, coll) as trx:
        handle = trx.collection(coll)
        current = handle.get(key)
        if current is not None and expected is not None and expected != current["_rev"]:
            return precondition_failed(current)
        if version_blocks(current, body, opts.version_attribute):
            assert current is not None
            skipped = {**meta(current), "_oldRev": current["_rev"]}
            return _write_response(ctx, skipped, opts, 201)
        if patch:
            old, new = handle.update(
                key, body, keep_null=opts.keep_null, merge_objects=opts.merge_objects,
                validate=opts.validate,
            )
        else:
            old, new = handle.replace(key, body, validate=opts.validate)
    return _write_response(ctx, write_result(old, new, opts), opts, 201)


def replace(ctx: Context, coll: str, key: str) -> Response:
    return _modify(ctx, coll, key, patch=False)


def update(ctx: Context, coll: str, key: str) -> Response:
    return _modify(ctx, coll, key, patch=True)


def remove(ctx: Context, coll: str, key: str) -> Response:
    opts = Options.parse(ctx.request, _sync(ctx, coll))
    expected = _expected_rev(ctx, None, opts)
    with write_transaction(ctx, coll) as trx:
        handle = trx.collection(coll)
        current = handle.get(key)
        if current is not None and expected is not None and expected != current["_rev"]:
            return precondition_failed(current)
        old = handle.remove(key)
    result = meta(old)
    if opts.return_old:
        result["old"] = old
    return _write_response(ctx, result, opts, 200)


def batch_put(ctx: Context, coll: str) -> Response:
    body = ctx.request.json()
    opts = Options.parse(ctx.request, _sync(ctx, coll))
    if ctx.request.flag("onlyget"):
        return doc_batch.get_many(ctx, coll, body, opts)
    return doc_batch.modify_many(ctx, coll, body, opts, patch=False)


def batch_put_unlocked(ctx: Context, coll: str) -> Response | None:
    """A batch read (``onlyget``) without the engine lock; None for the locked path."""
    return doc_batch.get_many_unlocked(ctx, coll) if ctx.request.flag("onlyget") else None


def batch_patch(ctx: Context, coll: str) -> Response:
    body = ctx.request.json()
    opts = Options.parse(ctx.request, _sync(ctx, coll))
    return doc_batch.modify_many(ctx, coll, body, opts, patch=True)


def batch_delete(ctx: Context, coll: str) -> Response:
    body = ctx.request.json()
    opts = Options.parse(ctx.request, _sync(ctx, coll))
    return doc_batch.remove_many(ctx, coll, body, opts)


def register(router: Router) -> None:
    # every document operation runs in the request's stream transaction, if it names one
    base, one = "/_api/document/{coll}", "/_api/document/{coll}/{key}"
    router.add("POST", base, insert, in_stream=True)
    router.add("PUT", base, batch_put, unlocked=batch_put_unlocked, in_stream=True)
    router.add("PATCH", base, batch_patch, in_stream=True)
    router.add("DELETE", base, batch_delete, in_stream=True)
    router.add("GET", one, read, unlocked=read_unlocked, in_stream=True)
    router.add("HEAD", one, read, unlocked=read_unlocked, in_stream=True)
    router.add("PUT", one, replace, in_stream=True)
    router.add("PATCH", one, update, in_stream=True)
    router.add("DELETE", one, remove, in_stream=True)
