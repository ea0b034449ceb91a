"""What a query needs to read an index that answers its own kind of query (geo, fulltext)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from arangolite.storage.state import CommittedState

__all__ = ["IndexView"]


@dataclass(frozen=True, slots=True)
class IndexView:
    """An index over the committed documents, plus the reading transaction's own writes.

    Keys the index returns that appear in ``writes`` are stale: use ``writes`` for them (a
    document there is new or changed, None means removed), and check the new documents with the
    index's own extraction (``location``, ``words``).
    """

    index: Any
    committed: CommittedState
    writes: dict[str, dict[str, Any] | None]

    def fresh(self, keys: list[str] | set[str]) -> list[dict[str, Any]]:
        """Committed documents for ``keys`` the transaction has not touched."""
        wanted = [k for k in keys if k not in self.writes]
        found = self.committed.get_many(wanted)
        return [found[k] for k in wanted if k in found]

    def written(self) -> list[dict[str, Any]]:
        """Documents this transaction inserted or changed."""
        return [doc for doc in self.writes.values() if doc is not None]
