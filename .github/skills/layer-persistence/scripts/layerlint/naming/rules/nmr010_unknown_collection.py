"""NMR010: queries name only collections the schema declares."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..aql import collection_refs
from ..source import SourceFile
from .base import Rule

if TYPE_CHECKING:
    from ..project import Project


class UnknownCollection(Rule):
    """Checks every collection a persistence query names against ``persistence/schema.py``.

    Names come from ``FOR x IN name`` (when ``name`` is not a variable), modification targets,
    traversal edge collections and ``WITH``. ``@@coll`` bind parameters are fine. The rule is
    inactive in a tree without ``nomarr/persistence/schema.py``.
    """

    code = "NMR010"
    name = "unknown-collection"
    message = (
        "{label} uses collection `{name}` (query {line}:{column}), which schema.py does not declare"
    )
    hint = "declare it in COLLECTIONS in nomarr/persistence/schema.py, or fix the typo"
    why = (
        "An undeclared collection is never created, so the query fails at run time with "
        "1203 (collection or view not found)."
    )
    example = 'GET = "FOR f IN library_file RETURN f"  # singular: a typo'
    instead = 'GET = "FOR f IN library_files RETURN f"'

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield a finding per undeclared collection name."""
        declared = project.collections
        if declared is None:
            return
        for query in project.queries(src):
            parsed = project.parser.parse(query.text)
            for ref in collection_refs(parsed.query) if parsed.query is not None else ():
                if ref.name not in declared:
                    yield self.found(
                        src,
                        query.node,
                        label=query.label,
                        name=ref.name,
                        line=ref.line,
                        column=ref.column,
                    )
