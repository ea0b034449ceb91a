"""NMR002: public classes of a database module end in ``Operations``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..source import SourceFile
from .base import PERSISTENCE, Rule

if TYPE_CHECKING:
    from ..project import Project

_ALLOWED_SUFFIXES = ("Operations", "Mixin")


class OperationsClassName(Rule):
    """Top-level public classes in ``persistence/database/`` end in ``Operations``.

    Mixins (``*Mixin``) and private helpers (``_Name``) are exempt.
    """

    code = "NMR002"
    name = "operations-class-name"
    message = "class `{cls}` in a database module does not end in `Operations`"
    hint = "rename it `<Collection>Operations`; DTOs belong in nomarr.helpers, helpers get a `_` prefix"
    why = (
        "Callers reach each collection as `db.<collection>`, typed by one `*Operations` class; any "
        "other public class in database/ is either misplaced (a DTO, an error) or misnamed."
    )
    example = "class LibraryFilesAQL:\n    ..."
    instead = "class LibraryFilesOperations:\n    ..."

    def applies_to(self, src: SourceFile) -> bool:
        """Check modules strictly below ``nomarr.persistence.database``."""
        return src.module.startswith(PERSISTENCE + ".database.")

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield a finding per misnamed top-level class."""
        for stmt in src.tree.body if src.tree else ():
            if isinstance(stmt, ast.ClassDef) and _misnamed(stmt.name):
                yield self.found(src, stmt, cls=stmt.name)


def _misnamed(name: str) -> bool:
    return not name.startswith("_") and not name.endswith(_ALLOWED_SUFFIXES)
