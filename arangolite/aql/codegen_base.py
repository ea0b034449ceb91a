"""Shared pieces of the query compiler: generated-function blocks, the compiled product and
the state every part of the compiler reads (scopes, constants, functions, collections)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from arangolite.aql.codegen_expr import ExprCodegen
from arangolite.aql.scope import Variable


class Block:
    """Lines of one generated function: its header, preamble and indented body."""

    def __init__(self, header: str) -> None:
        self.header = header
        self.pre: list[str] = []
        self.lines: list[str] = []
        self.depth = 1

    def emit(self, line: str) -> None:
        """Append a body line at the current depth."""
        self.lines.append("    " * self.depth + line)

    def add_pre(self, lines: list[str]) -> None:
        """Append already-rendered lines to the preamble, one level in."""
        self.pre.extend("    " + line for line in lines)

    def render(self) -> list[str]:
        """The whole function as lines (not indented)."""
        return [self.header, *self.pre, *(self.lines or ["    pass"])]


@dataclass
class CompiledQuery:
    """The product of compilation: Python source plus what execution needs to bind."""

    source: str
    consts: list[Any]
    functions: list[Any]
    collections: set[str]
    bind_names: set[str]
    writes: set[str] = field(default_factory=set)
    has_writes: bool = False
    lazy: bool = False  # run() returns an iterator of rows, not a list
    nodes: list[dict[str, Any]] = field(default_factory=list)  # plan nodes, when profiled
    counted: dict[int, int] = field(default_factory=dict)  # see codegen_profile.py


class CodegenBase(ExprCodegen):
    """State and small helpers shared by the statement compilers."""

    blocks: list[Block]
    nesting: int
    first_read: dict[str, int]
    modified: set[str]
    writes: set[str]
    sites: Iterator[int]  # accumulator sites (``rt.acc``/``rt.hold``), see aql/memory.py
    level_id: int

    def _declare(self, name: str, *, is_document: bool = False, shadow: bool = False) -> Variable:
        var = Variable(name, self.names.fresh("v_" + name), is_document)
        self.scope.declare(var, allow_shadow=shadow)
        return var

    def _live(self) -> list[Variable]:
        return self.scope.local_vars()

    def _row(self, exprs: list[str]) -> str:
        return "(" + "".join(e + ", " for e in exprs) + ")"
