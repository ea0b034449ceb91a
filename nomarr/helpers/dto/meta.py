"""DTOs for the ``meta`` key-value collection."""

from __future__ import annotations

from typing import Any

from nomarr.helpers.dto.base import ArangoDocument

__all__ = ["MetaEntry"]


class MetaEntry(ArangoDocument):
    """One stored setting; its ``_key`` is the setting's name."""

    value: Any = None
    updated_at: int
