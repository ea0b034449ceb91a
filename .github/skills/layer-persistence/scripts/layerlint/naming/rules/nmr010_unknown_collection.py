"""NMR010: queries and driver calls name only collections the schema declares."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...finding import Finding
from ..bindvars import passed_values
from ..folding import Const, Folder, local_bindings
from ..source import SourceFile
from .base import PERSISTENCE, Rule

if TYPE_CHECKING:
    from ..project import Project

_COLLECTION_CALLS = frozenset({"collection", "graph_collection"})


class UnknownCollection(Rule):
    """Checks every collection name against ``persistence/schema.py``.

    In persistence queries: ``FOR x IN name`` (when ``name`` is not a variable), modification
    targets, traversal edge collections and ``WITH``. Anywhere in ``nomarr``: the name given to
    ``db.collection("name")`` and the value of a ``@@collection`` bind variable
    (``bind_vars={"@coll": "name"}``) when it is a constant. The rule is inactive in a tree
    without ``nomarr/persistence/schema.py``.
    """

    code = "NMR010"
    name = "unknown-collection"
    message = "{where} uses collection `{name}`, which schema.py does not declare"
    hint = "declare it in COLLECTIONS in nomarr/persistence/schema.py, or fix the typo"
    why = (
        "An undeclared collection is never created, so the query fails at run time with "
        "1203 (collection or view not found)."
    )
    example = 'GET = "FOR f IN library_file RETURN f"  # singular: a typo'
    instead = 'GET = "FOR f IN library_files RETURN f"'

    def applies_to(self, src: SourceFile) -> bool:
        """Check every ``nomarr`` module (query texts only in persistence)."""
        return src.in_package("nomarr")

    def check(self, src: SourceFile, project: Project) -> Iterator[Finding]:
        """Yield a finding per undeclared collection name."""
        declared = project.collections
        if declared is None:
            return
        if src.in_package(PERSISTENCE):
            yield from self._queries(src, project, declared)
        yield from self._driver_calls(src, declared)
        for site in project.calls(src):
            folder = site.folder(src)
            for key, value in passed_values(site).items():
                name = _constant(folder, value) if key.startswith("@") else None
                if name is not None and name not in declared:
                    yield self.found(src, value, where=f"bind variable `{key}`", name=name)

    def _queries(
        self, src: SourceFile, project: Project, declared: frozenset[str]
    ) -> Iterator[Finding]:
        for query in project.queries(src):
            parsed = project.parser.parse(query.text)
            for ref in parsed.facts.collections if parsed.facts is not None else ():
                if ref.name not in declared:
                    where = f"{query.label} (query {ref.line}:{ref.column})"
                    yield self.found(src, query.node, where=where, name=ref.name)

    def _driver_calls(self, src: SourceFile, declared: frozenset[str]) -> Iterator[Finding]:
        for site in src.calls:
            call = site.call
            func = call.func
            if not (isinstance(func, ast.Attribute) and func.attr in _COLLECTION_CALLS):
                continue
            arg = call.args[0] if call.args else None
            if arg is None:
                continue
            folder = _site_folder(src, site.scope)
            name = _constant(folder, arg)
            if name is not None and name not in declared:
                yield self.found(src, arg, where=f"`.{func.attr}()`", name=name)


def _site_folder(src: SourceFile, scope: ast.AST | None) -> Folder:
    """Return a folder for expressions of ``scope`` (module constants and its locals)."""
    local, params = local_bindings(scope)
    return Folder(src.constants, local, params)


def _constant(folder: Folder, expr: ast.expr) -> str | None:
    folded = folder.fold(expr)
    return folded.value if isinstance(folded, Const) and isinstance(folded.value, str) else None
