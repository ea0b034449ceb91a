"""``CollectionHandle``: a collection seen through a transaction (committed state + overlay)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

from arangolite.errors import CONFLICT, DOCUMENT_NOT_FOUND, ArangoError
from arangolite.storage import docs as D
from arangolite.storage.api import Bounds
from arangolite.storage.collection import unique_violation
from arangolite.storage.index_view import IndexView
from arangolite.storage.indexes import PersistentIndex, encode
from arangolite.storage.key_order import KeyOrder
from arangolite.storage.overlay import Overlay
from arangolite.storage.scan import Sorted, Window, ordered_scan

if TYPE_CHECKING:
    from arangolite.storage.contracts import TransactionContext

__all__ = ["TrxCollection"]

Document = dict[str, Any]
_NULL = encode(None)
# an edge lookup's documents are read this many at first, then twice as many each time: a LIMIT
# after ``FILTER e._to == @v`` reads what it takes, not every edge of the vertex
_EDGES_FIRST = 16
_EDGES_MOST = 1024


def _rev_conflict() -> ArangoError:
    return ArangoError(CONFLICT, message="conflict, _rev values do not match")


class TrxCollection:
    """Reads see the transaction's own writes; writes go to its overlay."""

    def __init__(self, trx: TransactionContext, overlay: Overlay) -> None:
        self._trx = trx
        self._ov = overlay
        self._undo = trx.undo_for(overlay.coll)
        self.coll = overlay.coll
        self.name = overlay.coll.name
        self.is_edge = overlay.coll.is_edge
        # committed versions read ahead (``prefetch``), used while ``_ahead_valid()``
        self._ahead: dict[str, Document | None] = {}
        self._ahead_valid: Callable[[], bool] = bool

    # -- reads -----------------------------------------------------------------------------------
    # The transaction's snapshot: committed documents, corrected by ``undo`` (the version as of the
    # transaction's start of every key another transaction committed since) and by its own writes.

    def _delta(self) -> dict[str, Document | None]:
        """Snapshot corrections and own writes, frozen now (own writes win)."""
        if not self._undo:
            return dict(self._ov.writes)
        return {**self._undo, **self._ov.writes}

    def all(
        self, where: Sequence[tuple[str, str, Any]] = (), first: int | None = None
    ) -> Iterator[Document]:
        """Every document of the snapshot in insertion order; writes made while iterating stay
        unseen (a plain list when nothing differs from the committed state: the fastest loop).

        ``where``: ``(path, op, value)`` conditions the caller checks on every document itself;
        the committed state may then leave out documents that fail them; ``first``: the rows a
        LIMIT takes (``state.scan``)."""
        delta = self._delta()
        base = self.coll.state.scan(where=where, first=first)
        if not delta:
            return base
        return self._merged(delta, base)

    @staticmethod
    def _merged(delta: dict[str, Document | None], base: Iterator[Document]) -> Iterator[Document]:
        for doc in base:
            if doc["_key"] not in delta:
                yield doc
        for new in delta.values():
            if new is not None:
                yield new

    def prefetch(self, keys: list[str]) -> None:
        """Read the committed documents of ``keys`` ahead, in one go, where the store keeps a
        cache (on disk: a batch's existence checks then read no row, nor the cache, each)."""
        warm = getattr(self.coll.state, "prefetch", None)
        if warm is not None and keys:
            self._ahead, self._ahead_valid = warm(keys)

    def count(self) -> int:
        base = self.coll.state
        return base.count() + sum((d is not None) - (k in base) for k, d in self._delta().items())

    def get(self, key: str) -> Document | None:
        writes = self._ov.writes
        if key in writes:
            return writes[key]
        undo = self._undo
        if key in undo:
            return undo[key]
        ahead = self._ahead
        if key in ahead and self._ahead_valid():
            return ahead[key]
        return self.coll.state.get(key)

    def _pick_index(
        self, fields: Sequence[str], values: Sequence[Any]
    ) -> tuple[PersistentIndex, tuple[Any, ...]] | None:
        n = len(fields)
        best: tuple[PersistentIndex, tuple[Any, ...]] | None = None
        for index in self.coll.indexes:
            if not isinstance(index, PersistentIndex) or sorted(index.fields[:n]) != sorted(fields):
                continue
            by_field = dict(zip(fields, values, strict=True))
            encoded = tuple(encode(by_field[f]) for f in index.fields[:n])
            if index.sparse and _NULL in encoded:
                continue
            if best is None or len(index.fields) < len(best[0].fields):
                best = (index, encoded)
        return best

    def lookup(
        self,
        fields: Sequence[str],
        values: Sequence[Any],
        *,
        sort_by: str | None = None,
        descending: bool = False,
        bounds: Bounds | None = None,
    ) -> Iterable[Document] | None:
        """Lazy, in index order (see :func:`arangolite.storage.scan.ordered_scan`)."""
        fields, values = tuple(fields), tuple(values)
        if sort_by is not None:
            return self._lookup_sorted(fields, values, sort_by, descending, bounds)
        if len(fields) == 1:
            special = self._lookup_system(fields[0], values[0])
            if special is not None:
                return special
        picked = self._pick_index(fields, values)
        if picked is None:
            return None
        index, encoded = picked
        return ordered_scan(
            index, Window.prefix(encoded), self.coll.state, self._undo, dict(self._ov.writes)
        )

    def _lookup_sorted(
        self, fields: tuple[str, ...], values: tuple[Any, ...], sort_by: str, descending: bool,
        bounds: Bounds | None,
    ) -> Iterable[Document] | None:
        """Equality on ``fields`` read in ``sort_by`` order: an index on ``fields`` + ``sort_by``,
        from and to ``bounds`` on ``sort_by`` when given."""
        found = self._prefix_index(fields, values, then=sort_by)
        if found is None:
            return None
        index, encoded = found
        window = Window.prefix(encoded)
        if bounds is not None:
            low, low_incl, high, high_incl, has_low, has_high = bounds
            window = Window.prefix_then(
                encoded, encode(low) if has_low else None, low_incl,
                encode(high) if has_high else None, high_incl,
            )
        return ordered_scan(
            index, window, self.coll.state, self._undo, dict(self._ov.writes),
            descending=descending,
        )

    def _prefix_index(
        self, fields: Sequence[str], values: Sequence[Any], then: str | None = None
    ) -> tuple[PersistentIndex, tuple[Any, ...]] | None:
        """The first dense, non-expanding persistent index whose leading fields are ``fields``
        (in any order; followed by ``then`` when given), with ``values`` encoded in its order."""
        n = len(fields)
        for index in self.coll.indexes:
            if (
                isinstance(index, PersistentIndex)
                and not index.sparse
                and not index.expanding
                and (then is None or index.fields[n : n + 1] == [then])
                and sorted(index.fields[:n]) == sorted(fields)
            ):
                by_field = dict(zip(fields, values, strict=True))
                return index, tuple(encode(by_field[f]) for f in index.fields[:n])
        return None

    def match_count(
        self, fields: Sequence[str], values: Sequence[Any], cap: int | None = None
    ) -> int | None:
        """Documents whose ``fields`` equal ``values``, counted from an index alone (see
        ``api.CollectionHandle.match_count``; at most ``cap``); None when no index can say."""
        if self._delta():
            return None
        found = self._prefix_index(fields, values)
        return None if found is None else int(found[0].entries.prefix_count(found[1], cap))

    def value_counts(
        self, field: str, fields: Sequence[str] = (), values: Sequence[Any] = ()
    ) -> Iterator[tuple[Any, int]] | None:
        """``(value, documents)`` per distinct value of ``field`` in AQL order among the
        documents whose ``fields`` equal ``values``, from an index alone (see
        ``api.CollectionHandle.value_counts``); None when no index can say."""
        if self._delta():
            return None
        n = len(fields)
        best: PersistentIndex | None = None
        for index in self.coll.indexes:
            if (
                isinstance(index, PersistentIndex)
                and index.fields[n : n + 1] == [field]
                and sorted(index.fields[:n]) == sorted(fields)
                and not index.sparse
                and not index.expanding
                and (best is None or len(index.fields) < len(best.fields))
            ):
                best = index
        if best is None:
            return None
        by_field = dict(zip(fields, values, strict=True))
        prefix = tuple(encode(by_field[f]) for f in best.fields[:n])
        return self._value_counts(best, field, prefix)

    def _value_counts(
        self, index: PersistentIndex, field: str, prefix: tuple[Any, ...]
    ) -> Iterator[tuple[Any, int]]:
        base = self.coll.state
        for key, count in index.entries.runs(prefix):
            yield D.resolve_path(base.get(key), field), count

    def _lookup_system(self, field: str, value: Any) -> Iterable[Document] | None:
        if field == "_key":
            doc = self.get(value) if type(value) is str else None
            return [] if doc is None else [doc]
        if field == "_id":
            if type(value) is not str or not value.startswith(self.name + "/"):
                return []
            return self._lookup_system("_key", value[len(self.name) + 1 :])
        if self.is_edge and field in ("_from", "_to"):
            if type(value) is not str:
                return []
            return self._edges_read(value, "out" if field == "_from" else "in")
        return None

    def range(
        self,
        field: str,
        low: Any = None,
        low_inclusive: bool = True,
        high: Any = None,
        high_inclusive: bool = True,
        *,
        has_low: bool = False,
        has_high: bool = False,
        descending: bool = False,
        first: int | None = None,
        ordered: bool = True,
    ) -> Iterable[Document] | None:
        """Lazy, in AQL order of ``field`` (ties by ``_key``), reversed when ``descending``
        (``first``, ``ordered``: see ``api.CollectionHandle.range``)."""
        if "[*]" in field:
            return None
        excludes_null = has_low and (low is not None or not low_inclusive)
        source: Sorted
        for index in self.coll.indexes:  # (a plain loop: every ranged read picks one)
            if (
                isinstance(index, PersistentIndex)
                and index.fields[0] == field
                and (excludes_null or not index.sparse)
            ):
                source = index
                break
        else:
            # the primary index in key order, when a LIMIT follows (without one every match is
            # read anyway, and a scan reads them in one pass: kept decoded, 10x faster than by
            # key); in memory only when the order is wanted (its keys are sorted after a write)
            if field != "_key" or first is None or not (ordered or self.coll.state.keys_indexed):
                return None
            source = KeyOrder(self.coll.state.key_entries())
        window = Window.first_field(
            encode(low) if has_low else None,
            low_inclusive,
            encode(high) if has_high else None,
            high_inclusive,
        )
        writes = self._ov.writes
        return ordered_scan(
            source, window, self.coll.state, self._undo, dict(writes) if writes else {},
            descending=descending, first=first,
        )

    def edges(self, vertex_id: str, direction: Literal["out", "in"]) -> list[Document]:
        """The edges of ``vertex_id`` (``out``: by ``_from``, ``in``: by ``_to``) in this
        transaction's view: committed ones in the edge index's order, then its own."""
        return list(self._edges_read(vertex_id, direction))

    def _edges_read(self, vertex_id: str, direction: Literal["out", "in"]) -> Iterable[Document]:
        """:meth:`edges`, lazily: the documents are read a chunk at a time (a list when one
        chunk holds them all)."""
        edge_index = self.coll.edge_index
        if edge_index is None:
            return []
        undo, writes = self._undo, self._ov.writes
        keys = [
            k for k in edge_index.keys(vertex_id, direction) if k not in undo and k not in writes
        ]
        attr = "_from" if direction == "out" else "_to"
        # the snapshot's versions of keys others changed since (rarely many), then its own
        own = [
            doc for k, doc in undo.items()
            if doc is not None and doc[attr] == vertex_id and k not in writes
        ] if undo else []
        own += self._ov.edges_of(attr, vertex_id).values()
        if len(keys) <= _EDGES_FIRST:
            by_key = self.coll.state.get_many(keys)
            return [by_key[k] for k in keys if k in by_key] + own
        return self._edges_chunked(keys, attr, vertex_id, own)

    def _edges_chunked(
        self, keys: list[str], attr: str, vertex_id: str, own: list[Document]
    ) -> Iterator[Document]:
        """The committed edges of ``keys`` (listed when the read began), a chunk at a time. A
        commit between two chunks (a query hands the engine lock over between rows) hands this
        snapshot the versions it replaced: a key among them is read from there, as it was."""
        start, size = 0, _EDGES_FIRST
        while start < len(keys):
            chunk = keys[start : start + size]
            start, size = start + len(chunk), min(size * 2, _EDGES_MOST)
            undo = self._undo  # grows as commits hand over; its keys' versions are this one's
            by_key = self.coll.state.get_many([k for k in chunk if k not in undo])
            for k in chunk:
                doc = undo[k] if k in undo else by_key.get(k)
                if doc is not None and doc[attr] == vertex_id:
                    yield doc
        yield from own

    def index_view(self, kind: str) -> IndexView | None:
        """The first index of ``kind`` (``"geo"``, ``"fulltext"``) with the committed documents
        it covers and this transaction's delta (its snapshot's versions of the keys committed
        since it began, and its own writes; see ``index_view``)."""
        for index in self.coll.indexes:
            if index.kind == kind:
                return IndexView(index, self.coll.state, self._delta)
        return None

    # -- writes ----------------------------------------------------------------------------------

    def _write(self, key: str, new: Document | None) -> None:
        coll, trx = self.coll, self._trx
        trx.check_write(coll.name)
        saved = trx.savepoint
        if saved is not None:  # noted before anything changes (``storage.savepoint``)
            saved.note(self._ov, key)
        trx.claim(coll, key)
        uniques = self._ov.unique_indexes() if coll.indexes else []
        if new is not None:
            for index in uniques:
                self._check_unique(index, key, new)
        self._ov.put(key, new, uniques)

    def _ruled(self, op: str, new: Document, old: Document | None, validate: bool) -> Document:
        """``new`` with the collection's computed values, checked against its schema (unless
        ``validate`` is false)."""
        rules = self.coll.write_rules
        return new if rules is None else rules.apply(op, new, old, self._trx, validate=validate)

    def _check_unique(self, index: PersistentIndex, key: str, new: Document) -> None:
        writes = self._ov.writes
        for vals in index.values_of(new):
            other = self._ov.owner(index, vals)
            if other is not None and other != key:
                raise unique_violation(index, other)
            for k in index.entries.prefix_keys(vals):
                if k != key and k not in writes:
                    raise unique_violation(index, k)

    def _existing(self, key: str, rev: str | None) -> Document:
        current = self.get(key)
        if current is None:
            raise ArangoError(DOCUMENT_NOT_FOUND)
        if rev is not None and rev != current["_rev"]:
            raise _rev_conflict()
        return current

    def insert(
        self,
        doc: Document,
        *,
        overwrite_mode: str | None = None,
        keep_null: bool = True,
        merge_objects: bool = True,
        validate: bool = True,
    ) -> tuple[Document | None, Document]:
        body = D.check_object(doc)
        keygen = self.coll.keygen
        key = keygen.check_user_key(body["_key"]) if "_key" in body else keygen.generate()
        current = self.get(key)
        op = "update"
        if current is None:
            op, new = "insert", D.build(self.name, key, self._trx.next_rev(), body, is_edge=self.is_edge)
        elif overwrite_mode in (None, "conflict"):
            raise unique_violation(None, key)
        elif overwrite_mode == "ignore":
            return current, current
        elif overwrite_mode == "replace":
            op, new = "replace", D.build(self.name, key, self._trx.next_rev(), body, is_edge=self.is_edge)
        else:
            merged = D.merge_patch(current, body, keep_null=keep_null, merge_objects=merge_objects)
            merged.update({k: body[k] for k in ("_from", "_to") if k in body})
            new = D.build(
                self.name, key, self._trx.next_rev(), merged, is_edge=self.is_edge, base=current
            )
        new = self._ruled(op, new, current, validate)
        self._write(key, new)
        return current, new

    def update(
        self,
        key: str,
        patch: Document,
        *,
        keep_null: bool = True,
        merge_objects: bool = True,
        rev: str | None = None,
        validate: bool = True,
    ) -> tuple[Document, Document]:
        body = D.check_object(patch)
        current = self._existing(key, rev)
        merged = D.merge_patch(current, body, keep_null=keep_null, merge_objects=merge_objects)
        merged.update({k: body[k] for k in ("_from", "_to") if k in body})
        new = D.build(self.name, key, self._trx.next_rev(), merged, is_edge=self.is_edge, base=current)
        new = self._ruled("update", new, current, validate)
        self._write(key, new)
        return current, new

    def replace(
        self, key: str, doc: Document, *, rev: str | None = None, validate: bool = True
    ) -> tuple[Document, Document]:
        body = D.check_object(doc)
        current = self._existing(key, rev)
        new = D.build(self.name, key, self._trx.next_rev(), body, is_edge=self.is_edge)
        new = self._ruled("replace", new, current, validate)
        self._write(key, new)
        return current, new

    def remove(self, key: str, *, rev: str | None = None) -> Document:
        current = self._existing(key, rev)
        self._write(key, None)
        return current

    def truncate(self) -> None:
        for doc in list(self.all()):
            self._write(doc["_key"], None)
