"""A geo or fulltext index as a transaction sees it: the live index, corrected by its snapshot.

A geo or fulltext index lives in memory and describes the committed documents (on disk: the
engine's pinned snapshot, which it follows). A transaction reads the committed state as of its
start plus its own writes: its *delta* (``TrxCollection._delta``) maps every key another
transaction committed since it began to its version as of the start (``undo``; None: not there
then), and every key it wrote itself to its own version (None: removed). The index's answer is
corrected with that delta, as the ordered index reads of ``scan.py`` are:

- a key the index returns that is in the delta is dropped: its entry describes another version;
- every version of the delta (those not None) is tested against the same question with the
  index's own extraction (``GeoIndex.location``, ``FulltextIndex.words``) and added when it
  answers it.

The caller orders and cuts the merged answer (``NEAR`` by distance, then its limit; ``FULLTEXT``
in the collection's order, then its limit), as it would the index's alone.

``hold`` is held while the index, the committed documents and the delta are read, so that a
reader without the engine lock (``memory_read``) reads them between two commits.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from arangolite.storage.state import CommittedState

__all__ = ["IndexView"]

Document = dict[str, Any]
Delta = dict[str, Document | None]


def _no_hold() -> contextlib.AbstractContextManager[Any]:
    return contextlib.nullcontext()


@dataclass(frozen=True, slots=True)
class IndexView:
    """An index over the committed documents, with the reading transaction's delta.

    ``delta`` gives the delta at the moment of the read (called under ``hold``)."""

    index: Any
    committed: CommittedState
    delta: Callable[[], Delta]
    hold: Callable[[], contextlib.AbstractContextManager[Any]] = field(default=_no_hold)

    def located(
        self, keys: Callable[[Any], Iterable[str]] | None = None
    ) -> list[tuple[Document, Any]]:
        """``(document, location)`` of the transaction's snapshot for the geo index's hits:
        the committed points ``keys(index)`` returns (None: every indexed document), then every
        version of the delta the index would hold, with its location."""
        index = self.index
        with self.hold():
            delta = self.delta()
            wanted = list(index.locations) if keys is None else list(keys(index))
            locations = index.locations
            out = [(doc, locations[doc["_key"]]) for doc in self._fresh(wanted, delta)]
        for doc in delta.values():
            if doc is not None and (where := index.location(doc)) is not None:
                out.append((doc, where))
        return out

    def matching(
        self, keys: Callable[[Any], set[str]], matches: Callable[[Document], bool],
        limit: int | None = None,
    ) -> list[Document]:
        """The documents of the transaction's snapshot that answer a fulltext question: the
        committed ones among ``keys(index)``, in the collection's order, then the versions of
        the delta for which ``matches`` holds (the transaction's scans put them last too); the
        first ``limit`` of them (None: all), reading no more committed ones than that."""
        with self.hold():
            delta = self.delta()
            hits = keys(self.index)  # (a set of its own)
            if delta:
                hits.difference_update(delta)
            found = self.committed.in_order(hits, limit)
        if limit is None or len(found) < limit:
            found.extend(doc for doc in delta.values() if doc is not None and matches(doc))
        return found if limit is None else found[:limit]

    def _fresh(self, keys: list[str], delta: Delta) -> list[Document]:
        """Committed documents for ``keys`` the delta does not correct, in ``keys``' order."""
        wanted = [k for k in keys if k not in delta]
        found = self.committed.get_many(wanted)
        return [found[k] for k in wanted if k in found]
