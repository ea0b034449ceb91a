"""Adapter over arangolite's AQL parser: parse once per text, then read facts from the AST.

Each text first goes to the fast front end (``aql_fast``), which reads the facts of the common
query forms; what it declines (other forms, and every invalid text) is parsed by arangolite's
parser here. That parser is imported lazily, only when a query needs it, so trees without AQL
never need it. When it cannot be imported the check fails loudly (``AqlUnavailable``) instead
of passing the queries unchecked.
"""

from __future__ import annotations

import hashlib
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from .aql_facts import AqlRef, Comparison, Parsed, QueryFacts, canonical
from .aql_fast import fast_facts
from .identifiers import is_rename

__all__ = [
    "AqlParser",
    "AqlRef",
    "AqlUnavailable",
    "Comparison",
    "Parsed",
    "QueryFacts",
    "clock_comparisons",
    "read_facts",
]

_REPO_ROOT = Path(__file__).resolve().parents[6]
_PSEUDO_VARIABLES = frozenset({"NEW", "OLD", "CURRENT"})


class AqlUnavailable(RuntimeError):
    """arangolite's AQL parser cannot be imported, so AQL cannot be checked."""


class AqlParser:
    """Parses query texts with ``arangolite.aql.parser.parse`` and caches the outcome."""

    def __init__(self) -> None:
        self._cache: dict[str, Parsed] = {}
        self._stored: dict[str, Parsed] = {}
        self.added = 0
        self._modules: tuple[ModuleType, ModuleType, ModuleType] | None = None

    def preload(self, stored: dict[str, Parsed]) -> None:
        """Reuse parse facts from an earlier run, keyed by the hash of the query text."""
        self._stored = stored

    def entries(self) -> dict[str, Parsed]:
        """Return every parse outcome known, keyed by the hash of the query text."""
        known = dict(self._stored)
        known.update((_text_key(text), parsed) for text, parsed in self._cache.items())
        return known

    def parse(self, text: str) -> Parsed:
        """Return the parsed query, or the parser's error message for invalid AQL."""
        if text not in self._cache:
            stored = self._stored.get(_text_key(text)) if self._stored else None
            if stored is None:
                stored = self._parse(text)
                self.added += 1
            self._cache[text] = stored
        return self._cache[text]

    def _parse(self, text: str) -> Parsed:
        facts = fast_facts(text)
        if facts is not None:
            return Parsed(facts=facts)
        return self.parse_fully(text)

    def parse_fully(self, text: str) -> Parsed:
        """Parse ``text`` with arangolite's parser (no fast path, no cache): the reference."""
        parser, _, errors = self._load()
        try:
            query = parser.parse(text)
        except errors.ArangoError as exc:
            return Parsed(error=f"[{exc.error_num}] {exc.message}")
        return Parsed(facts=read_facts(query))

    def _load(self) -> tuple[ModuleType, ModuleType, ModuleType]:
        if self._modules is None:
            self._modules = _import_parser()
        return self._modules


def _text_key(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


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


def read_facts(query: Any) -> QueryFacts:
    """Read bind names, collection names, id renames and comparisons in one walk."""
    nodes = _ast()
    bound = set(_PSEUDO_VARIABLES)
    binds: set[str] = set()
    candidates: list[AqlRef] = []
    renames: list[AqlRef] = []
    comparisons: list[Comparison] = []
    for node in nodes.iter_nodes(query):
        kind = type(node)
        if kind is nodes.BindParam:
            binds.add(node.name)
        elif kind is nodes.BindCollection:
            binds.add("@" + node.name)
        elif kind is nodes.ObjectItem:
            renames.extend(_rename(nodes, node))
        elif kind is nodes.Binary and str(node.op).strip() in _ORDERING:
            comparisons.append(_comparison(nodes, node))
        bound.update(_declared_by(nodes, node))
        for ref in _collection_exprs(nodes, node):
            name = _collection_name(nodes, ref)
            if name is not None:
                candidates.append(AqlRef(name, ref.line, ref.column))
    collections = [ref for ref in candidates if ref.name not in bound]
    return canonical(binds, collections, renames, comparisons)


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


def _rename(nodes: ModuleType, node: Any) -> list[AqlRef]:
    value = node.value
    if (
        isinstance(node.key, str)
        and isinstance(value, nodes.Attribute)
        and is_rename(value.name, node.key)
    ):
        return [AqlRef(node.key, node.line, node.column, value.name)]
    return []


_ORDERING = frozenset({"<", "<=", ">", ">="})
_CLOCK_FUNCTIONS = frozenset({"DATE_NOW"})


def _comparison(nodes: ModuleType, node: Any) -> Comparison:
    clock = ""
    params: list[tuple[int, int, str]] = []
    for sub in nodes.iter_nodes(node):
        if isinstance(sub, nodes.FuncCall) and str(sub.name).upper() in _CLOCK_FUNCTIONS:
            clock = f"{str(sub.name).upper()}()"
        elif isinstance(sub, nodes.BindParam):
            params.append((sub.line, sub.column, sub.name))
    ordered = tuple(name for _, _, name in sorted(params))
    return Comparison(str(node.op).strip(), node.line, node.column, clock, ordered)


def clock_comparisons(
    facts: QueryFacts, clock_params: frozenset[str] = frozenset()
) -> list[AqlRef]:
    """Return the comparisons of a query that involve the current time.

    The clock is ``DATE_NOW()`` or a bind parameter named in ``clock_params`` (one the caller
    fills with the current time). ``detail`` is what reads the clock, ``name`` the operator.
    """
    found: list[AqlRef] = []
    for cmp in facts.comparisons:
        hit = next((f"@{p}" for p in cmp.params if p in clock_params), "") or cmp.clock
        if hit:
            found.append(AqlRef(cmp.op, cmp.line, cmp.column, hit))
    return found
