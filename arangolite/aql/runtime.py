"""Per-execution state and the helpers compiled queries call.

A ``Runtime`` lives for one query execution: it holds the transaction, the collected warnings and
statistics, and implements what the generated code needs beyond plain operators (reading
collections through the planner's chosen access path, SORT/COLLECT/WINDOW over materialised rows,
array expansion). Data modification lives in ``modify.py`` and graph walks in ``graphs.py``;
both are mixed in here.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from arangolite import errors
from arangolite.aql import grouping, limits, window
from arangolite.aql.geo_access import GeoMixin
from arangolite.aql.graphs import GraphMixin
from arangolite.aql.grouping import hash_key
from arangolite.aql.memory import HeldRows
from arangolite.aql.modify import ModifyMixin
from arangolite.aql.node_profile import NodeCounter
from arangolite.aql.ordering import sorted_docs, sorted_rows
from arangolite.aql.turns import Counted, no_safe_point, no_turns
from arangolite.aql.values import AqlWarning, aql_eq, order_key, to_number, to_string, type_name
from arangolite.errors import ArangoError
from arangolite.storage.api import CollectionHandle, Transaction

MAX_WARNINGS = 10
# an equality lookup sorted by another attribute, LIMIT after: matches beyond which an index on
# that attribute is walked in order instead of reading and sorting every match (lookup_sorted)
WALK_AFTER = 256
# ... and documents walked before it reads and sorts the matches after all (the matches may sit
# at the far end of that order: the walk then costs at most this much more than the sort)
WALK_BUDGET = 4096
WALK_FIRST = 16  # ... the walk's first read (an index read's default; for ``_key`` it also asks
# for the primary index: a LIMIT follows)
# Arguments a function cannot compute with (a date beyond year 9999, an amount beyond a double):
# null and ArangoDB's "invalid argument type" warning, never an internal error.
_VALUE_ERRORS = (ArithmeticError, ValueError, UnicodeError)


def _type_mismatch(name: str) -> tuple[int, str]:
    code = errors.QUERY_FUNCTION_ARGUMENT_TYPE_MISMATCH
    return code.num, code.template % name
_NUMERIC = (int, float)
# A scan that its LIMIT stops counts its reads one by one up to this many rows (beyond, the
# collection's count stands for them: a row by row count would cost more than the statistic)
_COUNTED_SCAN = 10_000


class Runtime(GeoMixin, ModifyMixin, GraphMixin):
    """State of one query execution (also the ``FunctionContext`` for AQL functions)."""

    def __init__(self, trx: Transaction, *, full_count: bool = False) -> None:
        self.trx = trx
        self.warnings: list[dict[str, Any]] = []
        self.want_full_count = full_count
        self.full_count = 0
        self.stats = {"writesExecuted": 0, "writesIgnored": 0, "scannedFull": 0, "scannedIndex": 0}
        self._handles: dict[str, CollectionHandle] = {}
        self._now_ms = int(time.time() * 1000)
        self.held: HeldRows | None = None  # set under a memory limit (see aql/memory.py)
        self.node_counter: NodeCounter | None = None  # with ``profile`` 2 (aql/node_profile.py)
        # a FOR loop's source with safe points to hand the engine lock over (aql/turns.py)
        self.turns: Callable[[Iterable[Any]], Iterable[Any]] = no_turns
        # runs a long step that reads only the query's own values (a sort) with the engine
        # lock let go (aql/turns.py ``off_lock_under``); as it is when the query may not
        self.off_lock: Callable[[], AbstractContextManager[Any]] = nullcontext
        # a safe point inside a long search loop (traversals, path searches: aql/graphs.py)
        self.safe_point: Callable[[], None] = no_safe_point
        # whether the last :meth:`range` read the index within exactly its FILTERs' bounds
        self.covered = False

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

    def collection_count(self, name: str) -> int:
        """How many documents collection ``name`` holds (``COLLECTION_COUNT``, ``LENGTH(c)``):
        its count, no document read (error 1203 when it does not exist)."""
        return self.handle(name).count()

    def index_view(self, name: str, kind: str) -> Any:
        """Collection ``name``'s first ``kind`` index with this transaction's writes, or None
        (on disk built first, at its first read, with the lock let go meanwhile when the query
        may: ``storage.first_read``)."""
        view = self.handle(name).index_view(kind)
        if view is not None and not view.index.built:
            view.index.build(self.off_lock)
        return view

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

    def scan(
        self, name: str, where: tuple[tuple[str, str, Any], ...] = (), want: int | None = None,
        stops: bool = False,
    ) -> Iterator[dict[str, Any]]:
        """Full scan in insertion order (``where``: ``(path, op, value)`` conditions the query
        checks again on every document, which the store may use to leave documents out:
        ``TrxCollection.all``, ``storage.prefilter``; ``want``: the rows a LIMIT after it stops
        at, the length of the first read; ``stops``: that LIMIT comes right after the FOR).

        ``scannedFull`` counts the documents read, as ArangoDB's does: the collection's count
        (one row of the store's kept counts on disk), or, for a scan that its LIMIT stops
        (``stops``), the documents the LIMIT took, counted as they are read."""
        handle = self.handle(name)
        if self.node_counter is not None:  # an IndexNode read with no index fitting
            self.node_counter.scanned()
        if stops and not where and want is not None and want <= _COUNTED_SCAN:
            return self._scan_counted(handle.all(where, want), want - 1)
        self.stats["scannedFull"] += handle.count()
        return handle.all(where, want)

    def _scan_counted(self, docs: Iterator[dict[str, Any]], most: int) -> Iterator[dict[str, Any]]:
        """``docs``, adding each of the first ``most`` to ``scannedFull`` as it is read (the one
        past them only tells the LIMIT to stop)."""
        stats = self.stats
        for seen, doc in enumerate(docs):
            if seen < most:
                stats["scannedFull"] += 1
            yield doc

    def lookup(
        self, name: str, fields: tuple[str, ...], values: tuple[Any, ...], prefilter: bool = False,
        extra: tuple[tuple[str, str, Any], ...] = (),
    ) -> Iterable[dict[str, Any]]:
        """Equality lookup through an index (lazy, in index order), or a scan when none fits
        (``prefilter``: the query checks these equalities again on every document, and each
        field is a path of plain attribute names, so the scan may leave out non-matches; so
        it may with ``extra``, more such conditions: :meth:`scan`)."""
        found = self.handle(name).lookup(fields, values)
        if found is None:
            where = tuple((f, "==", v) for f, v in zip(fields, values, strict=True))
            return self.scan(name, where + extra if prefilter else ())
        return self._counted(found)

    def lookup_sorted(
        self, name: str, fields: tuple[str, ...], values: tuple[Any, ...], sort_by: str,
        descending: bool, bounds: tuple[Any, bool, Any, bool, bool, bool] | None = None,
    ) -> Iterable[dict[str, Any]]:
        """Equality lookup read in order of ``sort_by`` (an index on the fields then ``sort_by``),
        else the matches sorted lazily (a top-k heap first).

        ``bounds`` (a LIMIT follows the SORT): ``(low, low_inclusive, high, high_inclusive,
        has_low, has_high)``, the FILTERs' range on ``sort_by``. A compound index is read from
        and to those bounds (a keyset page costs the page, wherever it starts). Without one, when
        more than :data:`WALK_AFTER` documents match, an index on ``sort_by`` is walked in order
        within those bounds instead (the FILTERs, which stay in the loop, drop the other
        documents), so the LIMIT stops the read after about LIMIT / selectivity entries rather
        than reading and sorting every match. The walk stops after :data:`WALK_BUDGET`
        documents (the matches are not spread over that order) and the matches it has not
        produced yet are read and sorted then.
        """
        handle = self.handle(name)
        found = handle.lookup(fields, values, sort_by=sort_by, descending=descending, bounds=bounds)
        if found is not None:
            return self._counted(found)
        if bounds is not None and (handle.match_count(fields, values, WALK_AFTER + 1) or 0) > WALK_AFTER:
            low, low_inc, high, high_inc, has_low, has_high = bounds
            walk = handle.range(
                sort_by, low, low_inc, high, high_inc,
                has_low=has_low, has_high=has_high, descending=descending, first=WALK_FIRST,
            )
            if walk is not None:
                return self._walk_then_sort(
                    self._counted(walk), name, fields, values, sort_by, descending
                )
        return sorted_docs(
            list(self.lookup(name, fields, values)), sort_by, descending, self.off_lock
        )

    def _walk_then_sort(
        self, walk: Iterable[dict[str, Any]], name: str, fields: tuple[str, ...],
        values: tuple[Any, ...], sort_by: str, descending: bool,
    ) -> Iterator[dict[str, Any]]:
        """``walk`` (in ``sort_by`` order) for up to WALK_BUDGET documents, then the matches not
        produced yet, sorted: every document it produced precedes them in that order."""
        produced: set[str] = set()
        for doc in walk:
            produced.add(doc["_key"])
            yield doc
            if len(produced) >= WALK_BUDGET:
                break
        else:
            return
        for doc in sorted_docs(
            list(self.lookup(name, fields, values)), sort_by, descending, self.off_lock
        ):
            if doc["_key"] not in produced:
                yield doc

    def lookup_in(
        self, name: str, field: str, values: Any, extra: tuple[tuple[str, str, Any], ...] = ()
    ) -> Iterable[dict[str, Any]]:
        """``v.field IN list`` through an index (each distinct value once, lazily). Values are told
        apart as the index tells them apart (``order_key``, its encoding: AQL equality, so ``[]`` and ``[null]``
        are one value and read once, as ArangoDB's de-duplicated IN list reads them). With no
        index, a scan given ``extra`` (FILTER conditions it may prefilter on: :meth:`scan`)."""
        if type(values) is not list:
            return []
        handle = self.handle(name)
        seen: set[Any] = set()
        parts: list[Iterable[dict[str, Any]]] = []
        for value in values:
            key = order_key(value)
            if key in seen:
                continue
            seen.add(key)
            found = handle.lookup((field,), (value,))
            if found is None:
                return self.scan(name, extra)
            parts.append(found)
        return self._counted(itertools.chain.from_iterable(parts))

    def _counted(self, docs: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
        """Pass documents read through an index on, counting them into ``scannedIndex``
        (``turns.Counted``: with the FOR loop's safe points in the same generator)."""
        return Counted(docs, self.stats)

    def range(
        self, name: str, field: str, low: Any, low_inc: bool, high: Any, high_inc: bool,
        has_low: bool, has_high: bool, descending: bool, ordered: bool = True,
        prefilter: bool = False, extra: tuple[tuple[str, str, Any], ...] = (),
        want: int | None = None,
    ) -> Iterable[dict[str, Any]]:
        """Range (and/or ordered) read through a sorted index, lazily; else a scan that is
        sorted lazily (a top-k heap first, so ``SORT x LIMIT k`` costs one pass). ``prefilter``:
        the bounds come from FILTERs the query checks again on every document, on a path of
        plain attribute names, so the scan may leave out documents outside them, and those
        failing ``extra``, more such conditions (:meth:`scan`). ``want``: the rows a LIMIT
        after it stops at (:meth:`limit_want`), the length of the index read's first chunk."""
        handle = self.handle(name)
        found = handle.range(
            field, low, low_inc, high, high_inc,
            has_low=has_low, has_high=has_high, descending=descending, first=want,
            ordered=ordered,
        )
        if found is not None:
            # the index orders every value as AQL compares it (``storage.keycodec``, integers
            # beyond a double's precision included), so its window is exactly the bounds
            self.covered = True
            return self._counted(found)
        self.covered = False
        where: list[tuple[str, str, Any]] = []
        if prefilter and has_low:
            where.append((field, ">=", low))
        if prefilter and has_high:
            where.append((field, "<=", high))
        docs = self.scan(name, tuple(where) + extra)
        if ordered:
            return sorted_docs(list(docs), field, descending, self.off_lock)
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

    def limit_want(self, offset: Any, count: Any) -> int | None:
        """The rows ``LIMIT offset, count`` reads before it stops: ``offset + count + 1`` (the
        last tells it to stop); None for a count of null (no limit). Called after
        :meth:`limit_bounds` checked the values."""
        if count is None or type(offset) not in _NUMERIC or type(count) not in _NUMERIC:
            return None
        return int(offset) + int(count) + 1

    def acc(self, site: int, level: int) -> list[Any]:
        """A new accumulator (watched under a memory limit)."""
        held = self.held
        return [] if held is None else held.new(site, level)

    def filled(self) -> None:
        """An accumulator is complete: under a memory limit, 32 when the query holds too much."""
        if self.held is not None:
            limits.settle()

    def hold(self, site: int, level: int, rows: list[Any]) -> list[Any]:
        """``rows`` a COLLECT or WINDOW produced (watched under a memory limit)."""
        held = self.held
        return rows if held is None else held.adopt(site, level, rows)

    def sort_rows(self, rows: list[Any], directions: tuple[bool, ...]) -> Iterator[Any]:
        """SORT: rows start with their key values; stable, produced lazily (see ``ordering``)."""
        return sorted_rows(rows, directions, self.off_lock)

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

    def distinct_iter(self, values: Iterable[Any]) -> Iterator[Any]:
        """RETURN DISTINCT of a streaming query: first occurrences, lazily."""
        seen: set[Any] = set()
        for value in values:
            key = hash_key(value)
            if key not in seen:
                seen.add(key)
                yield value

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
        return grouping.collect(rows, n_groups, specs, self._aggregate, self.turns, self.off_lock)

    def collect_count(self, values: list[Any], n_groups: int) -> list[Any]:
        """``COLLECT [g = expr] WITH COUNT INTO n`` without INTO or AGGREGATE: ``values`` holds
        just the group value of each row (one counter per group, no row lists)."""
        return grouping.count(values, n_groups, self.turns, self.off_lock)

    def count_by(
        self, name: str, field: str, fields: tuple[str, ...] = (), values: tuple[Any, ...] = ()
    ) -> list[Any]:
        """``FOR v IN name [FILTER v.f1 == x1 ...] COLLECT g = v.field WITH COUNT INTO n``: from
        an index alone when one can answer (``fields`` then ``field``), else one pass over the
        matching documents."""
        counts = self.handle(name).value_counts(field, fields, values)
        if counts is not None:
            return [((value,), None, n, ()) for value, n in counts]
        if not fields:
            return grouping.count(
                [grouping.resolve(d, field) for d in self.turns(self.scan(name))], 1, self.turns,
                self.off_lock,
            )
        wanted = tuple(zip(fields, values, strict=True))
        return grouping.count(
            [
                grouping.resolve(d, field)
                for d in self.turns(self.lookup(name, fields, values))
                if all(aql_eq(grouping.resolve(d, f), v) for f, v in wanted)
            ],
            1,
            self.turns,
            self.off_lock,
        )

    def count_where(
        self, name: str, fields: tuple[str, ...] = (), values: tuple[Any, ...] = ()
    ) -> list[Any]:
        """``FOR v IN name [FILTER v.f1 == x1 ...] COLLECT WITH COUNT INTO n``: the one output row,
        counted from an index alone when one can answer (or the collection's count, without a
        FILTER), else by reading the matching documents. As for :meth:`count_by`, a count read
        without reading documents adds nothing to ``scannedIndex`` or ``scannedFull``."""
        handle = self.handle(name)
        counted = handle.count() if not fields else handle.match_count(fields, values)
        if counted is not None:
            return [((), None, counted, ())]
        wanted = tuple(zip(fields, values, strict=True))
        found = sum(
            1
            for d in self.lookup(name, fields, values)
            if all(aql_eq(grouping.resolve(d, f), v) for f, v in wanted)
        )
        return [((), None, found, ())]

    def window(self, rows: list[Any], bounds: Any, by_range: bool, specs: tuple[Any, ...]) -> list[Any]:
        """WINDOW aggregates over neighbouring rows (by position or by a range value)."""
        preceding, following = window.bounds_of(bounds)
        if by_range:
            rows, frames = window.by_range(rows, preceding, following, self.off_lock)
        else:
            frames = window.row_frames(len(rows), preceding, following)
        out = []
        # the rows were read already: the per-row aggregation takes the query's turns
        for (_, _, live), (low, high) in self.turns(zip(rows, frames, strict=True)):
            members = rows[low:high]
            aggs = tuple(
                self._aggregate(spec, [m[0][i] for m in members]) for i, spec in enumerate(specs)
            )
            out.append((live, aggs))
        return out
