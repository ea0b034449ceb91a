"""Small definition stores kept in a database's system collection (``_aqlfunctions``,
``_analyzers``): read every document, or write one and remove some in one transaction (the
collection is created on the first write)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from arangolite.storage.database import Database

__all__ = ["read_all", "write"]


def read_all(db: Database, collection: str) -> dict[str, dict[str, Any]]:
    """The collection's documents by key (empty when it does not exist yet)."""
    if collection not in db.collections:
        return {}
    trx = db.begin(read=[collection])
    try:
        return {d["_key"]: d for d in trx.collection(collection).all()}
    finally:
        trx.abort()


def write(
    db: Database, collection: str, put: dict[str, Any] | None = None, remove: Iterable[str] = ()
) -> None:
    """Insert or replace ``put`` and remove the ``remove`` keys, all or nothing."""
    if collection not in db.collections:
        db.create_collection(collection, 2, {"isSystem": True})
    trx = db.begin(write=[collection])
    try:
        handle = trx.collection(collection)
        if put is not None:
            handle.insert(put, overwrite_mode="replace")
        for key in remove:
            handle.remove(key)
        trx.commit()
    except BaseException:
        trx.abort()
        raise
