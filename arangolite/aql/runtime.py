"""Per-execution state and the helpers compiled queries call.

A ``Runtime`` lives for one query execution: it holds the transaction, the collected warnings and
statistics, and implements what the generated code needs beyond plain operators (reading
collections through the planner's chosen access path, SORT/COLLECT/WINDOW over materialised rows,
array expansion). Data modification lives in ``modify.py`` and graph walks in ``graphs.py``;
both are mixed in here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from arangolite import errors
from arangolite.aql import window
from arangolite.aql.graphs import GraphMixin
from arangolite.aql.modify import ModifyMixin
from arangolite.aql.values import AqlWarning, sort_key, to_number, to_string, type_name
from arangolite.errors import ArangoError
from arangolite.storage.api import CollectionHandle, Transaction

MAX_WARNINGS = 10
# Arguments a function cannot compute with (a date beyond year 9999, an amount beyond a double):
# null and ArangoDB's "invalid argument type" warning, never an internal error.
_VALUE_ERRORS = (ArithmeticError, ValueError, UnicodeError)


def _type_mismatch(name: str) -> tuple[int, str]:
    code = errors.QUERY_FUNCTION_ARGUMENT_TYPE_MISMATCH
    return code.num, code.template % name
_NUMERIC = (int, float)


def hash_key(value: Any) -> Any:
    """A hashable stand-in for an AQL value: equal AQL values give equal keys."""
    t = type(value)
    if t is str:
        return value
    if value is None:
        return ("null",)
    if t is bool:
        return ("bool", value)
    if t is int:
        return ("num", value)
    if t is float:
        return ("num", int(value) if value.is_integer() else value)
    if t is list:
        return ("arr", tuple(hash_key(v) for v in value))
    return ("obj", tuple(sorted((k, hash_key(v)) for k, v in value.items())))


def get_path(doc: Any, path: str) -> Any:
    """Value of a dotted attribute path (``"a.b"``) in a document, or None."""
    for part in path.split("."):
        if type(doc) is not dict:
            return None
        doc = doc.get(part)
    return doc


def _column_key(rows: list[Any], column: int) -> Callable[[Any], Any]:
    kinds = {type(r[column]) for r in rows}
    if kinds == {str} or (kinds and kinds <= {int, float}):
        return lambda r: r[column]
    return lambda r: sort_key(r[column])


class Runtime(ModifyMixin, GraphMixin):
    """State of one query execution (also the ``FunctionContext`` for AQL functions)."""

    def __init__(self, trx: Transaction, *, full_count: bool = False) -> None:
        self.trx = trx
        self.warnings: list[dict[str, Any]] = []
        self.want_full_count = full_count
        self.full_count = 0
        self.stats = {"writesExecuted": 0, "writesIgnored": 0, "scannedFull": 0, "scannedIndex": 0}
        self._handles: dict[str, CollectionHandle] = {}
        self._now_ms = int(time.time() * 1000)

    # ------------------------------------------------------------------ function context

    @property
    def now_ms(self) -> int:
        """The query's start time (``DATE_NOW()`` is constant within a query)."""
        return self._now_ms

    def warn(self, code: int, message: str) -> None:
        """Record a warning (at most ``MAX_WARNINGS``, as ArangoDB's default)."""
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append({"code": code, "message": message})

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """Look a document up by ``coll/key``."""
        return self.trx.document(doc_id)

    def collection_get(self, name: str, key: str) -> dict[str, Any] | None:
        """Look a document up by collection and key (None when either is missing)."""
        try:
            return self.handle(name).get(key)
        except ArangoError:
            return None

    def index_view(self, name: str, kind: str) -> Any:
        """Collection ``name``'s first ``kind`` index with this transaction's writes, or None."""
        return self.handle(name).index_view(kind)

    def guard(self, thunk: Callable[[], Any]) -> Any:
        """Evaluate an operator that may warn: a warning becomes null."""
        try:
            return thunk()
        except AqlWarning as warning:
            self.warn(warning.code, warning.message)
            return None

    def function(self, spec: Any) -> Callable[..., Any]:
        """The callable the generated code uses for one AQL function."""
        impl = spec.impl
        warn = self.warn
        if spec.needs_context:
            ctx = self

            def call_ctx(*args: Any) -> Any:
                try:
                    return impl(ctx, *args)
                except AqlWarning as warning:
                    warn(warning.code, warning.message)
                    return None
                except _VALUE_ERRORS:
                    warn(*_type_mismatch(spec.name))
                    return None

            return call_ctx

        def call(*args: Any) -> Any:
            try:
                return impl(*args)
            except AqlWarning as warning:
                warn(warning.code, warning.message)
                return None
            except _VALUE_ERRORS:
                warn(*_type_mismatch(spec.name))
                return None

        return call

    # ------------------------------------------------------------------ collections

    def handle(self, name: str) -> CollectionHandle:
        """Collection handle by name, cached for this execution (1203 when missing)."""
        found = self._handles.get(name)
        if found is None:
            found = self._handles[name] = self.trx.collection(name)
        return found

    def bound_collection(self, value: Any, param: str) -> str:
        """Validate the value of a ``@@collection`` bind parameter."""
        if type(value) is not str or not value:
            raise ArangoError(errors.QUERY_BIND_PARAMETER_TYPE, "@" + param)
        return value

    def collection_docs(self, name: str) -> list[dict[str, Any]]:
        """A collection used as an expression: all its documents."""
        handle = self.handle(name)
        self.stats["scannedFull"] += handle.count()
        return list(handle.all())

    def scan(self, name: str) -> Iterator[dict[str, Any]]:
        """Full scan in insertion order."""
        handle = self.handle(name)
        self.stats["scannedFull"] += handle.count()
        return handle.all()

    def lookup(self, name: str, fields: tuple[str, ...], values: tuple[Any, ...]) -> Iterable[dict[str, Any]]:
        """Equality lookup through an index, or a scan when none fits."""
        handle = self.handle(name)
        found = handle.lookup(fields, values)
        if found is None:
            return self.scan(name)
        found = list(found)
        self.stats["scannedIndex"] += len(found)
        return found

    def lookup_in(self, name: str, field: str, values: Any) -> Iterable[dict[str, Any]]:
        """``v.field IN list`` through an index (each distinct value once)."""
        if type(values) is not list:
            return []
        handle = self.handle(name)
        out: list[dict[str, Any]] = []
        seen: set[Any] = set()
        for value in values:
            key = hash_key(value)
            if key in seen:
                continue
            seen.add(key)
            found = handle.lookup((field,), (value,))
            if found is None:
                return self.scan(name)
            out.extend(found)
        self.stats["scannedIndex"] += len(out)
        return out

    def range(
        self, name: str, field: str, low: Any, low_inc: bool, high: Any, high_inc: bool,
        has_low: bool, has_high: bool, descending: bool, ordered: bool = True,
    ) -> Iterable[dict[str, Any]]:
        """Range (and/or ordered) read through a sorted index; scan (and sort) otherwise."""
        handle = self.handle(name)
        found = handle.range(
            field, low, low_inc, high, high_inc,
            has_low=has_low, has_high=has_high, descending=descending,
        )
        if found is not None:
            return found
        docs = list(self.scan(name))
        if ordered:
            docs.sort(key=lambda d: sort_key(get_path(d, field)), reverse=descending)
        return docs

    # ------------------------------------------------------------------ rows

    def iterable(self, value: Any) -> list[Any]:
        """The operand of ``FOR x IN value``: must be an array."""
        if type(value) is list:
            return value
        raise ArangoError(
            errors.QUERY_ARRAY_EXPECTED,
            message="collection or array expected as operand to FOR loop; you provided a "
            f"value of type '{type_name(value)}'",
        )

    def limit_bounds(self, offset: Any, count: Any) -> tuple[int, int]:
        """``LIMIT offset, count`` as (rows to skip, last row number to keep).

        A null count means no limit (python-arango's ``Collection.all`` sends ``LIMIT 0, null``).
        """
        if count is None:
            count = 1 << 62
        for value in (offset, count):
            if type(value) not in _NUMERIC or value < 0:
                raise ArangoError(errors.QUERY_NUMBER_OUT_OF_RANGE)
        return int(offset), int(offset) + int(count)

    def sort_rows(self, rows: list[Any], directions: tuple[bool, ...]) -> list[Any]:
        """SORT: rows start with their key values; stable multi-key sort."""
        for column in range(len(directions) - 1, -1, -1):
            rows.sort(key=_column_key(rows, column), reverse=not directions[column])
        return rows

    def distinct(self, values: list[Any]) -> list[Any]:
        """RETURN DISTINCT: first occurrence of each value, in order."""
        seen: set[Any] = set()
        out = []
        for value in values:
            key = hash_key(value)
            if key not in seen:
                seen.add(key)
                out.append(value)
        return out

    def attribute_name(self, value: Any) -> str:
        """A computed attribute name ``{[expr]: v}``."""
        return value if type(value) is str else to_string(value)

    def expand(
        self, value: Any, levels: int, keep: Any, offset: Any, count: Any, project: Any
    ) -> list[Any]:
        """``value[* FILTER .. LIMIT .. RETURN ..]`` (``[**]`` flattens first)."""
        if type(value) is not list:
            return []
        items = value
        for _ in range(levels - 1):
            items = [y for x in items for y in (x if type(x) is list else [x])]
        if keep is not None:
            items = [x for x in items if keep(x)]
        if offset or count is not None:
            start = int(to_number(offset))
            items = items[start:] if count is None else items[start : start + int(to_number(count))]
        if project is not None:
            return [project(x) for x in items]
        return list(items)

    # ------------------------------------------------------------------ COLLECT / WINDOW

    def _aggregate(self, spec: Any, values: list[Any]) -> Any:
        if spec in ("LENGTH", "COUNT"):
            return len(values)
        if spec == "PUSH":
            return values
        return spec(values)

    def collect(self, rows: list[Any], n_groups: int, specs: tuple[Any, ...]) -> list[Any]:
        """COLLECT: group rows ``(groups, into, inputs)``; output sorted by group values."""
        groups: dict[Any, list[Any]] = {}
        single = n_groups == 1
        for group, into, inputs in rows:
            key = hash_key(group[0]) if single else tuple(hash_key(g) for g in group)
            entry = groups.get(key)
            if entry is None:
                entry = groups[key] = [group, [], [[] for _ in specs]]
            entry[1].append(into)
            if specs:
                for bucket, value in zip(entry[2], inputs, strict=True):
                    bucket.append(value)
        if not groups and n_groups == 0:
            groups[()] = [(), [], [[] for _ in specs]]
        firsts = {type(e[0][0]) for e in groups.values()} if single else set()
        if firsts == {str} or (firsts and firsts <= {int, float}):
            ordered = sorted(groups.values(), key=lambda e: e[0][0])
        else:
            ordered = sorted(groups.values(), key=lambda e: sort_key(list(e[0])))
        return [
            (group, into, len(into), tuple(self._aggregate(s, v) for s, v in zip(specs, inputs, strict=True)))
            for group, into, inputs in ordered
        ]

    def window(self, rows: list[Any], bounds: Any, by_range: bool, specs: tuple[Any, ...]) -> list[Any]:
        """WINDOW aggregates over neighbouring rows (by position or by a range value)."""
        preceding, following = window.bounds_of(bounds)
        if by_range:
            rows = [rows[i] for i in window.order_by_value([r[1] for r in rows])]
            frames = window.range_frames([r[1] for r in rows], preceding, following)
        else:
            frames = window.row_frames(len(rows), preceding, following)
        out = []
        for (_, _, live), (low, high) in zip(rows, frames, strict=True):
            members = rows[low:high]
            aggs = tuple(
                self._aggregate(spec, [m[0][i] for m in members]) for i, spec in enumerate(specs)
            )
            out.append((live, aggs))
        return out
