"""NMR009: the bind variables passed match the ones the query declares."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..bindvars import passed_keys
from ..calls import ExecuteCall
from ..folding import Const
from ..source import SourceFile
from .base import Rule

if TYPE_CHECKING:
    from ..project import Project


class BindVarsMismatch(Rule):
    """Compares the ``bind_vars`` keys of each ``.aql.execute`` call with the query's parameters.

    Keys are read as python-arango expects them: ``"x"`` for ``@x`` and ``"@c"`` for ``@@c``.
    Calls whose query text or bind keys cannot be read statically are skipped.
    """

    code = "NMR009"
    name = "bind-vars-mismatch"
    message = "bind variable `{key}` is {problem}"
    hint = "make the bind_vars keys exactly the query's @params ('@coll' for @@coll)"
    why = (
        "ArangoDB rejects a query with a missing bind parameter (1551) or an unused one (1552); "
        "the mismatch is visible before the query ever runs."
    )
    example = (
        'GET = "FOR f IN library_files FILTER f.status == @status RETURN f"\n'
        'db.aql.execute(GET, bind_vars={"state": status})'
    )
    instead = 'db.aql.execute(GET, bind_vars={"status": status})'

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield one finding per missing or unused bind variable."""
        for site in project.calls(src):
            if site.forwarded:
                continue
            declared = self._declared(src, project, site)
            given = passed_keys(site)
            if declared is None or given is None:
                continue
            where = site.bind_vars or site.call
            for key in sorted(declared - given):
                yield self.found(
                    src, where, key=key, problem="declared by the query but not passed"
                )
            for key in sorted(given - declared):
                yield self.found(src, where, key=key, problem="passed but not used by the query")

    @staticmethod
    def _declared(src: SourceFile, project: Project, site: ExecuteCall) -> set[str] | None:
        if site.query is None:
            return None
        folded = site.folder(src).fold(site.query)
        if not isinstance(folded, Const) or not isinstance(folded.value, str):
            return None
        parsed = project.parser.parse(folded.value)
        return set(parsed.facts.bind_names) if parsed.facts is not None else None
