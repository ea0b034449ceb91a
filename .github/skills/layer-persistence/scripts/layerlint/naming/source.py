"""One Python source file of the checked tree, parsed once and shared by every rule."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .suppress import Suppression, find_suppressions

__all__ = ["TOP_PACKAGE", "CallSite", "SourceFile", "module_name_for"]

_Scope = ast.FunctionDef | ast.AsyncFunctionDef | None

TOP_PACKAGE = "nomarr"


def module_name_for(rel: Path) -> tuple[str, bool]:
    """Return the dotted module name of a relative ``.py`` path and whether it is a package."""
    parts = list(rel.with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


@dataclass(frozen=True, slots=True)
class CallSite:
    """One call of the module with the function it sits in."""

    call: ast.Call
    scope: _Scope
    cls: ast.ClassDef | None


def _module_calls(tree: ast.Module | None) -> list[CallSite]:
    """Return every call of a module with its enclosing function and class (one walk)."""
    found: list[CallSite] = []
    if tree is not None:
        _walk(tree, None, None, found)
    return found


def _walk(node: ast.AST, scope: _Scope, cls: ast.ClassDef | None, out: list[CallSite]) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Call):
            out.append(CallSite(child, scope, cls))
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            _walk(child, child, cls, out)
        elif isinstance(child, ast.ClassDef):
            _walk(child, None, child, out)
        else:
            _walk(child, scope, cls, out)


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

    @classmethod
    def load(cls, file: Path, root: Path, shown_root: str) -> SourceFile:
        """Read and parse ``file`` (inside ``root``); ``shown_root`` prefixes printed paths."""
        rel = file.relative_to(root)
        module, is_package = module_name_for(rel)
        text = file.read_text(encoding="utf-8", errors="replace")
        shown = str(Path(shown_root) / rel) if shown_root not in ("", ".") else rel.as_posix()
        src = cls(shown, rel.as_posix(), module, is_package, text)
        try:
            src.tree = ast.parse(text, filename=str(file))
        except SyntaxError as exc:
            src.error = exc
        return src

    def in_package(self, package: str) -> bool:
        """Return True when this module is ``package`` or lies below it."""
        return self.module == package or self.module.startswith(package + ".")

    @property
    def package(self) -> str:
        """Return the package relative imports are resolved against."""
        return self.module if self.is_package else self.module.rpartition(".")[0]

    @cached_property
    def lines(self) -> list[str]:
        """Return the source lines (without line ends)."""
        return self.text.splitlines()

    @cached_property
    def nodes(self) -> list[ast.AST]:
        """Return every node of the module (one walk, shared by all rules)."""
        return list(ast.walk(self.tree)) if self.tree else []

    @cached_property
    def calls(self) -> list[CallSite]:
        """Return every call of the module with its enclosing function and class (one walk)."""
        return _module_calls(self.tree)

    @cached_property
    def suppressions(self) -> dict[int, Suppression]:
        """Return the module's ``# nomarr: ignore[...]`` comments by line."""
        return find_suppressions(self.text) if "nomarr:" in self.text else {}

    @cached_property
    def type_checking_ids(self) -> frozenset[int]:
        """Return ``id()`` of every node inside an ``if TYPE_CHECKING:`` body."""
        ids: set[int] = set()
        for node in self.nodes:
            if isinstance(node, ast.If) and _is_type_checking(node.test):
                for stmt in node.body:
                    ids.update(id(sub) for sub in ast.walk(stmt))
        return frozenset(ids)

    @property
    def constants(self) -> dict[str, ast.expr]:
        """Return the module's own constants plus string constants imported from the tree."""
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
