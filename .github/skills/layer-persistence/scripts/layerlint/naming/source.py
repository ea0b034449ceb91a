"""One Python source file of the checked tree, parsed once and shared by every rule."""

from __future__ import annotations

import ast
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from .suppress import Suppression, find_suppressions

__all__ = [
    "INDEXED",
    "OWN_NODES",
    "TOP_PACKAGE",
    "CallSite",
    "SourceFile",
    "module_name_for",
    "relative_posix",
]

_Scope = ast.FunctionDef | ast.AsyncFunctionDef | None

TOP_PACKAGE = "nomarr"


def module_name_for(rel: Path) -> tuple[str, bool]:
    """Return the dotted module name of a relative ``.py`` path and whether it is a package."""
    parts = list(rel.with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def relative_posix(file: str, root: str) -> str:
    """``Path(file).relative_to(root).as_posix()`` by string operations (``file`` is below)."""
    if not file.startswith(root) or root in ("", "."):
        return Path(file).relative_to(root).as_posix()  # "." and other forms: pathlib decides
    return file[len(root) :].replace(os.sep, "/").lstrip("/")


def _module_name(rel: str) -> tuple[str, bool]:
    """``module_name_for`` of a relative POSIX path string."""
    parts = rel.removesuffix(".py").split("/")
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


class CallSite(NamedTuple):
    """One call of the module with the function it sits in (a tuple: thousands per run)."""

    call: ast.Call
    scope: _Scope
    cls: ast.ClassDef | None


OWN_NODES = "_nomarr_own_nodes"
"""Attribute set on every function node: its own nodes (nested scopes' bodies, names and
constants left out)."""


_Index = tuple[list[CallSite], dict[type, list[ast.AST]]]

# Fields that never hold nodes the rules look at: names and numbers, and the shared singleton
# nodes of expression contexts (``Load``) and operators (``Add``), which nothing reads alone.
_SKIPPED_FIELDS = frozenset(
    {"ctx", "op", "ops", "id", "attr", "arg", "name", "module", "level", "kind", "type_comment"}
)
_FIELDS: dict[type, tuple[str, ...]] = {}
# Leaves no rule looks for in the index (they read names and constants through their parents):
# about half of a module's nodes; and the values of fields that are not nodes (absent children,
# names, flags), so one set test per child decides whether the walk goes there.
_LEAVES = frozenset({ast.Name, ast.Constant, ast.alias, type(None), str, int, bool})
INDEXED: frozenset[type] = frozenset(
    {
        ast.Module,
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.Import,
        ast.ImportFrom,
        ast.If,
        ast.Assign,
        ast.AnnAssign,
        ast.AugAssign,
        ast.NamedExpr,
        ast.Call,
        ast.keyword,
        ast.Dict,
        ast.Compare,
    }
)
"""The node types the walk records (``SourceFile.of`` and the functions' own-node lists): what
the rules and the scope analyses look for. The walk still goes through every other node."""


def _fields(kind: type) -> tuple[str, ...]:
    """Return the fields of node type ``kind`` that may hold nodes (computed once per type)."""
    fields = _FIELDS.get(kind)
    if fields is None:
        names = getattr(kind, "_fields", ())  # a value of another kind has no node inside
        fields = tuple(f for f in names if f not in _SKIPPED_FIELDS)
        _FIELDS[kind] = fields
    return fields


def _index(tree: ast.Module | None) -> _Index:
    """Walk a module once: every call with its function and class, and the nodes of the
    ``INDEXED`` types by type.

    Each function node also gets the list of its own nodes of those types (attribute
    ``OWN_NODES``): the nodes of its body, stopping at nested functions, lambdas and classes
    (which are included, their bodies are not). Later passes over one function read that list
    instead of walking. Names and constants (``_LEAVES``) are not even visited: nothing looks
    them up alone.
    The walk goes scope by scope: a nested function, class or lambda is walked after the rest
    of the scope it sits in, with its own context.
    """
    calls: list[CallSite] = []
    by_type: dict[type, list[ast.AST]] = {kind: [] for kind in INDEXED}
    if tree is None:
        return calls, by_type
    by_type[ast.Module].append(tree)
    leaves = _LEAVES
    attribute = ast.Attribute
    arguments = ast.arguments
    parameter = ast.arg
    scope_kinds = _SCOPES
    call_kind = ast.Call
    fields_of = _FIELDS.get
    recorded = by_type.get
    add_call = calls.append
    scopes: list[tuple[ast.AST, _Scope, ast.ClassDef | None, list[ast.AST] | None]] = [
        (tree, None, None, None)
    ]
    while scopes:
        root, scope, cls, own = scopes.pop()
        stack: list[ast.AST] = []
        push = stack.append
        pop = stack.pop
        node = root
        kind = type(node)
        while True:
            if kind in scope_kinds and node is not root:
                scopes.append(_enter(node, kind, scope, cls))
            elif kind is arguments:
                if node.defaults or node.kw_defaults or _annotated(node):  # type: ignore[attr-defined,arg-type]
                    _push_parameters(node, push)  # type: ignore[arg-type]
            else:
                fields = fields_of(kind)
                for name in fields if fields is not None else _fields(kind):
                    value = getattr(node, name, None)
                    if type(value) is list:
                        for item in reversed(value):
                            if type(item) is parameter:  # a parameter: its annotation
                                item = item.annotation
                            while type(item) is attribute:  # ``a.b.c``: straight to ``a``
                                item = item.value
                            if type(item) not in leaves:
                                push(item)
                    else:
                        while type(value) is attribute:
                            value = value.value
                        if type(value) not in leaves:
                            push(value)  # type: ignore[arg-type]  # a node: leaves hold None
            if not stack:
                break
            node = pop()
            kind = type(node)
            same = recorded(kind)
            if same is not None:
                same.append(node)
                if own is not None:
                    own.append(node)
                if kind is call_kind:
                    add_call(CallSite(node, scope, cls))  # type: ignore[arg-type]
    return calls, by_type


def _annotated(node: ast.arguments) -> bool:
    """Whether a parameter's annotation holds more than a name (a subscript, a call ...)."""
    leaves = _LEAVES
    for group in (node.posonlyargs, node.args, node.kwonlyargs):
        for item in group:
            if type(item.annotation) not in leaves:
                return True
    return any(
        item is not None and type(item.annotation) not in leaves
        for item in (node.vararg, node.kwarg)
    )


def _push_parameters(node: ast.arguments, push: Callable[[ast.AST], None]) -> None:
    """Push what parameters hold, in the walk's order: annotations (the ``arg`` nodes skipped,
    nothing looks for them) and defaults."""
    leaves = _LEAVES
    for name in _fields(ast.arguments):
        value = getattr(node, name)
        for item in reversed(value) if type(value) is list else (value,):
            if type(item) is ast.arg:
                item = item.annotation
            while type(item) is ast.Attribute:
                item = item.value
            if type(item) not in leaves:
                push(item)


_SCOPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda})


def _enter(
    node: ast.AST, kind: type, scope: _Scope, cls: ast.ClassDef | None
) -> tuple[ast.AST, _Scope, ast.ClassDef | None, list[ast.AST] | None]:
    """Return the context the body of a nested function, class or lambda is walked in."""
    if kind is ast.ClassDef:
        return node, None, node, None  # type: ignore[return-value]
    if kind is ast.Lambda:
        return node, scope, cls, None
    own: list[ast.AST] = []
    setattr(node, OWN_NODES, own)
    return node, node, cls, own  # type: ignore[return-value]


@dataclass
class SourceFile:
    """A parsed module.

    Attributes:
        path: the path to print for findings.
        rel: the path relative to the checked root, POSIX style.
        module: the dotted module name (``nomarr.persistence.db``).
        is_package: True for ``__init__.py``.
        text: the source text.
        tree: the AST, or None when the file does not parse.
        error: the syntax error when it does not.
    """

    path: str
    rel: str
    module: str
    is_package: bool
    text: str
    tree: ast.Module | None = None
    error: SyntaxError | None = field(default=None, repr=False)
    imported_constants: dict[str, ast.expr] = field(default_factory=dict, repr=False)
    exported_fragments: set[str] = field(default_factory=set, repr=False)
    _packages: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(
        cls, file: Path | str, root: Path, shown_root: str, data: bytes | None = None
    ) -> SourceFile:
        """Read and parse ``file`` (inside ``root``); ``shown_root`` prefixes printed paths.

        ``data`` is the file's content when the caller has already read it.
        """
        name = str(file)
        rel = relative_posix(name, str(root))
        module, is_package = _module_name(rel)
        raw = Path(file).read_bytes() if data is None else data
        text = raw.decode("utf-8", errors="replace")
        shown = str(Path(shown_root) / rel) if shown_root not in ("", ".") else rel
        src = cls(shown, rel, module, is_package, text)
        try:
            src.tree = ast.parse(text, filename=name)
        except SyntaxError as exc:
            src.error = exc
        return src

    def release(self) -> None:
        """Drop the tree and everything read from it (``Project.release``)."""
        self.tree = None
        self.imported_constants = {}
        for name in _READ_FROM_TREE:
            self.__dict__.pop(name, None)

    def in_package(self, package: str) -> bool:
        """Return True when this module is ``package`` or lies below it (asked by every rule)."""
        known = self._packages.get(package)
        if known is None:
            module = self.module
            known = self._packages[package] = module == package or module.startswith(package + ".")
        return known

    @property
    def package(self) -> str:
        """Return the package relative imports are resolved against."""
        return self.module if self.is_package else self.module.rpartition(".")[0]

    @cached_property
    def lines(self) -> list[str]:
        """Return the source lines (without line ends)."""
        return self.text.splitlines()

    @cached_property
    def _walked(self) -> _Index:
        return _index(self.tree)

    def of(self, *kinds: type) -> list[Any]:
        """Return the module's nodes of exactly these types (from the one shared walk).

        Only the ``INDEXED`` types are recorded; asking for another is a programming error.
        The list of a single type is shared: callers must not change it.
        """
        by_type = self._walked[1]
        if len(kinds) == 1:
            return by_type[kinds[0]]
        return [node for kind in kinds for node in by_type[kind]]

    @property
    def calls(self) -> list[CallSite]:
        """Return every call of the module with its enclosing function and class (one walk)."""
        return self._walked[0]

    @cached_property
    def suppressions(self) -> dict[int, Suppression]:
        """Return the module's ``# nomarr: ignore[...]`` comments by line."""
        return find_suppressions(self.text) if "nomarr:" in self.text else {}

    @cached_property
    def type_checking_ids(self) -> frozenset[int]:
        """Return ``id()`` of every node inside an ``if TYPE_CHECKING:`` body."""
        ids: set[int] = set()
        for node in self.of(ast.If):
            if _is_type_checking(node.test):
                for stmt in node.body:
                    ids.update(id(sub) for sub in ast.walk(stmt))
        return frozenset(ids)

    @cached_property
    def constants(self) -> dict[str, ast.expr]:
        """Return the module's own constants plus string constants imported from the tree.

        Read it only once the tree's shared constants are linked (``Project.files`` does both).
        """
        return {**self.imported_constants, **self.own_constants}

    @cached_property
    def own_constants(self) -> dict[str, ast.expr]:
        """Return module-level names bound exactly once, mapped to their value expression."""
        seen: dict[str, list[ast.expr]] = {}
        for stmt in self.tree.body if self.tree else ():
            for name, value in _simple_bindings(stmt):
                seen.setdefault(name, []).append(value)
        return {name: values[0] for name, values in seen.items() if len(values) == 1}

    @cached_property
    def constant_lines(self) -> dict[str, ast.stmt]:
        """Return the statement that binds each module-level constant."""
        found: dict[str, ast.stmt] = {}
        for stmt in self.tree.body if self.tree else ():
            for name, _ in _simple_bindings(stmt):
                found[name] = stmt
        return found


_READ_FROM_TREE = (
    "_walked",
    "type_checking_ids",
    "constants",
    "own_constants",
    "constant_lines",
    "suppressions",
    "lines",
)


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _simple_bindings(stmt: ast.stmt) -> list[tuple[str, ast.expr]]:
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target = stmt.targets[0]
        if isinstance(target, ast.Name):
            return [(target.id, stmt.value)]
    if (
        isinstance(stmt, ast.AnnAssign)
        and stmt.value is not None
        and isinstance(stmt.target, ast.Name)
    ):
        return [(stmt.target.id, stmt.value)]
    return []
