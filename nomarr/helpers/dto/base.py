"""Base models: where ArangoDB's ``_key``, ``_id``, ``_rev``, ``_from`` and ``_to`` are mapped.

pydantic treats attributes with a leading underscore as private, so a field cannot be called
``_key``. nomarr keeps the ArangoDB name visible by moving the underscore to the end (PEP 8's
convention for a name that would clash): ``key_`` is aliased to ``_key``, ``id_`` to ``_id``,
``rev_`` to ``_rev``, ``from_`` to ``_from`` and ``to_`` to ``_to``. This is the only place the
mapping is written. The fields are never called ``id`` or ``key``: those hide which identifier a
value is.

Models validate from documents as stored (``Library.model_validate({"_key": ...})``), also accept
the field names (``key_=...``), and serialise back by alias: ``model_dump()`` gives ``_key``,
``_id`` and ``_rev`` again.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ArangoDocument", "EdgeDocument", "NomarrModel"]


class NomarrModel(BaseModel):
    """Base of every nomarr DTO: immutable, serialised by alias, unknown fields ignored."""

    model_config = ConfigDict(
        frozen=True,
        extra="ignore",
        validate_by_alias=True,
        validate_by_name=True,
        serialize_by_alias=True,
    )


class ArangoDocument(NomarrModel):
    """A stored document.

    Attributes:
        key_: the document's ``_key``.
        id_: the document's ``_id`` (``"<collection>/<_key>"``).
        rev_: the document's ``_rev``, when the query returned it.
    """

    key_: str = Field(alias="_key")
    id_: str = Field(alias="_id")
    rev_: str | None = Field(default=None, alias="_rev")


class EdgeDocument(ArangoDocument):
    """A stored edge.

    Attributes:
        from_: the edge's ``_from`` document id.
        to_: the edge's ``_to`` document id.
    """

    from_: str = Field(alias="_from")
    to_: str = Field(alias="_to")
