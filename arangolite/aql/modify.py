"""INSERT, UPDATE, REPLACE, REMOVE and UPSERT as compiled queries run them.

Each returns ``(OLD, NEW)`` for the generated code, or None when ``ignoreErrors`` swallowed a
failure. Writes go through the query's transaction, so a failing query leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from arangolite import errors
from arangolite.aql.values import to_bool
from arangolite.errors import ArangoError
from arangolite.storage.api import CollectionHandle

Pair = tuple[dict[str, Any] | None, dict[str, Any] | None]
_SYSTEM = ("_key", "_id", "_rev")


def _key_of(value: Any) -> str:
    """Key from a key string, an ``_id`` string or a document with ``_key``/``_id``."""
    if type(value) is dict:
        if type(value.get("_key")) is str:
            return str(value["_key"])
        value = value.get("_id")
        if value is None:
            raise ArangoError(errors.DOCUMENT_KEY_BAD)
    if type(value) is not str:
        raise ArangoError(errors.DOCUMENT_KEY_BAD)
    return value.split("/", 1)[1] if "/" in value else value


def _validate(options: dict[str, Any]) -> bool:
    """False when ``OPTIONS { skipDocumentValidation: true }`` skips the collection's schema."""
    return not to_bool(options.get("skipDocumentValidation"))


def _body(doc: Any) -> dict[str, Any]:
    if type(doc) is not dict:
        raise ArangoError(errors.DOCUMENT_TYPE_INVALID)
    if any(k in doc for k in _SYSTEM):
        return {k: v for k, v in doc.items() if k not in _SYSTEM}
    return doc


class ModifyMixin:
    """Data-modification helpers of ``Runtime``."""

    stats: dict[str, int]

    def handle(self, name: str) -> CollectionHandle:  # pragma: no cover - provided by Runtime
        raise NotImplementedError

    def _write(self, opts: Any, action: Callable[[], Pair]) -> Pair | None:
        options = opts or {}
        try:
            result = action()
        except ArangoError:
            if options.get("ignoreErrors"):
                self.stats["writesIgnored"] += 1
                return None
            raise
        self.stats["writesExecuted"] += 1
        return result

    def insert(self, name: str, doc: Any, opts: Any) -> Pair | None:
        """``INSERT doc INTO name``."""
        options = opts or {}
        if type(doc) is not dict:
            raise ArangoError(errors.DOCUMENT_TYPE_INVALID)
        mode: Any = options.get("overwriteMode") or ("replace" if options.get("overwrite") else None)
        handle = self.handle(name)
        return self._write(
            options,
            lambda: handle.insert(
                doc,
                overwrite_mode=mode,
                keep_null=options.get("keepNull", True),
                merge_objects=options.get("mergeObjects", True),
                validate=_validate(options),
            ),
        )

    def _rev(self, key_expr: Any, doc: Any, options: dict[str, Any]) -> str | None:
        if options.get("ignoreRevs", True):
            return None
        for source in (doc, key_expr):
            if type(source) is dict and type(source.get("_rev")) is str:
                return str(source["_rev"])
        return None

    def update(self, name: str, key: Any, doc: Any, opts: Any) -> Pair | None:
        """``UPDATE [key WITH] doc IN name``."""
        options = opts or {}
        target = _key_of(doc if key is None else key)
        handle = self.handle(name)
        rev = self._rev(key, doc, options)
        return self._write(
            options,
            lambda: handle.update(
                target,
                _body(doc),
                keep_null=options.get("keepNull", True),
                merge_objects=options.get("mergeObjects", True),
                rev=rev,
                validate=_validate(options),
            ),
        )

    def replace(self, name: str, key: Any, doc: Any, opts: Any) -> Pair | None:
        """``REPLACE [key WITH] doc IN name``."""
        options = opts or {}
        target = _key_of(doc if key is None else key)
        handle = self.handle(name)
        rev = self._rev(key, doc, options)
        validate = _validate(options)
        return self._write(
            options, lambda: handle.replace(target, _body(doc), rev=rev, validate=validate)
        )

    def remove(self, name: str, key: Any, opts: Any) -> Pair | None:
        """``REMOVE key IN name``."""
        options = opts or {}
        target = _key_of(key)
        handle = self.handle(name)
        rev = self._rev(key, None, options)
        return self._write(options, lambda: (handle.remove(target, rev=rev), None))

    def _find(self, handle: CollectionHandle, search: dict[str, Any]) -> dict[str, Any] | None:
        from arangolite.aql.operators import eq

        fields = tuple(search)
        values = tuple(search.values())
        candidates = handle.lookup(fields, values) if fields else None
        if candidates is None:
            candidates = handle.all()
        for doc in candidates:
            if all(eq(doc.get(f), v) for f, v in zip(fields, values, strict=True)):
                return doc
        return None

    def upsert(
        self,
        name: str,
        search: Any,
        make_insert: Callable[[], Any],
        make_update: Callable[[Any], Any],
        replace: bool,
        opts: Any,
    ) -> Pair | None:
        """``UPSERT search INSERT i UPDATE|REPLACE u IN name``."""
        options = opts or {}
        if type(search) is not dict:
            raise ArangoError(errors.DOCUMENT_TYPE_INVALID)
        handle = self.handle(name)
        found = self._find(handle, search)
        if found is None:
            return self.insert(name, make_insert(), options)
        change = make_update(found)
        if replace:
            return self.replace(name, found["_key"], change, options)
        return self.update(name, found["_key"], change, options)
