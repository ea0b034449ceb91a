"""DTOs for tags and their counts."""

from __future__ import annotations

from pydantic import Field

from nomarr.helpers.dto.base import ArangoDocument, NomarrModel

__all__ = ["Tag", "TagCount", "TagValue"]


class TagValue(NomarrModel):
    """A tag as a caller supplies it: ``name=value`` (e.g. ``genre=jazz``)."""

    name: str = Field(min_length=1)
    value: str


class Tag(ArangoDocument):
    """A stored tag; its ``_key`` derives from name and value, so each pair is stored once."""

    name: str
    value: str


class TagCount(NomarrModel):
    """How many files carry a tag.

    Attributes:
        tag_key: the tag's ``_key``.
        name: the tag's name.
        value: the tag's value.
        file_count: number of files linked to the tag.
    """

    tag_key: str
    name: str
    value: str
    file_count: int
