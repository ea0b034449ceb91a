"""``CollectionHandle``: a collection seen through a transaction (committed state + overlay)."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

from arangolite.errors import CONFLICT, DOCUMENT_NOT_FOUND, ArangoError
from arangolite.storage import docs as D
from arangolite.storage.collection import unique_violation
from arangolite.storage.indexes import PersistentIndex, encode
from arangolite.storage.overlay import Overlay

if TYPE_CHECKING:
    from arangolite.storage.transactions import Transaction

__all__ = ["TrxCollection"]

Document = dict[str, Any]
_NULL = encode(None)


def _rev_conflict() -> ArangoError:
    return ArangoError(CONFLICT, message="conflict, _rev values do not match")


class TrxCollection:
    """Reads see the transaction's own writes; writes go to its overlay."""

    def __init__(self, trx: Transaction, overlay: Overlay) -> None:
        self._trx = trx
        self._ov = overlay
        self.coll = overlay.coll
        self.name = overlay.coll.name
        self.is_edge = overlay.coll.is_edge

    # -- reads -----------------------------------------------------------------------------------

    def all(self) -> Iterator[Document]:
        """Every document in insertion order: a snapshot, so writes made while iterating stay
        unseen (a plain list when this transaction wrote nothing here: the fastest to loop over)."""
        writes = self._ov.writes
        if not writes:
            return iter(list(self.coll.docs.values()))
        return self._merged(dict(writes), list(self.coll.docs.items()))

    @staticmethod
    def _merged(writes: dict[str, Document | None], base: list[tuple[str, Document]]) -> Iterator[Document]:
        for key, doc in base:
            if key not in writes:
                yield doc
        for new in writes.values():
            if new is not None:
                yield new

    def count(self) -> int:
        return len(self.coll.docs) + self._ov.count_delta()

    def get(self, key: str) -> Document | None:
        writes = self._ov.writes
        if key in writes:
            return writes[key]
        return self.coll.docs.get(key)

    def _docs_for(self, keys: Iterable[str]) -> list[Document]:
        writes, base = self._ov.writes, self.coll.docs
        return [base[k] for k in keys if k not in writes and k in base]

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

    def lookup(self, fields: Sequence[str], values: Sequence[Any]) -> list[Document] | None:
        fields, values = tuple(fields), tuple(values)
        if len(fields) == 1:
            special = self._lookup_system(fields[0], values[0])
            if special is not None:
                return special
        picked = self._pick_index(fields, values)
        if picked is None:
            return None
        index, encoded = picked
        found = self._docs_for(index.keys_equal(encoded))
        n = len(encoded)
        for new in self._ov.writes.values():
            if new is not None and any(v[:n] == encoded for v in index.values_of(new)):
                found.append(new)
        return found

    def _lookup_system(self, field: str, value: Any) -> list[Document] | None:
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
            return self.edges(value, "out" if field == "_from" else "in")
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
    ) -> list[Document] | None:
        excludes_null = has_low and (low is not None or not low_inclusive)
        index = next(
            (
                i
                for i in self.coll.indexes
                if isinstance(i, PersistentIndex)
                and i.fields[0] == field
                and "[*]" not in field
                and (excludes_null or not i.sparse)
            ),
            None,
        )
        if index is None:
            return None
        lo = encode(low) if has_low else None
        hi = encode(high) if has_high else None
        writes, base = self._ov.writes, self.coll.docs
        committed = [
            (e[0][0], e[1], base[e[2]])
            for e in index.entries.between(lo, low_inclusive, hi, high_inclusive)
            if e[2] not in writes
        ]
        mine = (
            sorted(
                (v[0], new["_rev"], new)
                for new in writes.values()
                if new is not None
                for v in index.values_of(new)
                if _within(v[0], lo, low_inclusive, hi, high_inclusive)
            )
            if writes
            else []
        )
        merged = [t[2] for t in heapq.merge(committed, mine, key=lambda t: (t[0], t[1]))]
        if descending:
            merged.reverse()
        return merged

    def edges(self, vertex_id: str, direction: Literal["out", "in"]) -> list[Document]:
        edge_index = self.coll.edge_index
        if edge_index is None:
            return []
        found = self._docs_for(edge_index.keys(vertex_id, direction))
        attr = "_from" if direction == "out" else "_to"
        for new in self._ov.writes.values():
            if new is not None and new[attr] == vertex_id:
                found.append(new)
        return found

    # -- writes ----------------------------------------------------------------------------------

    def _write(self, key: str, new: Document | None) -> None:
        coll, trx_id = self.coll, self._trx.id
        self._trx.check_write(coll.name)
        owner = coll.locks.get(key)
        if (owner is not None and owner != trx_id) or coll.exclusive not in (None, trx_id):
            raise ArangoError(CONFLICT, message=f"write-write conflict on key '{key}'")
        uniques = self._ov.unique_indexes() if coll.indexes else []
        if new is not None:
            for index in uniques:
                self._check_unique(index, key, new)
        self._ov.put(key, new, uniques)
        coll.locks[key] = trx_id

    def _check_unique(self, index: PersistentIndex, key: str, new: Document) -> None:
        writes = self._ov.writes
        for vals in index.values_of(new):
            other = self._ov.owner(index, vals)
            if other is not None and other != key:
                raise unique_violation(index, other)
            for _, _, k in index.entries.prefix(vals):
                if k != key and k not in writes:
                    raise unique_violation(index, k)

    def _existing(self, key: str, rev: str | None) -> Document:
        current = self.get(key)
        if current is None:
            raise ArangoError(DOCUMENT_NOT_FOUND)
        if rev is not None and rev != current["_rev"]:
            raise _rev_conflict()
        return current

    def _new_rev(self) -> str:
        return self._trx.next_rev()

    def insert(
        self,
        doc: Document,
        *,
        overwrite_mode: str | None = None,
        keep_null: bool = True,
        merge_objects: bool = True,
    ) -> tuple[Document | None, Document]:
        body = D.check_object(doc)
        keygen = self.coll.keygen
        key = keygen.check_user_key(body["_key"]) if "_key" in body else keygen.generate()
        current = self.get(key)
        if current is None:
            new = D.build(self.name, key, self._new_rev(), body, is_edge=self.is_edge)
        elif overwrite_mode in (None, "conflict"):
            raise unique_violation(None, key)
        elif overwrite_mode == "ignore":
            return current, current
        elif overwrite_mode == "replace":
            new = D.build(self.name, key, self._new_rev(), body, is_edge=self.is_edge)
        else:
            merged = D.merge_patch(current, body, keep_null=keep_null, merge_objects=merge_objects)
            merged.update({k: body[k] for k in ("_from", "_to") if k in body})
            new = D.build(
                self.name, key, self._new_rev(), merged, is_edge=self.is_edge, base=current
            )
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
    ) -> tuple[Document, Document]:
        body = D.check_object(patch)
        current = self._existing(key, rev)
        merged = D.merge_patch(current, body, keep_null=keep_null, merge_objects=merge_objects)
        merged.update({k: body[k] for k in ("_from", "_to") if k in body})
        new = D.build(self.name, key, self._new_rev(), merged, is_edge=self.is_edge, base=current)
        self._write(key, new)
        return current, new

    def replace(
        self, key: str, doc: Document, *, rev: str | None = None
    ) -> tuple[Document, Document]:
        body = D.check_object(doc)
        current = self._existing(key, rev)
        new = D.build(self.name, key, self._new_rev(), body, is_edge=self.is_edge)
        self._write(key, new)
        return current, new

    def remove(self, key: str, *, rev: str | None = None) -> Document:
        current = self._existing(key, rev)
        self._write(key, None)
        return current

    def truncate(self) -> None:
        for doc in list(self.all()):
            self._write(doc["_key"], None)


def _within(
    value: tuple[Any, ...],
    lo: tuple[Any, ...] | None,
    lo_incl: bool,
    hi: tuple[Any, ...] | None,
    hi_incl: bool,
) -> bool:
    if lo is not None and (value < lo or (value == lo and not lo_incl)):
        return False
    return not (hi is not None and (value > hi or (value == hi and not hi_incl)))
