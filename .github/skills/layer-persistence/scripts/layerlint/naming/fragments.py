"""String constants shared across modules of the checked tree (AQL fragments).

A persistence module may build its queries from a fragment another module defines
(``from .file_removal_aql import REMOVE_FILES``). Linking makes such an imported string literal a
constant of the importing module, so its queries fold, parse and check like local ones, and marks
it a fragment in the defining module, so it is not parsed there as a query of its own.
"""

from __future__ import annotations

import ast

from .imports import resolve_from
from .source import SourceFile

__all__ = ["link_shared_constants"]


def link_shared_constants(files: list[SourceFile]) -> None:
    """Record, for every module, the string literals it imports from other modules of ``files``."""
    by_module = {src.module: src for src in files}
    for src in files:
        for node in src.tree.body if src.tree else ():
            if isinstance(node, ast.ImportFrom):
                _link(src, node, by_module)


def _link(src: SourceFile, node: ast.ImportFrom, by_module: dict[str, SourceFile]) -> None:
    base = resolve_from(src, node)
    origin = by_module.get(base) if base else None
    if origin is None:
        return
    for alias in node.names:
        value = origin.own_constants.get(alias.name)
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            src.imported_constants[alias.asname or alias.name] = value
            origin.exported_fragments.add(alias.name)
