"""The storage contract the AQL executor and the REST layer program against.

``arangolite.storage`` implements these protocols; nothing else in arangolite reaches into storage
internals. Documents handed out are the stored dicts themselves: callers must never mutate them
(writes build new dicts). Every failure is an ``arangolite.errors.ArangoError`` with ArangoDB's
error number.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from arangolite.storage.engine_lock import EngineLock
    from arangolite.storage.savepoint import Savepoint

Document = dict[str, Any]
# a range on one attribute: (low, low_inclusive, high, high_inclusive, has_low, has_high)
Bounds = tuple[Any, bool, Any, bool, bool, bool]
OverwriteMode = Literal["conflict", "ignore", "replace", "update"]


class CollectionHandle(Protocol):
    """One collection as seen from inside a transaction (reads see the transaction's own writes)."""

    name: str
    is_edge: bool

    def all(
        self, where: Sequence[tuple[str, str, Any]] = (), first: int | None = None
    ) -> Iterator[Document]:
        """Every document, in insertion order (``where``: ``(path, op, value)`` conditions the
        caller checks on every document; documents failing them may be left out). ``first``:
        how many documents the caller expects to take (a LIMIT), to size the first read."""

    def count(self) -> int:
        """Number of documents."""

    def get(self, key: str) -> Document | None:
        """The document with this ``_key``, or None."""

    def lookup(
        self,
        fields: Sequence[str],
        values: Sequence[Any],
        *,
        sort_by: str | None = None,
        descending: bool = False,
        bounds: Bounds | None = None,
    ) -> Iterable[Document] | None:
        """Documents whose ``fields`` equal ``values`` (AQL equality), through an index.

        With ``sort_by``: in AQL order of that attribute (``descending``: the exact reverse),
        through a non-sparse index whose fields are ``fields`` (any order) then ``sort_by``;
        None when there is no such index (the caller sorts the plain lookup itself). ``bounds``
        (with ``sort_by``): ``(low, low_inclusive, high, high_inclusive, has_low, has_high)``, a
        range on ``sort_by`` the read may start and stop at (the caller still checks every
        document against its FILTERs): keyset pages read from where the last one ended.

        ``fields`` are attribute paths (``"a.b"``). Returns None when no index can answer:
        the caller then scans. ``("_key",)``, ``("_from",)`` and ``("_to",)`` are always indexed
        (primary and edge index).
        """

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
        """Documents in AQL sort order of ``field`` within the bounds, through a sorted index
        whose first field is ``field`` (for ``_key`` without one, the primary index when
        ``first`` is given: on disk always, in memory only when ``ordered``, the order wanted);
        None when there is no such index. ``first``: how many documents the caller expects to
        take (a LIMIT), to size the first read (None: a default)."""

    def match_count(
        self, fields: Sequence[str], values: Sequence[Any], cap: int | None = None
    ) -> int | None:
        """How many documents have ``fields`` equal to ``values`` (AQL equality), from an index
        alone (a non-sparse index whose first fields are ``fields`` in any order, without
        ``[*]``), at most ``cap`` (counting stops there); None when no index can answer or the
        snapshot differs from the committed state (the caller then counts documents)."""

    def value_counts(
        self, field: str, fields: Sequence[str] = (), values: Sequence[Any] = ()
    ) -> Iterator[tuple[Any, int]] | None:
        """``(value, number of documents)`` for each distinct value of the attribute path
        ``field``, in AQL order, among the documents whose ``fields`` equal ``values`` (AQL
        equality; none: every document), read from an index alone (a non-sparse index whose
        fields are ``fields`` in any order then ``field``, without ``[*]``); values equal in
        AQL (``1``, ``1.0``) form one group. None when no index can answer or the snapshot
        differs from the committed state (the caller then counts documents)."""

    def edges(self, vertex_id: str, direction: Literal["out", "in"]) -> list[Document]:
        """Edges whose ``_from`` (out) or ``_to`` (in) is ``vertex_id``, in insertion order."""

    def index_view(self, kind: str) -> Any:
        """The first index of ``kind`` (geo, fulltext) as an ``IndexView``, or None."""

    def insert(
        self,
        doc: Document,
        *,
        overwrite_mode: OverwriteMode | None = None,
        keep_null: bool = True,
        merge_objects: bool = True,
        validate: bool = True,
    ) -> tuple[Document | None, Document]:
        """Insert (or overwrite as ``overwrite_mode`` says); return ``(old, new)``. ``validate``
        false skips the collection's schema (``skipDocumentValidation``), not computed values."""

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
        """Merge ``patch`` into the document; ``rev`` given means 1200 unless it matches."""

    def replace(
        self, key: str, doc: Document, *, rev: str | None = None, validate: bool = True
    ) -> tuple[Document, Document]:
        """Replace the document's body, keeping ``_key``/``_id``."""

    def remove(self, key: str, *, rev: str | None = None) -> Document:
        """Remove and return the old document."""

    def truncate(self) -> None:
        """Remove every document."""


class Transaction(Protocol):
    """A unit of reads and writes: an AQL query's implicit one or a stream transaction."""

    id: str
    status: str  # "running", "committed" or "aborted"
    # a stream transaction whose request holds its lease alone (``storage.stream_lease``)
    held_alone: bool

    def collection(self, name: str) -> CollectionHandle:
        """Handle on a collection; 1203 when it does not exist."""

    def document(self, doc_id: str) -> Document | None:
        """``DOCUMENT("coll/key")``: the document or None (also None for a missing collection)."""

    def graph(self, name: str) -> Document:
        """The named graph's definition (``edgeDefinitions`` ...); 1924 when missing."""

    def commit(self) -> None:
        """Make the writes visible and durable."""

    def abort(self) -> None:
        """Discard the writes."""

    def begin_statement(self) -> Savepoint:
        """Note the state before a statement (a query inside a stream transaction)."""

    def end_statement(self, saved: Savepoint, *, keep: bool) -> None:
        """Keep the statement's writes, or roll them back to ``saved``."""


class DatabaseHandle(Protocol):
    """One database of the engine."""

    name: str

    @property
    def engine_lock(self) -> EngineLock:
        """The engine's lock (a query that holds it hands it to waiters between rows)."""

    def begin(
        self,
        read: Iterable[str] = (),
        write: Iterable[str] = (),
        exclusive: Iterable[str] = (),
        *,
        lock_timeout: float | None = None,
    ) -> Transaction:
        """Start a transaction. An AQL query outside a stream transaction uses one too."""
