"""What one statement of a stream transaction changed, so that a failed statement leaves nothing.

A query inside a stream transaction writes into the transaction's overlays, which outlive the
query. When the query fails (killed, past its ``maxRuntime`` or memory limit, a conflict, a
unique violation), the statement is rolled back to the state before it: every key it wrote gets
its earlier overlay entry back (or none), and the key locks it took are given back. The
transaction itself keeps running, with everything its earlier requests did.

The query may be interrupted at any bytecode of its own code, also half-way through a write
(``aql.limits``). So the earlier state of a key is noted *before* the key is locked or written,
and the rollback trusts nothing else: it restores the noted entries and builds the overlay's
unique tables again (``Overlay.restore``); the locks to give back are the ones claimed since the
savepoint (``Transaction.claim`` notes a lock before it takes it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from arangolite.storage.overlay import Overlay

__all__ = ["Savepoint"]

Document = dict[str, Any]
_ABSENT: tuple[bool, Document | None] = (False, None)


class Savepoint:
    """The state before one statement: the transaction's claims so far and, per overlay, the
    earlier entry of every key the statement writes (``(present, document)``)."""

    __slots__ = ("before", "claimed")

    def __init__(self, claimed: int) -> None:
        self.claimed = claimed  # how many key locks the transaction had claimed
        self.before: dict[Overlay, dict[str, tuple[bool, Document | None]]] = {}

    def note(self, overlay: Overlay, key: str) -> None:
        """Remember ``key``'s entry in ``overlay`` before the statement first writes it (each
        step is one dictionary call: an interrupt between them leaves nothing half-noted)."""
        before = self.before.get(overlay)
        if before is None:
            before = self.before.setdefault(overlay, {})
        if key not in before:
            writes = overlay.writes
            before[key] = (True, writes[key]) if key in writes else _ABSENT

    def restore(self) -> None:
        """Put every overlay back as it was at the savepoint."""
        for overlay, before in self.before.items():
            overlay.restore(before)
