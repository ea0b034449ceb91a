"""Secondary indexes over a collection's committed documents.

Every index maps documents to entries ``(values, rev, key)`` kept in one sorted list: ``values``
is a tuple of :func:`encode`-d attribute values (a hashable, natively ordered form of AQL's value
order in which ``1 == 1.0``), ``rev`` breaks ties in write order (what ArangoDB's revision-based
document ids give) and ``key`` names the document. Equality lookups, prefix lookups, range scans
and unique checks are all ``bisect`` over that list.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from arangolite.storage.docs import resolve_path
from arangolite.storage.entries import Entry, SortedEntries, Window

__all__ = ["EdgeIndex", "Entry", "PersistentIndex", "TtlIndex", "encode"]

Document = dict[str, Any]
_NULL = (0,)


def encode(value: Any) -> tuple[Any, ...]:
    """A tuple that orders and compares like the AQL value (``null < bool < number < ...``)."""
    t = type(value)
    if t is str:
        return (3, value)
    if t is int or t is float:
        return (2, value)
    if value is None:
        return _NULL
    if t is bool:
        return (1, value)
    if t is list:
        items = [encode(v) for v in value]
        while items and items[-1] == _NULL:
            items.pop()
        return (4, tuple(items))
    if t is dict:
        return (5, tuple((name_key(n), encode(value[n])) for n in sorted(value) if value[n] is not None))
    raise TypeError(f"not a JSON value: {t.__name__}")


@lru_cache(maxsize=4096)
def name_key(name: str) -> bytes:
    """An attribute name as bytes that order opposite to the names (code point order).

    AQL compares objects attribute by attribute over both objects' names in order, a missing
    attribute read as null. An object is encoded as its ``(name, value)`` pairs without the null
    ones, in name order; where two objects' pairs first differ by name, the one with the smaller
    name has a value where the other has null, so it is the greater: the smaller name must sort
    higher. The name's order-preserving, prefix-free bytes (:mod:`arangolite.storage.keycodec`'s
    string form) with every byte inverted do that.
    """
    raw = name.encode("utf-8", "surrogatepass").replace(b"\x00", b"\x00\xff") + b"\x00\x00"
    return bytes(255 - b for b in raw)


def _split_field(field: str) -> tuple[str, str | None]:
    """``"tags[*].name"`` -> ``("tags", "name")``; plain fields -> ``(field, None)``."""
    if "[*]" not in field:
        return field, None
    head, _, rest = field.partition("[*]")
    return head, rest.lstrip(".") or ""


class PersistentIndex:
    """ArangoDB's persistent index (also serving ``hash`` and ``skiplist``)."""

    kind = "persistent"

    def __init__(
        self, iid: str, name: str, fields: list[str], *, unique: bool, sparse: bool
    ) -> None:
        self.id = iid
        self.name = name
        self.fields = list(fields)
        self.unique = unique
        self.sparse = sparse
        self.extra: dict[str, Any] = {}
        self._paths = [_split_field(f) for f in self.fields]
        self._expanding = any(sub is not None for _, sub in self._paths)
        # top-level attributes only (no "." nor "[*]"): read with one ``dict.get`` each
        plain = not self._expanding and not any("." in p for p, _ in self._paths)
        self._plain = [p for p, _ in self._paths] if plain else None
        self.entries: Any = SortedEntries()  # or the on-disk SqliteEntries

    @property
    def plain_fields(self) -> list[str] | None:
        """The fields when each is a top-level attribute (no ``.``, no ``[*]``), else None."""
        return self._plain

    @property
    def expanding(self) -> bool:
        """True when a field has ``[*]`` (a document may have several entries)."""
        return self._expanding

    def _field_values(self, doc: Document, path: str, sub: str | None) -> list[Any] | None:
        """The values a field indexes: one, or each item of a ``[*]`` array (repeats are dropped
        by :meth:`values_of` on their encoding: Python's ``1 == True`` is not AQL's equality)."""
        value = resolve_path(doc, path)
        if sub is None:
            return [value]
        if type(value) is not list:
            return None
        return [resolve_path(item, sub) if sub else item for item in value]

    def values_of(self, doc: Document) -> list[tuple[Any, ...]]:
        """Encoded value tuples this document is indexed under (several with ``[*]``)."""
        if not self._expanding:
            plain = self._plain
            if plain is not None and type(doc) is dict:
                get = doc.get
                vals = tuple([encode(get(p)) for p in plain])
            else:
                vals = tuple(encode(resolve_path(doc, p)) for p, _ in self._paths)
            if self.sparse and _NULL in vals:
                return []
            return [vals]
        combos: list[tuple[Any, ...]] = [()]
        for path, sub in self._paths:
            options = self._field_values(doc, path, sub)
            if options is None:
                return []
            encoded = list(dict.fromkeys(encode(v) for v in options))
            combos = [(*c, e) for c in combos for e in encoded]
        if self.sparse:
            combos = [c for c in combos if _NULL not in c]
        return list(dict.fromkeys(combos))

    # Entries are (values, "", key): equal values are ordered by key, so an update that leaves the
    # indexed values alone leaves the entry alone too (see ``same_entries``).
    def insert(self, doc: Document) -> None:
        for vals in self.values_of(doc):
            self.entries.add((vals, "", doc["_key"]))

    def remove(self, doc: Document) -> None:
        for vals in self.values_of(doc):
            self.entries.discard((vals, "", doc["_key"]))

    def clear(self) -> None:
        """Forget every entry."""
        self.entries.clear()

    def bulk_load(self, docs: list[Document]) -> None:
        self.entries.bulk_load([(vals, "", d["_key"]) for d in docs for vals in self.values_of(d)])

    def same_entries(self, old: Document, new: Document) -> bool:
        """True when ``new`` is indexed exactly as ``old`` (same key and values)."""
        return self.values_of(old) == self.values_of(new)

    def conflict(self, doc: Document, ignore: Any) -> str | None:
        """Key of a committed document that ``doc`` would collide with (unique indexes)."""
        if not self.unique:
            return None
        for vals in self.values_of(doc):
            keys: list[str] = self.entries.prefix_keys(vals)
            for key in keys:
                if key != doc["_key"] and key not in ignore:
                    return key
        return None

    def keys_equal(self, values: tuple[Any, ...]) -> Iterator[str]:
        """Keys of documents whose leading fields equal ``values`` (encoded), in index order."""
        seen: set[str] = set()
        for key in self.entries.prefix_keys(values):
            if not self._expanding:
                yield key
            elif key not in seen:
                seen.add(key)
                yield key


class EdgeIndex:
    """``_from`` and ``_to`` -> edge keys, in insertion order."""

    kind = "edge"

    def __init__(self) -> None:
        self.out: dict[str, dict[str, None]] = {}
        self.into: dict[str, dict[str, None]] = {}

    def clear(self) -> None:
        """Forget every entry."""
        self.out, self.into = {}, {}

    def insert(self, doc: Document) -> None:
        self.out.setdefault(doc["_from"], {})[doc["_key"]] = None
        self.into.setdefault(doc["_to"], {})[doc["_key"]] = None

    def remove(self, doc: Document) -> None:
        for table, vertex in ((self.out, doc["_from"]), (self.into, doc["_to"])):
            keys = table.get(vertex)
            if keys is not None:
                keys.pop(doc["_key"], None)
                if not keys:
                    del table[vertex]

    def keys(self, vertex: str, direction: str) -> list[str]:
        table = self.out if direction == "out" else self.into
        return list(table.get(vertex, ()))


def ttl_expiry(value: Any, expire_after: float) -> float | None:
    """When a document with this attribute value expires (unix seconds), or None (never)."""
    t = type(value)
    if t is int or t is float:
        return float(value) + expire_after
    if t is str:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.timestamp() + expire_after
    return None


class TtlIndex:
    """Documents ordered by expiry time; the sweeper removes the expired prefix.

    Entries are ``(((2, expiry),), "", key)``: the same sorted entries as a persistent index on
    the expiry time, so both kinds share one store (in memory or on disk).
    """

    kind = "ttl"
    unique = False
    sparse = True
    expanding = False

    def __init__(self, iid: str, name: str, field: str, expire_after: float) -> None:
        self.id = iid
        self.name = name
        self.fields = [field]
        self.expire_after = expire_after
        self.entries: Any = SortedEntries()

    def values_of(self, doc: Document) -> list[tuple[Any, ...]]:
        """``[((2, expiry),)]``, or none when the document never expires."""
        when = ttl_expiry(resolve_path(doc, self.fields[0]), self.expire_after)
        return [] if when is None else [((2, when),)]

    def same_entries(self, old: Document, new: Document) -> bool:
        """True when ``new`` expires exactly when ``old`` does."""
        return self.values_of(old) == self.values_of(new)

    def insert(self, doc: Document) -> None:
        for vals in self.values_of(doc):
            self.entries.add((vals, "", doc["_key"]))

    def remove(self, doc: Document) -> None:
        for vals in self.values_of(doc):
            self.entries.discard((vals, "", doc["_key"]))

    def clear(self) -> None:
        """Forget every entry."""
        self.entries.clear()

    def bulk_load(self, docs: list[Document]) -> None:
        self.entries.bulk_load([(vals, "", d["_key"]) for d in docs for vals in self.values_of(d)])

    def next_expiry(self) -> float | None:
        first: float | None = self.entries.min_number()
        return first

    def expired(self, now: float) -> list[str]:
        """Keys of documents expired at ``now``."""
        window = Window.first_field(None, True, (2, now), True)
        return [entry[-1] for entry in self.entries.chunk(window, None, False, 1 << 62)]
