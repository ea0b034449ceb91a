"""Which names count as renaming ArangoDB's ``_key`` and ``_id``."""

from __future__ import annotations

__all__ = ["ARANGO_IDS", "GENERIC_FIELDS", "GENERIC_NAMES", "is_rename"]

ARANGO_IDS = frozenset({"_key", "_id"})

# Names that hide which ArangoDB identifier a value is. Foreign keys such as ``library_key``
# are deliberately absent: storing another document's ``_key`` under a descriptive name is fine.
GENERIC_NAMES = frozenset(
    {"id", "key", "uuid", "guid", "pk", "oid", "ident", "identifier", "doc_id", "document_id"}
)

# Field names a DTO must not give its ``_key``/``_id`` alias: the sanctioned names move the
# underscore to the end (``key_``, ``id_``), as ``nomarr.helpers.dto.base`` does.
GENERIC_FIELDS = GENERIC_NAMES


def is_rename(source: str, target: str) -> bool:
    """Return True when copying ``source`` (an attribute name) to ``target`` renames an id."""
    return source in ARANGO_IDS and target != source and target in GENERIC_NAMES
