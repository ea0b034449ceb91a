"""NMR008: every query of persistence parses as AQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..source import SourceFile
from .base import Rule

if TYPE_CHECKING:
    from ..project import Project


class AqlSyntaxError(Rule):
    """Parses every query text of persistence with arangolite's AQL parser.

    Query texts are the constants passed to ``.aql.execute``, literals passed to it directly,
    and module-level UPPER_CASE string constants that start with an AQL keyword (FOR, LET,
    RETURN, INSERT, UPSERT, UPDATE, REMOVE, REPLACE, WITH).
    """

    code = "NMR008"
    name = "aql-syntax"
    message = "{label} is not valid AQL: {error}"
    hint = "fix the query; the position in the message is inside the query text"
    why = "A query that does not parse fails on its first run; the checker finds it before that."
    example = 'GET_FILE = "FOR f IN library_files FILTER f._key == @key RETURN"'
    instead = 'GET_FILE = "FOR f IN library_files FILTER f._key == @key RETURN f"'

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield a finding per query text the parser rejects."""
        for query in project.queries(src):
            parsed = project.parser.parse(query.text)
            if parsed.error is not None:
                yield self.found(src, query.node, label=query.label, error=parsed.error)
