"""Read the declared collections from ``nomarr/persistence/schema.py`` without importing it."""

from __future__ import annotations

import ast
from pathlib import Path

from .folding import Const, Folder
from .source import SourceFile

__all__ = ["SCHEMA_PATH", "declared_collections"]

SCHEMA_PATH = Path("nomarr/persistence/schema.py")


def declared_collections(root: Path, src: SourceFile | None = None) -> frozenset[str] | None:
    """Return the collection names declared with ``CollectionSpec(...)``, or None without a schema.

    The name is the first positional argument or the ``name=`` keyword; module-level string
    constants are resolved. ``src`` is the schema module when the caller has already parsed it.
    """
    if src is None:
        file = root / SCHEMA_PATH
        if not file.is_file():
            return None
        src = SourceFile.load(file, root, ".")
    if src.tree is None:
        return None
    folder = Folder(src.own_constants)  # as read alone: imported constants not linked
    names: set[str] = set()
    for site in src.calls:
        node = site.call
        if _callee(node) == "CollectionSpec":
            name = _name_argument(node, folder)
            if name:
                names.add(name)
    return frozenset(names)


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _name_argument(call: ast.Call, folder: Folder) -> str | None:
    expr = call.args[0] if call.args else None
    for keyword in call.keywords:
        if keyword.arg == "name":
            expr = keyword.value
    if expr is None:
        return None
    folded = folder.fold(expr)
    return folded.value if isinstance(folded, Const) and isinstance(folded.value, str) else None
