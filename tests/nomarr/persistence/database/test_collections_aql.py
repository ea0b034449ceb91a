"""The whole-collection queries of export: each keyset page reads its page, not the collection.

``PAGE_OF_DOCUMENTS`` (``FILTER doc._key > @after SORT doc._key LIMIT @limit``) is served by the
primary index in key order, on ArangoDB as on arangolite, so an export costs what it writes: a
page reads no more documents in a collection ten times larger, and never scans it whole.
"""

from __future__ import annotations

from typing import Any

from nomarr.persistence import Database
from nomarr.persistence.database.collections_aql import PAGE_OF_DOCUMENTS


def _page(db: Database, after: str, limit: int) -> tuple[list[str], dict[str, Any]]:
    cursor = db.connection.db.aql.execute(
        PAGE_OF_DOCUMENTS, bind_vars={"@collection": "tags", "after": after, "limit": limit}
    )
    keys = [doc["_key"] for doc in cursor]
    return keys, cursor.statistics()


def _tags(start: int, count: int) -> list[dict[str, Any]]:
    return [{"_key": f"t{i:05d}", "name": "n", "value": str(i)} for i in range(start, start + count)]


def test_an_export_page_reads_its_page_not_the_collection(nomarr_db: Database) -> None:
    nomarr_db._collections.insert_many("tags", _tags(0, 300))
    keys, small = _page(nomarr_db, "t00100", 50)
    assert keys == [f"t{i:05d}" for i in range(101, 151)]
    nomarr_db._collections.insert_many("tags", _tags(300, 2700))
    keys, large = _page(nomarr_db, "t00100", 50)
    assert keys == [f"t{i:05d}" for i in range(101, 151)]
    assert small["scanned_full"] == large["scanned_full"] == 0, (small, large)
    assert large["scanned_index"] == small["scanned_index"] <= 51 + 16, (small, large)
    every = [doc["_key"] for doc in nomarr_db._collections.iter_documents("tags", batch_size=700)]
    assert every == [f"t{i:05d}" for i in range(3000)]
