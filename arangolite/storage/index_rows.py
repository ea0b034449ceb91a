"""SQLite rows of a data directory's indexes: what a commit, an index build or a migration writes.

Every persistent and TTL index of a data directory is a table of ``(k, key)`` rows (see
:mod:`arangolite.storage.disk_state`), every edge collection has rows ``(cid, dir, vertex, key)``
in ``edges`` (dir 0: ``_from``, 1: ``_to``). They are written in the same SQLite transaction as
the documents, from the replaced and the new version of each written document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from arangolite.storage.disk_state import index_table
from arangolite.storage.indexes import encode
from arangolite.storage.keycodec import scalar_bytes, to_bytes

__all__ = [
    "Ahead",
    "Statement",
    "build_rows",
    "commit_rows",
    "create_table",
    "duplicate_key",
    "edge_rows",
    "has_table",
    "row_keys",
    "rows_ahead",
    "rows_caught_up",
    "table_sql",
    "table_statements",
    "value_bytes",
]

Document = dict[str, Any]
Statement = tuple[str, list[tuple[Any, ...]]]


def has_table(index: Any) -> bool:
    """True for indexes kept as a SQLite table (persistent and TTL)."""
    return index.kind in ("persistent", "ttl")


def table_sql(cid: int, iid: str) -> str:
    return (
        f"CREATE TABLE IF NOT EXISTS {index_table(cid, iid)}"
        " (k BLOB NOT NULL, key TEXT NOT NULL, PRIMARY KEY (k, key)) WITHOUT ROWID"
    )


def value_bytes(value: Any) -> bytes:
    """``to_bytes((encode(value),))``: one value's key bytes (a key of several values is their
    concatenation)."""
    found = scalar_bytes(value)
    return to_bytes((encode(value),)) if found is None else found


def row_keys(index: Any) -> Callable[[Document], list[bytes]]:
    """``doc -> [to_bytes(vals) for vals in index.values_of(doc)]``, without the encoded tuples
    for a persistent index on top-level attributes (the common case: one call per document)."""
    plain = getattr(index, "plain_fields", None) if index.kind == "persistent" else None
    if plain is None:
        values_of = index.values_of
        return lambda doc: [to_bytes(vals) for vals in values_of(doc)]
    sparse = index.sparse
    if len(plain) == 1:
        field = plain[0]

        def one(doc: Document) -> list[bytes]:
            value = doc.get(field)
            if value is None:
                return [] if sparse else [b"\x01"]
            found = scalar_bytes(value)
            return [to_bytes((encode(value),)) if found is None else found]

        return one

    def several(doc: Document) -> list[bytes]:
        values = [doc.get(f) for f in plain]
        if sparse and any(v is None for v in values):
            return []
        return [b"".join([value_bytes(v) for v in values])]

    return several


def build_rows(index: Any, docs: Iterable[Document]) -> list[tuple[bytes, str]]:
    """Every row of ``index`` over ``docs``."""
    keys_of = row_keys(index)
    return [(k, d["_key"]) for d in docs for k in keys_of(d)]


def create_table(cid: int, index: Any, docs: Iterable[Document]) -> list[Statement]:
    """Statements creating and filling the table of ``index`` (with ``docs``)."""
    return table_statements(cid, index, build_rows(index, docs))


def table_statements(cid: int, index: Any, rows: list[tuple[bytes, str]]) -> list[Statement]:
    """Statements creating the table of ``index`` and filling it with ``rows``."""
    table = index_table(cid, index.id)
    return [(table_sql(cid, index.id), [()]), (f"INSERT OR IGNORE INTO {table} VALUES (?, ?)", rows)]


def rows_caught_up(
    index: Any, rows: list[tuple[bytes, str]], changed: list[str], current: dict[str, Document]
) -> list[tuple[bytes, str]]:
    """``rows`` of ``index`` built from an earlier snapshot, brought up to date: the rows of
    the ``changed`` keys replaced by those of their ``current`` versions (a key missing from
    ``current`` was removed)."""
    if not changed:
        return rows
    gone = set(changed)
    kept = [row for row in rows if row[1] not in gone]
    kept.extend(build_rows(index, [current[k] for k in changed if k in current]))
    return kept


def duplicate_key(rows: list[tuple[bytes, str]]) -> str | None:
    """A key whose values another document shares (unique index builds), else None."""
    rows = sorted(rows)
    for pos in range(1, len(rows)):
        if rows[pos][0] == rows[pos - 1][0] and rows[pos][1] != rows[pos - 1][1]:
            return rows[pos][1]
    return None


def edge_rows(cid: int, doc: Document) -> list[tuple[int, int, str, str]]:
    return [(cid, 0, doc["_from"], doc["_key"]), (cid, 1, doc["_to"], doc["_key"])]


def _fresh_rows(
    index: Any, keys_of: Callable[[Document], list[bytes]], fresh: list[tuple[str, Document]]
) -> list[tuple[bytes | bytearray, str]]:
    """The rows of ``index`` for new documents ``(key, doc)`` (one loop without a call per
    document for an index on one top-level attribute). Their keys are ``bytearray``: sqlite3
    binds ``int``, ``float``, ``str`` and ``bytearray`` directly but looks every other type
    (``bytes`` too) up in its adapters first, which cost more than the copy (0.2 us a row;
    a repeated value's copy is shared)."""
    plain = getattr(index, "plain_fields", None) if index.kind == "persistent" else None
    if plain is None or len(plain) != 1:
        return [(k, key) for key, doc in fresh for k in keys_of(doc)]
    field, sparse = plain[0], index.sparse
    rows: list[tuple[bytes | bytearray, str]] = []
    append = rows.append
    strings: dict[str, bytearray] = {}  # a batch repeats few values of a status-like attribute
    null = bytearray(b"\x01")
    for key, doc in fresh:
        value = doc.get(field)
        if type(value) is str:
            found = strings.get(value)
            if found is None:
                found = strings[value] = bytearray(value_bytes(value))
        elif value is None:
            if sparse:
                continue
            found = null
        else:
            found = bytearray(scalar_bytes(value) or value_bytes(value))
        append((found, key))
    return rows


# index id -> (the index, the rows of every new version a commit writes)
Ahead = dict[str, tuple[Any, list[tuple[bytes | bytearray, str]]]]


def rows_ahead(indexes: list[Any], writes: dict[str, Document | None]) -> Ahead:
    """The rows of each table index for every new version in ``writes``, worked out before the
    commit knows which keys are new (without the engine lock: the documents are the committing
    transaction's own): :func:`commit_rows` takes them when all of ``writes`` are new keys."""
    fresh = [(key, new) for key, new in writes.items() if new is not None]
    return {
        index.id: (index, _fresh_rows(index, row_keys(index), fresh))
        for index in list(indexes)
        if has_table(index)
    }


def commit_rows(
    cid: int,
    indexes: list[Any],
    is_edge: bool,
    writes: dict[str, Document | None],
    olds: dict[str, Document],
    ahead: Ahead | None = None,
) -> list[Statement]:
    """Index and edge rows to delete and insert for ``writes`` replacing ``olds`` (``ahead``:
    :func:`rows_ahead` of ``writes``, used for an index still the same when every write is a
    new key, as in an import)."""
    out: list[Statement] = []
    fresh: list[tuple[str, Document]] = []  # new keys (the bulk of an import): only rows to add
    replaced: list[tuple[str, Document, Document | None]] = []
    for key, new in writes.items():
        old = olds.get(key)
        if old is None:
            if new is not None:
                fresh.append((key, new))
        else:
            replaced.append((key, old, new))
    for index in indexes:
        if not has_table(index):
            continue
        gone: list[tuple[bytes, str]] = []
        keys_of = row_keys(index)
        ready = ahead.get(index.id) if ahead is not None and not replaced else None
        if ready is not None and ready[0] is index:
            added = ready[1]  # (``fresh`` is every new version of ``writes``: no key replaced)
        else:
            added = _fresh_rows(index, keys_of, fresh)
        for key, old, new in replaced:
            before = keys_of(old)
            after = [] if new is None else keys_of(new)
            if before == after:
                continue
            gone += [(k, key) for k in before if k not in after]
            added += [(k, key) for k in after if k not in before]
        table = index_table(cid, index.id)
        if gone:
            out.append((f"DELETE FROM {table} WHERE k=? AND key=?", gone))
        if added:
            out.append((f"INSERT OR IGNORE INTO {table} VALUES (?, ?)", added))
    if is_edge:
        gone_e: list[tuple[int, int, str, str]] = []
        added_e: list[tuple[int, int, str, str]] = []
        for key, new in writes.items():
            old = olds.get(key)
            if (
                old is not None
                and new is not None
                and (old["_from"], old["_to"]) == (new["_from"], new["_to"])
            ):
                continue
            if old is not None:
                gone_e.extend(edge_rows(cid, old))
            if new is not None:
                added_e.extend(edge_rows(cid, new))
        if gone_e:
            out.append(("DELETE FROM edges WHERE cid=? AND dir=? AND vertex=? AND key=?", gone_e))
        if added_e:
            out.append(("INSERT OR IGNORE INTO edges VALUES (?, ?, ?, ?)", added_e))
    return out
