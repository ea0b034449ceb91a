"""NMR015: one Operations class per database module."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..source import SourceFile
from .base import PERSISTENCE, Rule

if TYPE_CHECKING:
    from ..project import Project


class SecondOperationsClass(Rule):
    """Flags every ``*Operations`` class of a ``database/`` module after the first.

    One module, one collection, one Operations class: ``db.<collection>`` maps to exactly one
    module a reader can find from the name.
    """

    code = "NMR015"
    name = "second-operations-class"
    message = "`{cls}` is a second Operations class in this module (the first is `{first}`)"
    hint = "move it to its own database/<collection>_aql.py module"
    why = (
        "The layout is the architecture: a collection's queries are found from its module name. "
        "A second Operations class hides one collection's queries in another's module."
    )
    example = "class TagsOperations: ...\nclass FileTagsOperations: ...  # same module"
    instead = "# tags_aql.py\nclass TagsOperations: ...\n# file_tags_aql.py\nclass FileTagsOperations: ..."

    def applies_to(self, src: SourceFile) -> bool:
        """Check modules strictly below ``nomarr.persistence.database``."""
        return src.module.startswith(PERSISTENCE + ".database.")

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield a finding per top-level Operations class after the first."""
        classes = [
            stmt
            for stmt in (src.tree.body if src.tree else ())
            if isinstance(stmt, ast.ClassDef) and stmt.name.endswith("Operations")
        ]
        for extra in classes[1:]:
            yield self.found(src, extra, cls=extra.name, first=classes[0].name)
