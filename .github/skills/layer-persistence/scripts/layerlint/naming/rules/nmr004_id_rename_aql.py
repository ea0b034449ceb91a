"""NMR004: AQL keeps ArangoDB's ``_key``/``_id`` names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..source import SourceFile
from .base import Rule

if TYPE_CHECKING:
    from ..project import Project


class IdKeyRenamedInAql(Rule):
    """Flags AQL object literals that copy ``doc._key``/``doc._id`` under a generic name.

    Found through the parsed query: an object item whose value is the attribute ``_key`` or
    ``_id`` and whose key is a generic name such as ``id`` or ``uuid``.
    """

    code = "NMR004"
    name = "id-key-renamed-in-aql"
    message = "{label} returns `{source}` as `{target}` (query {line}:{column})"
    hint = "return the document (or `_key: doc._key`) and let the DTO alias `_key` once"
    why = (
        "A query that renames `_key` produces documents whose identifier no DTO alias "
        "recognises; the rename then has to be undone somewhere else."
    )
    example = "FOR doc IN library_files RETURN { id: doc._key, path: doc.path }"
    instead = "FOR doc IN library_files RETURN { _key: doc._key, path: doc.path }"

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield a finding per renaming object item of every parsable query."""
        for query in project.queries(src):
            parsed = project.parser.parse(query.text)
            for ref in parsed.facts.renames if parsed.facts is not None else ():
                yield self.found(
                    src,
                    query.node,
                    label=query.label,
                    source=ref.detail,
                    target=ref.name,
                    line=ref.line,
                    column=ref.column,
                )
