"""DTOs for libraries and the folders inside them."""

from __future__ import annotations

from pydantic import Field

from nomarr.helpers.dto.base import ArangoDocument, NomarrModel

__all__ = ["Library", "LibraryCreate", "LibraryFolder", "LibraryUpdate"]


class LibraryCreate(NomarrModel):
    """What a caller supplies to create a library.

    Attributes:
        name: display name.
        root_path: the library's root directory.
        enabled: whether scans should include it.
    """

    name: str = Field(min_length=1)
    root_path: str = Field(min_length=1)
    enabled: bool = True


class LibraryUpdate(NomarrModel):
    """A partial update of a library; None fields are left unchanged."""

    name: str | None = Field(default=None, min_length=1)
    root_path: str | None = Field(default=None, min_length=1)
    enabled: bool | None = None


class Library(ArangoDocument):
    """A stored library."""

    name: str
    root_path: str
    enabled: bool = True
    created_at: int
    updated_at: int


class LibraryFolder(ArangoDocument):
    """A stored folder of a library; its ``_key`` derives from the library key and path."""

    library_key: str
    path: str
    created_at: int
    updated_at: int
