"""Adapter over arangolite's AQL parser: parse once per text, then read facts from the AST.

The parser is imported lazily, only when a query needs checking, so trees without AQL never
need it. When it cannot be imported the check fails loudly (``AqlUnavailable``) instead of
passing the queries unchecked.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from .identifiers import is_rename

__all__ = [
    "AqlParser",
    "AqlUnavailable",
    "Parsed",
    "bind_names",
    "collection_refs",
    "id_renames",
]

_REPO_ROOT = Path(__file__).resolve().parents[6]
_PSEUDO_VARIABLES = frozenset({"NEW", "OLD", "CURRENT"})


class AqlUnavailable(RuntimeError):
    """arangolite's AQL parser cannot be imported, so AQL cannot be checked."""


@dataclass(frozen=True, slots=True)
class Parsed:
    """The outcome of parsing one query text: ``query`` (an AST) or ``error`` (a message)."""

    query: Any = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class AqlRef:
    """A name found in a query, with its 1-based position in the query text."""

    name: str
    line: int
    column: int
    detail: str = ""


class AqlParser:
    """Parses query texts with ``arangolite.aql.parser.parse`` and caches the outcome."""

    def __init__(self) -> None:
        self._cache: dict[str, Parsed] = {}
        self._modules: tuple[ModuleType, ModuleType, ModuleType] | None = None

    def parse(self, text: str) -> Parsed:
        """Return the parsed query, or the parser's error message for invalid AQL."""
        if text not in self._cache:
            self._cache[text] = self._parse(text)
        return self._cache[text]

    def _parse(self, text: str) -> Parsed:
        parser, _, errors = self._load()
        try:
            return Parsed(query=parser.parse(text))
        except errors.ArangoError as exc:
            return Parsed(error=f"[{exc.error_num}] {exc.message}")

    def _load(self) -> tuple[ModuleType, ModuleType, ModuleType]:
        if self._modules is None:
            self._modules = _import_parser()
        return self._modules


def _import_parser() -> tuple[ModuleType, ModuleType, ModuleType]:
    try:
        return _import_modules()
    except ImportError:
        sys.path.insert(0, str(_REPO_ROOT))
    try:
        return _import_modules()
    except ImportError as exc:
        raise AqlUnavailable(f"arangolite.aql.parser cannot be imported ({exc})") from exc


def _import_modules() -> tuple[ModuleType, ModuleType, ModuleType]:
    names = ("arangolite.aql.parser", "arangolite.aql.ast", "arangolite.errors")
    parser, ast_mod, errors = (importlib.import_module(name) for name in names)
    return parser, ast_mod, errors


def _ast() -> ModuleType:
    return importlib.import_module("arangolite.aql.ast")


def bind_names(query: Any) -> set[str]:
    """Return the bind variable keys a query declares (``"x"`` for ``@x``, ``"@c"`` for ``@@c``)."""
    names: set[str] = _ast().bind_parameter_names(query)
    return names


def _bound_variables(query: Any) -> set[str]:
    nodes = _ast()
    bound = set(_PSEUDO_VARIABLES)
    for node in nodes.iter_nodes(query):
        bound.update(_declared_by(nodes, node))
    return bound


def _declared_by(nodes: ModuleType, node: Any) -> list[str]:
    if isinstance(node, nodes.For):
        return [node.var] if node.var else list(node.destructure[1] if node.destructure else ())
    if isinstance(node, nodes.Traversal):
        return [node.vertex_var, node.edge_var, node.path_var, node.prune_var]
    if isinstance(node, nodes.ShortestPath):
        return [node.vertex_var, node.edge_var]
    if isinstance(node, nodes.Let | nodes.Aggregate):
        return [node.name if isinstance(node, nodes.Let) else node.var]
    if isinstance(node, nodes.Collect):
        return [name for name, _ in node.groups] + [node.into, node.count_into]
    return []


def collection_refs(query: Any) -> list[AqlRef]:
    """Return the collections a query names: FOR sources, modification targets, edges, WITH.

    Bind collections (``@@c``) are not names and are left out.
    """
    nodes = _ast()
    bound = _bound_variables(query)
    refs: list[AqlRef] = []
    for node in nodes.iter_nodes(query):
        for ref in _collection_exprs(nodes, node):
            name = _collection_name(nodes, ref)
            if name is not None and name not in bound:
                refs.append(AqlRef(name, ref.line, ref.column))
    return refs


def _collection_exprs(nodes: ModuleType, node: Any) -> Iterator[Any]:
    if isinstance(node, nodes.For):
        yield node.expr
    elif isinstance(node, nodes.MODIFICATIONS):
        yield node.collection
    elif isinstance(node, nodes.Traversal | nodes.ShortestPath):
        yield from (edge.collection for edge in node.edge_collections)
    elif isinstance(node, nodes.Query):
        yield from node.with_collections


def _collection_name(nodes: ModuleType, expr: Any) -> str | None:
    if isinstance(expr, nodes.Name):
        return str(expr.name)
    if isinstance(expr, nodes.Literal) and isinstance(expr.value, str):
        return expr.value
    return None


def id_renames(query: Any) -> list[AqlRef]:
    """Return object-literal items that copy ``x._key``/``x._id`` under a generic name."""
    nodes = _ast()
    found: list[AqlRef] = []
    for node in nodes.iter_nodes(query):
        if isinstance(node, nodes.ObjectItem) and isinstance(node.key, str):
            value = node.value
            if isinstance(value, nodes.Attribute) and is_rename(value.name, node.key):
                found.append(AqlRef(node.key, node.line, node.column, value.name))
    return found


_ORDERING = frozenset({"<", "<=", ">", ">="})
_CLOCK_FUNCTIONS = frozenset({"DATE_NOW", "DATE_ISO8601_NOW"})


def clock_comparisons(query: Any, clock_params: frozenset[str] = frozenset()) -> list[AqlRef]:
    """Return ordering comparisons of a query that involve the current time.

    The clock is ``DATE_NOW()`` or a bind parameter named in ``clock_params`` (one the caller
    fills with the current time). ``detail`` is what reads the clock.
    """
    nodes = _ast()
    found: list[AqlRef] = []
    for node in nodes.iter_nodes(query):
        if isinstance(node, nodes.Binary) and str(node.op).strip() in _ORDERING:
            clock = _clock_in(nodes, node, clock_params)
            if clock:
                found.append(AqlRef(str(node.op).strip(), node.line, node.column, clock))
    return found


def _clock_in(nodes: ModuleType, expr: Any, clock_params: frozenset[str]) -> str:
    for node in nodes.iter_nodes(expr):
        if isinstance(node, nodes.FuncCall) and str(node.name).upper() in _CLOCK_FUNCTIONS:
            return f"{str(node.name).upper()}()"
        if isinstance(node, nodes.BindParam) and node.name in clock_params:
            return f"@{node.name}"
    return ""
