"""Where AQL runs: ``.aql.execute`` reached literally, through aliases, or through helpers.

Recognised call sites, each giving the query argument and the ``bind_vars`` argument:

- ``x.aql.execute(q, bind_vars=b)`` (any receiver);
- aliases: ``aql = db.aql; aql.execute(q)``, ``run = db.aql.execute; run(q)``, and the same
  stored on ``self`` (``self._aql = db.aql``, ``self._run = db.aql.execute``) or at module level;
- project helpers: a function of the checked tree whose parameter flows into the query argument
  of such a call (``def execute_query(self, query, bind_vars=None): return
  self._db.aql.execute(query, bind_vars=bind_vars)``). A call of the helper is a query site (its
  argument is checked there); the forwarding call inside the helper is not checked on its own.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from .folding import Folder, appended_texts, local_bindings, mutated_sequences
from .source import SourceFile

__all__ = ["ExecuteCall", "Helper", "find_helpers", "query_sites"]

_Scope = ast.FunctionDef | ast.AsyncFunctionDef | None
_SELF = frozenset({"self", "cls"})
_FOLDER = "_nomarr_folder"


@dataclass(frozen=True, slots=True)
class Helper:
    """A function whose parameters flow into an execute call.

    Attributes:
        name: the function's name (calls are matched by it).
        query_index: position of the query parameter among the call's arguments.
        query_name: its name (for keyword calls).
        bind_index: position of the bind parameter, or -1 when the helper builds its own.
        bind_name: its name, or '' when the helper builds its own.
    """

    name: str
    query_index: int
    query_name: str
    bind_index: int = -1
    bind_name: str = ""


class ExecuteCall(NamedTuple):
    """One place a query runs.

    Attributes:
        call: the call node.
        query: the query argument, if any.
        bind_vars: the bind variables argument, if any.
        scope: the enclosing function, if any.
        forwarded: the query is a parameter of ``scope`` (a helper passing its argument on;
            the text is checked where the helper is called).
        via: ``execute`` or the name of the helper called.
        bind_known: False when a helper builds the bind variables itself.
    """

    call: ast.Call
    query: ast.expr | None
    bind_vars: ast.expr | None
    scope: _Scope
    forwarded: bool
    via: str
    bind_known: bool = True

    def folder(self, src: SourceFile) -> Folder:
        """Return a folder that sees the module's constants and this call's local names.

        One folder serves every call of a function (and of the module level): it is kept on
        the function's node (the module's for module-level calls).
        """
        holder: ast.AST | None = self.scope if self.scope is not None else src.tree
        folder: Folder | None = getattr(holder, _FOLDER, None)
        if folder is None:
            local, params = local_bindings(self.scope)
            folder = Folder(
                src.constants,
                local,
                params,
                mutated_sequences(self.scope),
                appended_texts(self.scope),
            )
            if holder is not None:
                setattr(holder, _FOLDER, folder)
        return folder


class _Aliases:
    """Names and ``self`` attributes that hold ``<x>.aql`` or ``<x>.aql.execute``."""

    def __init__(self, src: SourceFile) -> None:
        self.module_aql, self.module_run = _split(src.own_constants.items())
        self.attr_aql: set[str] = set()
        self.attr_run: set[str] = set()
        for node in src.of(ast.Assign):
            for target in node.targets:
                if _is_self_attr(target):
                    kind = _kind(node.value)
                    if kind == "aql":
                        self.attr_aql.add(target.attr)
                    elif kind == "run":
                        self.attr_run.add(target.attr)

    def local(self, scope: _Scope) -> tuple[set[str], set[str]]:
        local, _ = local_bindings(scope)
        items = [(name, values[-1]) for name, values in local.items() if len(values) == 1]
        aql, run = _split(items)
        return aql | (self.module_aql - local.keys()), run | (self.module_run - local.keys())

    def is_aql(self, expr: ast.expr, aql_names: set[str]) -> bool:
        if isinstance(expr, ast.Attribute) and expr.attr == "aql":
            return True
        if isinstance(expr, ast.Name):
            return expr.id in aql_names
        return _is_self_attr(expr) and expr.attr in self.attr_aql  # type: ignore[attr-defined]

    def is_run(self, func: ast.expr, aql_names: set[str], run_names: set[str]) -> bool:
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "execute"
            and self.is_aql(func.value, aql_names)
        ):
            return True
        if isinstance(func, ast.Name):
            return func.id in run_names
        return _is_self_attr(func) and func.attr in self.attr_run  # type: ignore[attr-defined]


def _split(items: Iterable[tuple[str, ast.expr]]) -> tuple[set[str], set[str]]:
    aql: set[str] = set()
    run: set[str] = set()
    for name, value in items:
        kind = _kind(value)
        if kind == "aql":
            aql.add(name)
        elif kind == "run":
            run.add(name)
    return aql, run


def _kind(value: ast.expr) -> str:
    if isinstance(value, ast.Attribute) and value.attr == "aql":
        return "aql"
    if (
        isinstance(value, ast.Attribute)
        and value.attr == "execute"
        and isinstance(value.value, ast.Attribute)
        and value.value.attr == "aql"
    ):
        return "run"
    return ""


def _is_self_attr(expr: ast.expr) -> bool:
    return (
        isinstance(expr, ast.Attribute)
        and isinstance(expr.value, ast.Name)
        and expr.value.id in _SELF
    )


def _may_run_queries(src: SourceFile, helpers: dict[str, Helper]) -> bool:
    """Cheap text test: no ``aql`` and no helper name in the source means no query site."""
    text = src.text
    return "aql" in text or any(name in text for name in helpers)


def _sites(src: SourceFile, helpers: dict[str, Helper]) -> Iterator[ExecuteCall]:
    if not _may_run_queries(src, helpers):
        return
    aliases = _Aliases(src)
    cache: dict[int, tuple[set[str], set[str]]] = {}
    for site in src.calls:
        key = id(site.scope)
        if key not in cache:
            cache[key] = aliases.local(site.scope)
        aql_names, run_names = cache[key]
        call = site.call
        if aliases.is_run(call.func, aql_names, run_names):
            query, bind = _argument(call, 0, "query"), _keyword(call, "bind_vars")
            yield _site(call, query, bind, site.scope, "execute")
            continue
        helper = helpers.get(_callee(call.func))
        if helper is not None:
            query = _argument(call, helper.query_index, helper.query_name)
            bind = (
                _argument(call, helper.bind_index, helper.bind_name) if helper.bind_name else None
            )
            yield _site(
                call, query, bind, site.scope, helper.name, known_bind=bool(helper.bind_name)
            )


def _site(
    call: ast.Call,
    query: ast.expr | None,
    bind: ast.expr | None,
    scope: _Scope,
    via: str,
    *,
    known_bind: bool = True,
) -> ExecuteCall:
    params = local_bindings(scope)[1]
    forwarded = isinstance(query, ast.Name) and query.id in params
    return ExecuteCall(call, query, bind, scope, forwarded, via, known_bind)


def query_sites(src: SourceFile, helpers: dict[str, Helper]) -> list[ExecuteCall]:
    """Return every place ``src`` runs a query, directly, through an alias or a helper."""
    return list(_sites(src, helpers))


def is_candidate(src: SourceFile) -> bool:
    """Whether ``find_helpers`` looks for helpers in ``src`` (its text names ``aql``)."""
    return "aql" in src.text


def find_helpers(
    files: list[SourceFile],
    found_sites: dict[str, list[ExecuteCall]] | None = None,
    known_first: dict[str, list[ExecuteCall]] | None = None,
) -> dict[str, Helper]:
    """Return the project's helper functions whose query parameter flows into an execute call.

    When no helper exists, the call sites found on the way are final: they are stored in
    ``found_sites`` (by module path) so they are not looked for again. ``known_first`` holds
    call sites already found with no helper known (``query_sites(src, {})``), by module path.
    """
    helpers: dict[str, Helper] = {}
    first_pass: dict[str, list[ExecuteCall]] = {}
    candidates = [src for src in files if is_candidate(src)]
    known = known_first or {}
    for _ in range(3):  # a helper may call a helper; three levels are plenty
        before = len(helpers)
        for src in candidates:
            ready = known.get(src.rel) if not helpers else None
            sites = ready if ready is not None else list(_sites(src, helpers))
            first_pass.setdefault(src.rel, sites)
            for site in sites:
                helper = _as_helper(site) if site.forwarded else None
                if helper is not None and helper.name not in helpers:
                    helpers[helper.name] = helper
        if len(helpers) == before:
            break
        candidates = files  # helpers found: their callers may be anywhere
    if not helpers and found_sites is not None:
        found_sites.update(first_pass)
        found_sites.update((src.rel, []) for src in files if src.rel not in first_pass)
    return helpers


def _as_helper(site: ExecuteCall) -> Helper | None:
    scope = site.scope
    if scope is None or not site.forwarded or not isinstance(site.query, ast.Name):
        return None
    names = [a.arg for a in (*scope.args.posonlyargs, *scope.args.args)]
    offset = 1 if names and names[0] in _SELF else 0
    query_name = site.query.id
    bind = site.bind_vars
    if isinstance(bind, ast.BoolOp) and isinstance(bind.op, ast.Or):
        bind = bind.values[0]  # ``bind_vars or {}``
    bind_name = bind.id if isinstance(bind, ast.Name) else ""
    bind_name = bind_name if bind_name in names or _kwonly(scope, bind_name) else ""
    return Helper(
        scope.name,
        names.index(query_name) - offset if query_name in names else -1,
        query_name,
        names.index(bind_name) - offset if bind_name in names else -1,
        bind_name,
    )


def _kwonly(scope: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    return any(a.arg == name for a in scope.args.kwonlyargs)


def _callee(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    if 0 <= position < len(call.args) and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    return _keyword(call, name)


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)
