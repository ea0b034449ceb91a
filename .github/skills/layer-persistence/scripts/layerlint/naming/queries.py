"""Where a module runs AQL (``<x>.aql.execute(...)`` calls) and which texts are AQL queries."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .folding import Const, Folder, local_bindings
from .source import SourceFile

__all__ = ["ExecuteCall", "QueryText", "execute_calls", "query_texts"]

AQL_KEYWORDS = frozenset(
    {"FOR", "LET", "RETURN", "INSERT", "UPSERT", "UPDATE", "REMOVE", "REPLACE", "WITH"}
)
_LEADING_NOISE = re.compile(r"\A(?:\s+|//[^\n]*|/\*.*?\*/)*", re.DOTALL)
_Scope = ast.FunctionDef | ast.AsyncFunctionDef | None


@dataclass(frozen=True, slots=True)
class ExecuteCall:
    """One ``<x>.aql.execute(...)`` call.

    Attributes:
        call: the call node.
        query: the query argument (first positional or ``query=``), if any.
        bind_vars: the ``bind_vars=`` argument, if any.
        scope: the enclosing function, if any.
    """

    call: ast.Call
    query: ast.expr | None
    bind_vars: ast.expr | None
    scope: _Scope

    def folder(self, src: SourceFile) -> Folder:
        """Return a folder that sees the module's constants and this call's local names."""
        local, params = local_bindings(self.scope)
        return Folder(src.constants, local, params)


@dataclass(frozen=True, slots=True)
class QueryText:
    """An AQL text found in a module, with the node findings about it are reported at."""

    text: str
    node: ast.AST
    name: str = ""

    @property
    def label(self) -> str:
        """Return how messages name this query."""
        return f"query `{self.name}`" if self.name else "inline query"


def execute_calls(src: SourceFile) -> list[ExecuteCall]:
    """Return every ``.aql.execute(...)`` call of ``src`` with its enclosing function."""
    return list(_walk_calls(src.tree, None)) if src.tree else []


def _walk_calls(node: ast.AST, scope: _Scope) -> Iterator[ExecuteCall]:
    for child in ast.iter_child_nodes(node):
        inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else scope
        if isinstance(child, ast.Call) and _is_execute(child):
            yield ExecuteCall(
                child, _argument(child, 0, "query"), _keyword(child, "bind_vars"), scope
            )
        yield from _walk_calls(child, inner)


def _is_execute(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "execute"
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "aql"
    )


def _argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    if len(call.args) > position and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    return _keyword(call, name)


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def query_texts(src: SourceFile) -> list[QueryText]:
    """Return the module's AQL texts.

    These are: constants passed to ``.aql.execute``; UPPER_CASE constants that start with an
    AQL keyword, unless they are fragments used to build other constants; and constant texts
    passed to ``.aql.execute`` directly.
    """
    found: dict[str, QueryText] = {}
    inline: list[QueryText] = []
    for site in execute_calls(src):
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
