"""Every import of a module, resolved to absolute dotted names (relative imports included)."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from typing import NamedTuple

from .source import SourceFile

__all__ = ["ImportRef", "imports_package", "iter_imports", "resolve_from", "runtime_imports"]


class ImportRef(NamedTuple):
    """One imported module name.

    Attributes:
        target: absolute dotted name that is imported (for ``from a import b``: ``a.b``, because
            ``b`` may be a submodule; callers match by prefix).
        node: the ``import`` statement.
        type_checking: True when the import sits under ``if TYPE_CHECKING:``.
    """

    target: str
    node: ast.Import | ast.ImportFrom
    type_checking: bool


def iter_imports(src: SourceFile) -> Iterator[ImportRef]:
    """Yield every import of ``src``, function-local ones included."""
    if src.tree is None:
        return
    found = src.of(ast.Import, ast.ImportFrom)
    found.sort(key=lambda node: (node.lineno, node.col_offset))
    for node in found:
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            targets = _from_targets(src, node)
        else:
            continue
        guarded = id(node) in src.type_checking_ids
        for target in targets:
            yield ImportRef(target, node, guarded)


def runtime_imports(src: SourceFile, wanted: Callable[[str], bool]) -> Iterator[ImportRef]:
    """Yield the first ``wanted`` target of each import statement not under TYPE_CHECKING."""
    seen: set[int] = set()
    for ref in iter_imports(src):
        if id(ref.node) not in seen and not ref.type_checking and wanted(ref.target):
            seen.add(id(ref.node))
            yield ref


def resolve_from(src: SourceFile, node: ast.ImportFrom) -> str | None:
    """The absolute module a ``from ... import`` statement of ``src`` imports from."""
    return _resolve_base(src, node)


def _from_targets(src: SourceFile, node: ast.ImportFrom) -> list[str]:
    base = _resolve_base(src, node)
    if base is None:
        return []
    return [f"{base}.{alias.name}" if base else alias.name for alias in node.names]


def _resolve_base(src: SourceFile, node: ast.ImportFrom) -> str | None:
    if node.level == 0:
        return node.module or ""
    parts = src.package.split(".") if src.package else []
    if node.level - 1 > len(parts):
        return None
    parts = parts[: len(parts) - (node.level - 1)]
    if node.module:
        parts.append(node.module)
    return ".".join(parts)


def imports_package(target: str, package: str) -> bool:
    """Return True when ``target`` is ``package`` or a module below it."""
    return target == package or target.startswith(package + ".")
