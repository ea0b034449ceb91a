"""Which texts of a module are AQL queries (run at a call site, or named like a query)."""

from __future__ import annotations

import ast
import re
from typing import NamedTuple

from .calls import ExecuteCall
from .folding import Const, Folder, local_bindings
from .source import SourceFile

__all__ = ["QueryText", "looks_like_aql", "query_texts"]

AQL_KEYWORDS = frozenset(
    {"FOR", "LET", "RETURN", "INSERT", "UPSERT", "UPDATE", "REMOVE", "REPLACE", "WITH"}
)
_LEADING_NOISE = re.compile(r"\A(?:\s+|//[^\n]*|/\*.*?\*/)*", re.DOTALL)


class QueryText(NamedTuple):
    """An AQL text found in a module, with the node findings about it are reported at."""

    text: str
    node: ast.AST
    name: str = ""

    @property
    def label(self) -> str:
        """Return how messages name this query."""
        return f"query `{self.name}`" if self.name else "inline query"


def query_texts(src: SourceFile, calls: list[ExecuteCall]) -> list[QueryText]:
    """Return the module's AQL texts.

    These are: constants passed to ``.aql.execute``; UPPER_CASE constants that start with an
    AQL keyword, unless they are fragments used to build other constants; and constant texts
    passed to ``.aql.execute`` directly.
    """
    found: dict[str, QueryText] = {}
    inline: list[QueryText] = []
    for site in calls:
        name = _module_constant(src, site)
        if name is not None:
            _add_constant(src, name, found)
        elif site.query is not None:
            text = _text(site.folder(src), site.query)
            if text is not None:
                inline.append(QueryText(text, site.query))
    fragments = _fragment_names(src) | src.exported_fragments
    for name in src.own_constants:
        if name.isupper() and name not in found and name not in fragments:
            text = _text(Folder(src.constants), src.constants[name])
            if text is not None and looks_like_aql(text):
                found[name] = QueryText(text, src.constant_lines[name], name)
    return [*found.values(), *inline]


def _fragment_names(src: SourceFile) -> set[str]:
    """Return constants used to build other constants: pieces of a query, not queries."""
    names: set[str] = set()
    for value in src.constants.values():
        if type(value) is not ast.Constant:  # a literal names nothing: most constants
            names.update(n.id for n in ast.walk(value) if isinstance(n, ast.Name))
    return names


def _module_constant(src: SourceFile, site: ExecuteCall) -> str | None:
    query = site.query
    if not isinstance(query, ast.Name) or query.id not in src.own_constants:
        return None
    local, params = local_bindings(site.scope)
    return None if query.id in local or query.id in params else query.id


def _add_constant(src: SourceFile, name: str, found: dict[str, QueryText]) -> None:
    text = _text(Folder(src.constants), src.constants[name])
    if text is not None and name not in found:
        found[name] = QueryText(text, src.constant_lines[name], name)


def _text(folder: Folder, expr: ast.expr) -> str | None:
    folded = folder.fold(expr)
    return folded.value if isinstance(folded, Const) and isinstance(folded.value, str) else None


def looks_like_aql(text: str) -> bool:
    """Return True when ``text`` starts (after blanks and comments) with an AQL keyword."""
    rest = text[_LEADING_NOISE.match(text).end() :]  # type: ignore[union-attr]
    first = re.match(r"[A-Z]+\b", rest)
    return first is not None and first.group(0) in AQL_KEYWORDS
