"""NMR007: AQL text is fixed; values travel as bind variables."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..folding import Dynamic
from ..source import SourceFile
from .base import Rule

if TYPE_CHECKING:
    from ..project import Project


class DynamicAqlText(Rule):
    """Flags ``.aql.execute(query)`` where the query text is assembled at run time.

    Accepted: a string literal, a module-level constant, or text built only from constant
    fragments (``+``, f-strings, ``.format``, ``.join`` of constants; either branch of a
    conditional). Anything else formatted into the text, a value, a collection name, a sort
    field, a limit, is flagged at the part that is not constant.
    """

    code = "NMR007"
    name = "dynamic-aql-text"
    message = "AQL text is built at run time: {reason}"
    hint = "use a named query constant and pass the value as @param (or a collection as @@coll)"
    why = (
        "Text formatted into a query is an injection hole, defeats the query cache and cannot be "
        "checked by the parser rules; bind variables have none of these problems."
    )
    example = 'db.aql.execute(f"FOR f IN {collection} LIMIT {limit} RETURN f")'
    instead = (
        'GET_FILES = "FOR f IN @@coll LIMIT @limit RETURN f"\n'
        'db.aql.execute(GET_FILES, bind_vars={"@coll": collection, "limit": limit})'
    )

    def applies_to(self, src: SourceFile) -> bool:
        """Check every ``nomarr`` module: no layer may build AQL text at run time."""
        return src.in_package("nomarr")

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield a finding per execute call whose query text is not constant."""
        for site in project.calls(src):
            if site.query is None or site.forwarded:
                continue
            folded = site.folder(src).fold(site.query)
            if isinstance(folded, Dynamic):
                yield self.found(src, folded.node, reason=folded.reason)
